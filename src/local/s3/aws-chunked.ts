/**
 * The `aws-chunked` content encoding the SDKs use to stream a body with a trailing checksum
 * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`) or signed chunks (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`):
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` repeated, a zero-size chunk, then trailer
 * lines `name:value\r\n` and an empty line
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
 */
import { S3Error } from "./errors.ts";

export interface DecodedChunks {
  readonly body: Buffer;
  /** Trailer headers, names lower-cased (`x-amz-checksum-crc32`). */
  readonly trailers: Readonly<Record<string, string>>;
}

export function decodeAwsChunked(encoded: Buffer): DecodedChunks {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = encoded.indexOf("\r\n", at, "latin1");
    if (lineEnd === -1) throw incomplete("a chunk header has no line end");
    const header = encoded.subarray(at, lineEnd).toString("latin1");
    const size = Number.parseInt(header.split(";")[0] ?? "", 16);
    if (!Number.isInteger(size) || size < 0) throw incomplete(`"${header}" is not a chunk size`);
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size + 2 > encoded.length) throw incomplete("a chunk is shorter than its size");
    parts.push(encoded.subarray(at, at + size));
    at += size + 2;
  }
  // Trailer names come from the wire: defined as own entries (never assigned), so a trailer called
  // `__proto__` is a name like any other and cannot replace the map's prototype.
  const entries: [string, string][] = [];
  for (const line of encoded.subarray(at).toString("latin1").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) entries.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { body: Buffer.concat(parts), trailers: Object.fromEntries(entries) };
}

function incomplete(why: string): S3Error {
  return new S3Error(
    "IncompleteBody",
    {},
    `The aws-chunked request body is malformed: ${why}. Send chunks as <hex size>\\r\\n<bytes>\\r\\n, ending with a zero-size chunk.`,
  );
}

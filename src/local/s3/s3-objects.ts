/** PutObject, GetObject and HeadObject on the wire (REST-XML, headers carry the metadata). */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeAwsChunked } from "./aws-chunked.ts";
import { checkContentMd5, verifyFlexibleChecksum } from "./checksums.ts";
import { S3Error } from "./errors.ts";
import type { S3Context } from "./wire/s3-response.ts";
import { send } from "./wire/s3-response.ts";
import type { S3Store } from "./s3-store.ts";
import type { ObjectHead } from "./types.ts";

export function putObject(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  target: { bucket: string; key: string },
  context: S3Context,
): void {
  if (req.headers["x-amz-copy-source"] !== undefined) {
    throw new S3Error(
      "NotImplemented",
      { Header: "x-amz-copy-source" },
      "Sluice's S3 does not serve CopyObject.",
    );
  }
  const { body, checksum } = readUpload(req, raw);
  const contentType = header(req, "content-type");
  const { etag } = store.putObject(target.bucket, target.key, body, {
    ...(contentType === undefined ? {} : { contentType }),
    metadata: userMetadata(req),
    ...(checksum === undefined ? {} : { checksum }),
  });
  const echo = checksum ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value } : {};
  send(res, 200, context, { etag, "x-amz-server-side-encryption": "AES256", ...echo });
}

/**
 * The body an upload carries, decoded from aws-chunked when sent so, with its integrity checked:
 * x-amz-content-sha256, Content-MD5 and a flexible checksum (header or trailer).
 */
export function readUpload(
  req: IncomingMessage,
  raw: Buffer,
): { body: Buffer; checksum: { algorithm: string; value: string } | undefined } {
  const headers = req.headers;
  const sha = header(req, "x-amz-content-sha256");
  const chunked =
    (header(req, "content-encoding") ?? "").split(",").some((e) => e.trim() === "aws-chunked") ||
    sha?.startsWith("STREAMING-") === true;
  const { body, trailers } = chunked ? decodeAwsChunked(raw) : { body: raw, trailers: {} };
  const decodedLength = header(req, "x-amz-decoded-content-length");
  if (chunked && decodedLength !== undefined && Number(decodedLength) !== body.length) {
    throw new S3Error(
      "IncompleteBody",
      {},
      `You did not provide the number of bytes specified by the x-amz-decoded-content-length header (${decodedLength}); the chunks held ${body.length}.`,
    );
  }
  if (sha !== undefined && /^[0-9a-f]{64}$/i.test(sha)) {
    const actual = createHash("sha256").update(body).digest("hex");
    if (actual !== sha.toLowerCase()) {
      throw new S3Error("XAmzContentSHA256Mismatch", {
        ClientComputedContentSHA256: sha,
        S3ComputedContentSHA256: actual,
      });
    }
  }
  const md5 = header(req, "content-md5");
  if (md5 !== undefined) checkContentMd5(body, md5);
  const checksum = verifyFlexibleChecksum(body, { ...headers, ...trailers });
  return { body, checksum };
}

export function getObject(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  target: { bucket: string; key: string },
  context: S3Context,
  head: boolean,
): void {
  const object = head
    ? store.headObject(target.bucket, target.key)
    : store.getObject(target.bucket, target.key);
  const headers = objectHeaders(object, header(req, "x-amz-checksum-mode") === "ENABLED");
  const range = parseRange(header(req, "range"), object.size);
  if (range === "unsatisfiable") {
    throw new S3Error("InvalidRange", {
      RangeRequested: header(req, "range") ?? "",
      ActualObjectSize: object.size,
    });
  }
  const body = "body" in object ? (object.body as Buffer) : undefined;
  if (range === undefined) {
    send(res, 200, context, { ...headers, "content-length": object.size }, head ? undefined : body);
    return;
  }
  const { start, end } = range;
  // A part's bytes do not match the whole object's checksum.
  for (const name of Object.keys(headers)) if (name.startsWith("x-amz-checksum-")) delete headers[name];
  send(
    res,
    206,
    context,
    {
      ...headers,
      "content-length": end - start + 1,
      "content-range": `bytes ${start}-${end}/${object.size}`,
    },
    head ? undefined : body?.subarray(start, end + 1),
  );
}

function objectHeaders(object: ObjectHead, withChecksum: boolean): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    "content-type": object.contentType,
    etag: object.etag,
    "last-modified": new Date(object.lastModified).toUTCString(),
    "accept-ranges": "bytes",
    "x-amz-server-side-encryption": "AES256",
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (withChecksum && object.checksum) {
    headers[`x-amz-checksum-${object.checksum.algorithm.toLowerCase()}`] = object.checksum.value;
    headers["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  return headers;
}

/** A byte range S3 would serve; undefined for none or one S3 ignores (malformed), as S3 does. */
function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  if (end < start) return undefined;
  return { start, end };
}

/** `x-amz-meta-*` headers by name: a null-prototype map, so `x-amz-meta-__proto__` is stored as sent. */
export function userMetadata(req: IncomingMessage): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith("x-amz-meta-") && value !== undefined) {
      metadata[name.slice("x-amz-meta-".length)] = Array.isArray(value) ? value.join(",") : value;
    }
  }
  return metadata;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * Integrity checks S3 makes on an upload: Content-MD5 (BadDigest on mismatch) and the flexible
 * checksums the SDKs send by default, `x-amz-checksum-<algorithm>` as a header or an aws-chunked
 * trailer (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { S3Error } from "./errors.ts";

/** Throws InvalidDigest for a value that is not base64 of 16 bytes, BadDigest when it does not match. */
export function checkContentMd5(body: Buffer, contentMd5: string): void {
  const expected = Buffer.from(contentMd5, "base64");
  if (expected.length !== 16 || expected.toString("base64") !== contentMd5.trim()) {
    throw new S3Error("InvalidDigest", { "Content-MD5": contentMd5 });
  }
  const actual = createHash("md5").update(body).digest();
  if (!actual.equals(expected)) {
    throw new S3Error("BadDigest", {
      ExpectedDigest: expected.toString("hex"),
      CalculatedDigest: actual.toString("base64"),
    });
  }
}

const ALGORITHMS = {
  crc32: { name: "CRC32", digest: (body: Buffer) => u32(crc32(body)) },
  crc32c: { name: "CRC32C", digest: (body: Buffer) => u32(crc32c(body)) },
  sha1: { name: "SHA1", digest: (body: Buffer) => createHash("sha1").update(body).digest() },
  sha256: { name: "SHA256", digest: (body: Buffer) => createHash("sha256").update(body).digest() },
  // CRC64NVME is stored as sent but not verified (no implementation here yet).
  crc64nvme: { name: "CRC64NVME", digest: undefined },
} as const;

/**
 * The flexible checksum among `headers` (request headers or chunk trailers), verified against the
 * body. Returns it for storage, or undefined when none was sent.
 */
export function verifyFlexibleChecksum(
  body: Buffer,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): { algorithm: string; value: string } | undefined {
  for (const [suffix, algorithm] of Object.entries(ALGORITHMS)) {
    const value = headers[`x-amz-checksum-${suffix}`];
    if (typeof value !== "string") continue;
    if (algorithm.digest !== undefined) {
      const actual = algorithm.digest(body).toString("base64");
      if (actual !== value) {
        throw new S3Error(
          "BadDigest",
          {},
          `The ${algorithm.name} you specified did not match the calculated checksum.`,
        );
      }
    }
    return { algorithm: algorithm.name, value };
  }
  return undefined;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78. */
function crc32c(body: Buffer): number {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of body) crc = (crc32cTable[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Multipart uploads over the `s3_uploads` and `s3_parts` tables
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html): parts 1 to 10,000,
 * every part but the last at least 5 MiB, the object's ETag the MD5 of the parts' binary MD5s
 * followed by `-<part count>`.
 */
import { createHash, randomBytes } from "node:crypto";
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { S3Error } from "./errors.ts";
import type { ObjectMeta } from "./types.ts";

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  content_type: string | null;
  metadata: string;
  headers: string;
  tags: string;
}

export interface CompletedUpload {
  readonly body: Buffer;
  readonly etag: string;
  readonly meta: ObjectMeta;
}

export function createUpload(db: Db, clock: Clock, bucket: string, key: string, meta: ObjectMeta): string {
  const uploadId = randomBytes(24).toString("base64url");
  db.prepare(
    "INSERT INTO s3_uploads (upload_id, bucket, key, content_type, metadata, created_at, headers, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(
    uploadId,
    bucket,
    key,
    meta.contentType ?? null,
    JSON.stringify(meta.metadata ?? {}),
    clock.now(),
    JSON.stringify(meta.headers ?? {}),
    JSON.stringify(meta.tags ?? {}),
  );
  return uploadId;
}

export function putPart(db: Db, upload: Target, partNumber: number, body: Buffer): string {
  requiredUpload(db, upload);
  const max = LIMITS.s3.multipartParts.max;
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > max) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "partNumber", ArgumentValue: partNumber },
      `Part number must be an integer between 1 and ${max}, inclusive`,
    );
  }
  const etag = `"${createHash("md5").update(body).digest("hex")}"`;
  db.prepare(
    `INSERT INTO s3_parts (upload_id, part_number, body, etag) VALUES (?, ?, ?, ?)
     ON CONFLICT(upload_id, part_number) DO UPDATE SET body = excluded.body, etag = excluded.etag`,
  ).run(upload.uploadId, partNumber, body, etag);
  return etag;
}

/** Joins the listed parts; the caller stores the object and then calls `dropUpload`. */
export function joinParts(
  db: Db,
  upload: Target,
  parts: readonly { partNumber: number; etag: string }[],
): CompletedUpload {
  const row = requiredUpload(db, upload);
  if (parts.length === 0) throw new S3Error("MalformedXML");
  const read = db.prepare("SELECT body, etag FROM s3_parts WHERE upload_id = ? AND part_number = ?");
  const bodies: Buffer[] = [];
  const digests: Buffer[] = [];
  for (let i = 1; i < parts.length; i++) {
    if ((parts[i]?.partNumber ?? 0) <= (parts[i - 1]?.partNumber ?? 0)) throw new S3Error("InvalidPartOrder");
  }
  parts.forEach((part, index) => {
    const stored = read.get(upload.uploadId, part.partNumber) as { body: Buffer; etag: string } | undefined;
    if (!stored || unquote(stored.etag) !== unquote(part.etag)) {
      throw new S3Error("InvalidPart", {
        UploadId: upload.uploadId,
        PartNumber: part.partNumber,
        ETag: part.etag,
      });
    }
    const minimum = LIMITS.s3.multipartPartSize.min;
    if (index < parts.length - 1 && stored.body.length < minimum) {
      throw new S3Error("EntityTooSmall", {
        ProposedSize: stored.body.length,
        MinSizeAllowed: minimum,
        PartNumber: part.partNumber,
        ETag: stored.etag,
      });
    }
    bodies.push(stored.body);
    digests.push(Buffer.from(unquote(stored.etag), "hex"));
  });
  const etag = `"${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts.length}"`;
  const meta: ObjectMeta = {
    ...(row.content_type === null ? {} : { contentType: row.content_type }),
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    headers: JSON.parse(row.headers) as Record<string, string>,
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
  return { body: Buffer.concat(bodies), etag, meta };
}

export function dropUpload(db: Db, upload: Target): void {
  requiredUpload(db, upload);
  db.prepare("DELETE FROM s3_parts WHERE upload_id = ?").run(upload.uploadId);
  db.prepare("DELETE FROM s3_uploads WHERE upload_id = ?").run(upload.uploadId);
}

/** Forgets a bucket's unfinished uploads (when the bucket goes). */
export function dropBucketUploads(db: Db, bucket: string): void {
  db.prepare(
    "DELETE FROM s3_parts WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket = ?)",
  ).run(bucket);
  db.prepare("DELETE FROM s3_uploads WHERE bucket = ?").run(bucket);
}

export interface Target {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
}

function requiredUpload(db: Db, upload: Target): UploadRow {
  const row = db.prepare("SELECT * FROM s3_uploads WHERE upload_id = ?").get(upload.uploadId) as
    | UploadRow
    | undefined;
  if (!row || row.bucket !== upload.bucket || row.key !== upload.key) {
    throw new S3Error("NoSuchUpload", { UploadId: upload.uploadId });
  }
  return row;
}

function unquote(etag: string): string {
  return etag.replace(/^"|"$/g, "");
}

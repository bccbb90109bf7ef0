/**
 * The S3 surface's one interface: buckets and objects, durable in the application's SQLite file.
 * The REST handler (s3-rest.ts), CloudFormation's AWS::S3::Bucket provider and Lambda's code
 * loading all go through it; nobody else reads the `s3_` tables.
 */
import { createHash } from "node:crypto";
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { checkBucketName } from "./bucket-name.ts";
import { noSuchBucket, noSuchKey, S3Error } from "./errors.ts";
import { expiredKeys } from "./lifecycle.ts";
import { listObjectsV2 } from "./list-objects.ts";
import { createUpload, dropBucketUploads, dropUpload, joinParts, putPart } from "./multipart-store.ts";
import { migrateS3 } from "./s3-schema.ts";
import type {
  BucketInfo,
  ListObjectsV2Input,
  ListObjectsV2Output,
  ObjectHead,
  ObjectMeta,
  StoredObject,
} from "./types.ts";

interface BucketRow {
  name: string;
  region: string;
  owner: string;
  created_at: number;
  configuration: string;
}

interface ObjectRow {
  key: string;
  body?: Buffer;
  etag: string;
  content_type: string | null;
  metadata: string;
  last_modified: number;
  size: number;
  checksum_algorithm: string | null;
  checksum: string | null;
}

const HEAD_COLUMNS = "key, etag, content_type, metadata, last_modified, size, checksum_algorithm, checksum";

export class S3Store {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    migrateS3(db);
  }

  /**
   * Throws InvalidBucketName (400), BucketAlreadyExists (409) for another account's bucket and
   * BucketAlreadyOwnedByYou (409) for your own, except that re-creating your own us-east-1 bucket
   * in us-east-1 succeeds, S3's legacy behaviour there.
   */
  createBucket(name: string, region: string, owner: string): void {
    checkBucketName(name);
    const existing = this.row(name);
    if (existing) {
      if (existing.owner !== owner) throw new S3Error("BucketAlreadyExists", { BucketName: name });
      if (existing.region === "us-east-1" && region === "us-east-1") return;
      throw new S3Error("BucketAlreadyOwnedByYou", { BucketName: name });
    }
    this.db
      .prepare("INSERT INTO s3_buckets (name, region, owner, created_at) VALUES (?, ?, ?, ?)")
      .run(name, region, owner, this.clock.now());
  }

  /** Throws NoSuchBucket (404), or BucketNotEmpty (409) while it holds an object. */
  deleteBucket(name: string): void {
    this.db.transaction(() => {
      this.required(name);
      if (this.db.prepare("SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1").get(name)) {
        throw new S3Error("BucketNotEmpty", { BucketName: name });
      }
      dropBucketUploads(this.db, name);
      this.db.prepare("DELETE FROM s3_buckets WHERE name = ?").run(name);
    })();
  }

  bucket(name: string): BucketInfo | undefined {
    const row = this.row(name);
    return row && toBucket(row);
  }

  /** Every bucket, by name. */
  buckets(): BucketInfo[] {
    const rows = this.db.prepare("SELECT * FROM s3_buckets ORDER BY name").all() as BucketRow[];
    return rows.map(toBucket);
  }

  /** Replaces the bucket's configuration (what AWS::S3::Bucket's properties say). */
  setBucketConfiguration(name: string, configuration: Record<string, unknown>): void {
    this.required(name);
    this.db
      .prepare("UPDATE s3_buckets SET configuration = ? WHERE name = ?")
      .run(JSON.stringify(configuration), name);
  }

  /** Stores (or replaces) an object; the ETag is the quoted hex MD5 of the body. */
  putObject(bucket: string, key: string, body: Buffer, meta: ObjectMeta = {}): { etag: string } {
    checkKey(key);
    checkMetadata(meta.metadata ?? {});
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    this.required(bucket);
    this.write(bucket, key, body, meta, etag);
    return { etag };
  }

  /** Starts a multipart upload; returns its UploadId. Throws NoSuchBucket. */
  createMultipartUpload(bucket: string, key: string, meta: ObjectMeta = {}): string {
    checkKey(key);
    checkMetadata(meta.metadata ?? {});
    this.required(bucket);
    return createUpload(this.db, this.clock, bucket, key, meta);
  }

  /** Stores one part (1 to 10,000; a repeated number replaces it). Throws NoSuchUpload (404). */
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
  ): { etag: string } {
    this.required(bucket);
    return { etag: putPart(this.db, { bucket, key, uploadId }, partNumber, body) };
  }

  /**
   * Joins the listed parts into the object. Throws NoSuchUpload, InvalidPart (missing part or
   * wrong ETag), InvalidPartOrder, EntityTooSmall (a part but the last under 5 MiB).
   */
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
  ): { etag: string } {
    this.required(bucket);
    const upload = { bucket, key, uploadId };
    return this.db.transaction(() => {
      const joined = joinParts(this.db, upload, parts);
      this.write(bucket, key, joined.body, joined.meta, joined.etag);
      dropUpload(this.db, upload);
      return { etag: joined.etag };
    })();
  }

  /** Discards an upload and its parts. Throws NoSuchUpload. */
  abortMultipartUpload(bucket: string, key: string, uploadId: string): void {
    this.required(bucket);
    dropUpload(this.db, { bucket, key, uploadId });
  }

  /** Throws NoSuchBucket or NoSuchKey (404). */
  getObject(bucket: string, key: string): StoredObject {
    this.required(bucket);
    const row = this.db.prepare("SELECT * FROM s3_objects WHERE bucket = ? AND key = ?").get(bucket, key) as
      | ObjectRow
      | undefined;
    if (!row) throw noSuchKey(key);
    return { ...toHead(row), body: row.body as Buffer };
  }

  /** The object without its body. Throws NoSuchBucket or NoSuchKey (404). */
  headObject(bucket: string, key: string): ObjectHead {
    this.required(bucket);
    const row = this.db
      .prepare(`SELECT ${HEAD_COLUMNS} FROM s3_objects WHERE bucket = ? AND key = ?`)
      .get(bucket, key) as ObjectRow | undefined;
    if (!row) throw noSuchKey(key);
    return toHead(row);
  }

  /** Succeeds whether or not the key exists, as S3 does; throws NoSuchBucket. */
  deleteObject(bucket: string, key: string): void {
    this.required(bucket);
    this.db.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ?").run(bucket, key);
  }

  /** ListObjectsV2: keys in UTF-8 binary order, grouped by `delimiter`. Throws NoSuchBucket. */
  listObjectsV2(bucket: string, input: ListObjectsV2Input = {}): ListObjectsV2Output {
    this.required(bucket);
    return listObjectsV2(this.db, bucket, input);
  }

  /**
   * Deletes the objects that buckets' enabled lifecycle rules have expired by `now` (S3 rounds
   * an object's expiry up to the next midnight UTC). S3 does this in the background; here the
   * caller (the local cloud's timer, or a test) decides when. Returns how many were deleted.
   */
  expire(now = this.clock.now()): number {
    let deleted = 0;
    const remove = this.db.prepare("DELETE FROM s3_objects WHERE bucket = ? AND key = ?");
    const objects = this.db.prepare("SELECT key, last_modified FROM s3_objects WHERE bucket = ?");
    this.db.transaction(() => {
      for (const bucket of this.buckets()) {
        const rows = objects.all(bucket.name) as { key: string; last_modified: number }[];
        for (const key of expiredKeys(bucket.configuration, rows, now))
          deleted += remove.run(bucket.name, key).changes;
      }
    })();
    return deleted;
  }

  private write(bucket: string, key: string, body: Buffer, meta: ObjectMeta, etag: string): void {
    this.db
      .prepare(
        `INSERT INTO s3_objects (bucket, key, body, etag, content_type, metadata, last_modified, size, checksum_algorithm, checksum)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(bucket, key) DO UPDATE SET body = excluded.body, etag = excluded.etag,
           content_type = excluded.content_type, metadata = excluded.metadata,
           last_modified = excluded.last_modified, size = excluded.size,
           checksum_algorithm = excluded.checksum_algorithm, checksum = excluded.checksum`,
      )
      .run(
        bucket,
        key,
        body,
        etag,
        meta.contentType ?? null,
        JSON.stringify(meta.metadata ?? {}),
        this.clock.now(),
        body.length,
        meta.checksum?.algorithm ?? null,
        meta.checksum?.value ?? null,
      );
  }

  private row(name: string): BucketRow | undefined {
    return this.db.prepare("SELECT * FROM s3_buckets WHERE name = ?").get(name) as BucketRow | undefined;
  }

  private required(name: string): BucketRow {
    const row = this.row(name);
    if (!row) throw noSuchBucket(name);
    return row;
  }
}

function toBucket(row: BucketRow): BucketInfo {
  return {
    name: row.name,
    region: row.region,
    owner: row.owner,
    createdAt: row.created_at,
    configuration: JSON.parse(row.configuration) as Record<string, unknown>,
  };
}

function toHead(row: ObjectRow): ObjectHead {
  return {
    key: row.key,
    etag: row.etag,
    size: row.size,
    lastModified: row.last_modified,
    contentType: row.content_type ?? "binary/octet-stream",
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    ...(row.checksum_algorithm && row.checksum
      ? { checksum: { algorithm: row.checksum_algorithm, value: row.checksum } }
      : {}),
  };
}

function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key);
  if (bytes === 0) throw new S3Error("InvalidArgument", {}, "An object key must not be empty.");
  if (bytes > LIMITS.s3.objectKey.max) {
    throw new S3Error(
      "KeyTooLongError",
      { Size: bytes, MaxSizeAllowed: LIMITS.s3.objectKey.max },
      `Your key is too long: ${bytes} bytes; S3 allows ${LIMITS.s3.objectKey.max} bytes of UTF-8.`,
    );
  }
}

function checkMetadata(metadata: Readonly<Record<string, string>>): void {
  // S3 counts the UTF-8 bytes of each user-defined name and value.
  let size = 0;
  for (const [name, value] of Object.entries(metadata))
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  if (size > LIMITS.s3.userMetadata.max) {
    throw new S3Error(
      "MetadataTooLarge",
      { Size: size, MaxSizeAllowed: LIMITS.s3.userMetadata.max },
      `Your metadata headers exceed the maximum allowed metadata size: ${size} bytes of x-amz-meta-* names and values; S3 allows ${LIMITS.s3.userMetadata.max}.`,
    );
  }
}

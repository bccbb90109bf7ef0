/**
 * The S3 surface's one interface: buckets and objects, durable in the application's SQLite file.
 * The REST handler (s3-rest.ts), CloudFormation's AWS::S3::Bucket provider and Lambda's code
 * loading all go through it; nobody else reads the `s3_` tables.
 */
import { createHash } from "node:crypto";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { checkBucketName } from "./bucket-name.ts";
import { checkReadConditions, checkWriteConditions } from "./conditions.ts";
import { noSuchBucket, S3Error } from "./errors.ts";
import { applyLifecycle, type LifecycleActions } from "./lifecycle-sweep.ts";
import { listObjectsV2 } from "./list-objects.ts";
import { listObjectVersions } from "./list-versions.ts";
import { createUpload, dropBucketUploads, dropUpload, joinParts, putPart } from "./multipart-store.ts";
import type { ObjectChange, ObjectChangeSink } from "./object-change.ts";
import {
  bucketHoldsVersions,
  currentVersion,
  type NewVersion,
  nextSeq,
  removeCurrent,
  removeVersion,
  sequencer,
  statement,
  type VersionRow,
  writeVersion,
} from "./object-versions.ts";
import { migrateS3 } from "./s3-schema.ts";
import {
  type BucketRow,
  checkKey,
  checkMetadata,
  invalidVersionId,
  isVersionId,
  keepingVersioning,
  readVersion,
  toBucket,
  toHead,
  versioningState,
} from "./store-rows.ts";
import type {
  BucketInfo,
  ChangeOrigin,
  CopyOptions,
  CopyResult,
  DeleteOptions,
  DeleteResult,
  ListObjectsV2Input,
  ListObjectsV2Output,
  ListVersionsInput,
  ListVersionsOutput,
  ObjectHead,
  ObjectMeta,
  ObjectWriteResult,
  StoredObject,
  VersioningState,
  VersionTarget,
  WriteOptions,
} from "./types.ts";

/** Who a change is attributed to when the caller names nobody (CloudFormation, code loading). */
const LOCAL_ORIGIN: ChangeOrigin = { principalId: "AWS:sluice", sourceIp: "127.0.0.1", requestId: "sluice" };
/** S3's own lifecycle expirations: the event message names S3's service principal instead. */
const LIFECYCLE_ORIGIN: ChangeOrigin = {
  principalId: "AmazonS3",
  sourceIp: "127.0.0.1",
  requestId: "lifecycle",
};
const EMPTY = { body: Buffer.alloc(0), etag: '"d41d8cd98f00b204e9800998ecf8427e"', meta: {} } as const;

export interface S3StoreOptions {
  /** Receives every object change, inside the change's transaction. @default none */
  readonly sink?: ObjectChangeSink;
}

export class S3Store {
  private sink: ObjectChangeSink | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: S3StoreOptions = {},
  ) {
    migrateS3(db);
    this.sink = options.sink;
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
      if (bucketHoldsVersions(this.db, name)) {
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
    this.db.transaction(() => {
      const row = this.required(name);
      this.db
        .prepare("UPDATE s3_buckets SET configuration = ? WHERE name = ?")
        .run(JSON.stringify(keepingVersioning(row, configuration)), name);
    })();
  }

  /**
   * Sets one property of the bucket's configuration (a subresource: `CorsConfiguration`,
   * `LifecycleConfiguration`…), or removes it with undefined. Throws NoSuchBucket.
   */
  setBucketProperty(name: string, property: string, value: unknown): void {
    this.db.transaction(() => {
      const row = this.required(name);
      const configuration = JSON.parse(row.configuration) as Record<string, unknown>;
      if (value === undefined) delete configuration[property];
      else configuration[property] = value;
      this.db
        .prepare("UPDATE s3_buckets SET configuration = ? WHERE name = ?")
        .run(JSON.stringify(keepingVersioning(row, configuration)), name);
    })();
  }

  /** The bucket's versioning state, from its stored `VersioningConfiguration`. Throws NoSuchBucket. */
  versioning(bucket: string): VersioningState {
    return versioningState(this.required(bucket));
  }

  /**
   * Stores an object: a new version in a versioned bucket, a replacement otherwise. The ETag is
   * the quoted hex MD5 of the body. Throws PreconditionFailed (412) or NoSuchKey for conditions
   * that do not hold (conditional writes).
   */
  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    meta: ObjectMeta = {},
    options: WriteOptions = {},
  ): ObjectWriteResult {
    checkKey(key);
    checkMetadata(meta.metadata ?? {});
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    return this.db.transaction(() => {
      const row = this.required(bucket);
      checkWriteConditions(currentVersion(this.db, bucket, key, false), key, options.conditions);
      return this.create(
        row,
        key,
        { body, etag, meta },
        options.eventName ?? "ObjectCreated:Put",
        options.origin,
      );
    })();
  }

  /**
   * CopyObject: the source version's bytes (and, with the COPY directive, its metadata and tags)
   * stored as a new object. Throws NoSuchKey/NoSuchVersion for the source, InvalidRequest for a
   * copy onto itself that changes nothing, PreconditionFailed for conditions that do not hold.
   */
  copyObject(
    source: VersionTarget,
    target: { bucket: string; key: string },
    options: CopyOptions = {},
  ): CopyResult {
    checkKey(target.key);
    return this.db.transaction(() => {
      const from = this.version(source, true);
      const replace = options.metadataDirective === "REPLACE";
      const samePlace = source.bucket === target.bucket && source.key === target.key;
      if (samePlace && !replace && options.taggingDirective !== "REPLACE" && source.versionId === undefined) {
        throw new S3Error(
          "InvalidRequest",
          {},
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
      }
      checkReadConditions(
        { etag: from.etag, lastModified: from.last_modified },
        options.sourceConditions ?? {},
        "x-amz-copy-source-",
      );
      const stored = toHead(from, true);
      const meta: ObjectMeta = replace
        ? (options.meta ?? {})
        : {
            contentType: stored.contentType,
            metadata: stored.metadata,
            headers: stored.headers,
            ...(stored.checksum ? { checksum: stored.checksum } : {}),
          };
      const tags = options.taggingDirective === "REPLACE" ? (options.tags ?? {}) : stored.tags;
      checkMetadata(meta.metadata ?? {});
      const body = from.body as Buffer;
      const etag = `"${createHash("md5").update(body).digest("hex")}"`;
      const row = this.required(target.bucket);
      checkWriteConditions(
        currentVersion(this.db, target.bucket, target.key, false),
        target.key,
        options.conditions,
      );
      const written = this.create(
        row,
        target.key,
        { body, etag, meta: { ...meta, tags } },
        "ObjectCreated:Copy",
        options.origin,
      );
      return {
        ...written,
        lastModified: this.clock.now(),
        ...(stored.versioned ? { sourceVersionId: stored.versionId } : {}),
      };
    })();
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
   * wrong ETag), InvalidPartOrder, EntityTooSmall (a part but the last under 5 MiB), and
   * PreconditionFailed for conditions that do not hold.
   */
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly { partNumber: number; etag: string }[],
    options: WriteOptions = {},
  ): ObjectWriteResult {
    const upload = { bucket, key, uploadId };
    return this.db.transaction(() => {
      const row = this.required(bucket);
      const joined = joinParts(this.db, upload, parts);
      checkWriteConditions(currentVersion(this.db, bucket, key, false), key, options.conditions);
      const written = this.create(
        row,
        key,
        { body: joined.body, etag: joined.etag, meta: joined.meta },
        "ObjectCreated:CompleteMultipartUpload",
        options.origin,
      );
      dropUpload(this.db, upload);
      return written;
    })();
  }

  /** Discards an upload and its parts. Throws NoSuchUpload. */
  abortMultipartUpload(bucket: string, key: string, uploadId: string): void {
    this.required(bucket);
    dropUpload(this.db, { bucket, key, uploadId });
  }

  /**
   * The current version, or the one `versionId` names. Throws NoSuchBucket, NoSuchKey (404, with
   * `x-amz-delete-marker` when the current version is a delete marker), NoSuchVersion, and
   * MethodNotAllowed (405) for a delete marker named by id, as S3 does.
   */
  getObject(bucket: string, key: string, versionId?: string): StoredObject {
    const row = this.version({ bucket, key, ...(versionId === undefined ? {} : { versionId }) }, true);
    return { ...toHead(row, this.versioned(bucket)), body: row.body as Buffer };
  }

  /** The object without its body; throws as getObject does. */
  headObject(bucket: string, key: string, versionId?: string): ObjectHead {
    const row = this.version({ bucket, key, ...(versionId === undefined ? {} : { versionId }) }, false);
    return toHead(row, this.versioned(bucket));
  }

  /**
   * DeleteObject. Without a version id: removes the object of an unversioned bucket (succeeding
   * whether or not it exists, as S3 does) or adds a delete marker to a versioned one. With one:
   * removes that version for good. Throws NoSuchBucket.
   */
  deleteObject(bucket: string, key: string, options: DeleteOptions = {}): DeleteResult {
    return this.db.transaction((): DeleteResult => {
      const row = this.required(bucket);
      const state = versioningState(row);
      const origin = options.origin ?? LOCAL_ORIGIN;
      if (options.versionId !== undefined) {
        const removed = removeVersion(this.db, bucket, key, options.versionId);
        if (!removed) {
          if (!isVersionId(options.versionId)) throw invalidVersionId(options.versionId);
          return { versionId: options.versionId, deleteMarker: false };
        }
        this.emit(bucket, key, "ObjectRemoved:Delete", nextSeq(this.db), origin, {
          versionId: removed.version_id,
        });
        return { versionId: removed.version_id, deleteMarker: removed.delete_marker === 1 };
      }
      // Unversioned: S3 answers 204 and notifies whether or not the key existed (MinIO matched
      // this in minio/minio#19037).
      return this.removeOrMark(bucket, key, state, origin, "ObjectRemoved");
    })();
  }

  /** ListObjectsV2: keys in UTF-8 binary order, grouped by `delimiter`. Throws NoSuchBucket. */
  listObjectsV2(bucket: string, input: ListObjectsV2Input = {}): ListObjectsV2Output {
    this.required(bucket);
    return listObjectsV2(this.db, bucket, input);
  }

  /** ListObjectVersions: every version and delete marker, newest first within a key. */
  listObjectVersions(bucket: string, input: ListVersionsInput = {}): ListVersionsOutput {
    this.required(bucket);
    return listObjectVersions(this.db, bucket, input);
  }

  /** The object's tags (GetObjectTagging). Throws as headObject does. */
  objectTags(
    bucket: string,
    key: string,
    versionId?: string,
  ): { tags: Record<string, string>; versionId: string } {
    const head = this.headObject(bucket, key, versionId);
    return { tags: { ...head.tags }, versionId: head.versionId };
  }

  /**
   * Replaces (or, with undefined, removes) a version's tags in place: tagging makes no new
   * version. Emits ObjectTagging:Put or :Delete.
   */
  setObjectTags(
    bucket: string,
    key: string,
    tags: Record<string, string> | undefined,
    options: { versionId?: string; origin?: ChangeOrigin } = {},
  ): { versionId: string } {
    return this.db.transaction(() => {
      const row = this.version(
        { bucket, key, ...(options.versionId === undefined ? {} : { versionId: options.versionId }) },
        false,
      );
      const json = JSON.stringify(tags ?? {});
      this.db
        .prepare("UPDATE s3_objects SET tags = ? WHERE bucket = ? AND key = ? AND seq = ?")
        .run(json, bucket, key, row.seq);
      this.db
        .prepare("UPDATE s3_versions SET tags = ? WHERE bucket = ? AND key = ? AND seq = ?")
        .run(json, bucket, key, row.seq);
      const versioned = this.versioned(bucket);
      this.emit(
        bucket,
        key,
        tags === undefined ? "ObjectTagging:Delete" : "ObjectTagging:Put",
        nextSeq(this.db),
        options.origin ?? LOCAL_ORIGIN,
        versioned ? { versionId: row.version_id } : {},
      );
      return { versionId: row.version_id };
    })();
  }

  /**
   * Applies the buckets' enabled lifecycle rules as of `now`: expires current objects (a delete
   * marker in a versioned bucket), deletes noncurrent versions and aborts incomplete multipart
   * uploads, emitting LifecycleExpiration events. S3 does this in the background, about once a
   * day; here the caller (the local cloud's timer, or a test) decides when. Returns how many
   * objects and versions were expired.
   */
  expire(now = this.clock.now()): number {
    return this.db.transaction(() => {
      let expired = 0;
      for (const bucket of this.buckets())
        expired += applyLifecycle(this.db, bucket, now, this.lifecycleActions(bucket.name));
      return expired;
    })();
  }

  private lifecycleActions(bucket: string): LifecycleActions {
    return {
      expireCurrent: (key) => {
        const row = this.required(bucket);
        const state = versioningState(row);
        this.removeOrMark(bucket, key, state, LIFECYCLE_ORIGIN, "LifecycleExpiration");
      },
      expireVersion: (key, versionId) => {
        removeVersion(this.db, bucket, key, versionId);
        this.emit(bucket, key, "LifecycleExpiration:Delete", nextSeq(this.db), LIFECYCLE_ORIGIN, {
          versionId,
        });
      },
    };
  }

  /** Sets the sink every object change is recorded to, inside the change's transaction. */
  setChangeSink(sink: ObjectChangeSink | undefined): void {
    this.sink = sink;
  }

  private create(
    bucket: BucketRow,
    key: string,
    version: NewVersion,
    eventName: string,
    origin: ChangeOrigin | undefined,
  ): ObjectWriteResult {
    const state = versioningState(bucket);
    const written = writeVersion(this.db, bucket.name, key, state, version, this.clock.now());
    const versioned = state !== "Unversioned";
    this.emit(bucket.name, key, eventName, written.seq, origin ?? LOCAL_ORIGIN, {
      size: version.body.length,
      eTag: version.etag.replace(/"/g, ""),
      ...(versioned ? { versionId: written.versionId } : {}),
    });
    return { etag: version.etag, ...(versioned ? { versionId: written.versionId } : {}) };
  }

  /**
   * A delete without a version id, by a caller or by lifecycle: unversioned, the object goes
   * (`<family>:Delete`); versioned or suspended, a delete marker becomes current
   * (`<family>:DeleteMarkerCreated`). Runs inside the caller's transaction.
   */
  private removeOrMark(
    bucket: string,
    key: string,
    state: VersioningState,
    origin: ChangeOrigin,
    family: "ObjectRemoved" | "LifecycleExpiration",
  ): { versionId?: string; deleteMarker: boolean } {
    if (state === "Unversioned") {
      removeCurrent(this.db, bucket, key);
      this.emit(bucket, key, `${family}:Delete`, nextSeq(this.db), origin, {});
      return { deleteMarker: false };
    }
    const marker = writeVersion(
      this.db,
      bucket,
      key,
      state,
      { ...EMPTY, deleteMarker: true },
      this.clock.now(),
    );
    this.emit(bucket, key, `${family}:DeleteMarkerCreated`, marker.seq, origin, {
      versionId: marker.versionId,
    });
    return { versionId: marker.versionId, deleteMarker: true };
  }

  private emit(
    bucket: string,
    key: string,
    eventName: string,
    seq: number,
    origin: ChangeOrigin,
    extra: { size?: number; eTag?: string; versionId?: string },
  ): void {
    if (!this.sink) return;
    const change: ObjectChange = {
      bucket,
      key,
      eventName,
      ...extra,
      sequencer: sequencer(seq),
      eventTime: this.clock.now(),
      principalId: origin.principalId,
      sourceIp: origin.sourceIp,
      requestId: origin.requestId,
      ...(origin.traceHeader === undefined ? {} : { traceHeader: origin.traceHeader }),
    };
    this.sink.record(change);
  }

  /** A version by id, or the current one; throws S3's errors for what is missing. */
  private version(target: VersionTarget, body: boolean): VersionRow {
    this.required(target.bucket);
    return readVersion(this.db, target, body);
  }

  private versioned(bucket: string): boolean {
    const row = this.row(bucket);
    return row !== undefined && versioningState(row) !== "Unversioned";
  }

  private row(name: string): BucketRow | undefined {
    return statement(this.db, "SELECT * FROM s3_buckets WHERE name = ?").get(name) as BucketRow | undefined;
  }

  private required(name: string): BucketRow {
    const row = this.row(name);
    if (!row) throw noSuchBucket(name);
    return row;
  }
}

/**
 * Object versions over `s3_objects` (each key's current version, delete markers included) and
 * `s3_versions` (the noncurrent ones), as S3 keeps them
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html):
 * - unversioned: a write replaces the object, a delete removes it;
 * - enabled: a write adds a version with a new id, a delete adds a delete marker;
 * - suspended: writes and deletes make the `null` version (a delete marker for a delete),
 *   replacing any earlier `null` version and keeping the others
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VersionSuspendedBehavior.html).
 * Deleting a version by id removes it for good; when it was current, the newest noncurrent
 * version (or delete marker) becomes current. Callers run these inside their transaction.
 */
import { randomBytes } from "node:crypto";
import type { Statement as SqliteStatement } from "better-sqlite3";
import type { Db } from "../store/index.ts";
import type { ObjectMeta, VersioningState } from "./types.ts";

export interface VersionRow {
  key: string;
  version_id: string;
  delete_marker: number;
  seq: number;
  body?: Buffer;
  etag: string;
  content_type: string | null;
  metadata: string;
  headers: string;
  tags: string;
  last_modified: number;
  size: number;
  checksum_algorithm: string | null;
  checksum: string | null;
  /** Noncurrent versions only. */
  noncurrent_since?: number;
}

/** The columns both tables share, bodies left out. */
export const VERSION_COLUMNS =
  "key, version_id, delete_marker, seq, etag, content_type, metadata, headers, tags, last_modified, size, checksum_algorithm, checksum";
const ALL_COLUMNS = `bucket, ${VERSION_COLUMNS}, body`;
const UPDATE_ALL = `${VERSION_COLUMNS}, body`
  .split(", ")
  .filter((c) => c !== "key")
  .map((c) => `${c} = excluded.${c}`)
  .join(", ");

/** Statements prepared once per connection: preparing costs more than a small write. */
const prepared = new WeakMap<Db, Map<string, Statement>>();
// Named, so declaration files (sluice/testing's reach this file) can name it.
type Statement = SqliteStatement<unknown[]>;

function prepare(db: Db, sql: string): Statement {
  return db.prepare<unknown[]>(sql);
}

export function statement(db: Db, sql: string): Statement {
  let cache = prepared.get(db);
  if (!cache) {
    cache = new Map();
    prepared.set(db, cache);
  }
  let found = cache.get(sql);
  if (!found) {
    found = prepare(db, sql);
    cache.set(sql, found);
  }
  return found;
}

export interface NewVersion {
  readonly body: Buffer;
  readonly etag: string;
  readonly meta: ObjectMeta;
  readonly deleteMarker?: boolean;
}

/** The next value of the store's one counter: orders versions and is each event's sequencer. */
export function nextSeq(db: Db): number {
  return (
    statement(db, "UPDATE s3_sequence SET value = value + 1 RETURNING value").get() as { value: number }
  ).value;
}

/** S3's sequencer: fixed-width upper-case hex, so that comparing strings compares the counter. */
export function sequencer(seq: number): string {
  return seq.toString(16).toUpperCase().padStart(18, "0");
}

export function currentVersion(db: Db, bucket: string, key: string, body: boolean): VersionRow | undefined {
  const columns = body ? `${VERSION_COLUMNS}, body` : VERSION_COLUMNS;
  return statement(db, `SELECT ${columns} FROM s3_objects WHERE bucket = ? AND key = ?`).get(bucket, key) as
    | VersionRow
    | undefined;
}

/** A version by id, current or not. */
export function findVersion(
  db: Db,
  bucket: string,
  key: string,
  versionId: string,
  body: boolean,
): { row: VersionRow; latest: boolean } | undefined {
  const current = currentVersion(db, bucket, key, body);
  if (current?.version_id === versionId) return { row: current, latest: true };
  const columns = body ? `${VERSION_COLUMNS}, body` : VERSION_COLUMNS;
  const row = db
    .prepare(
      `SELECT ${columns}, noncurrent_since FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ? ORDER BY seq DESC LIMIT 1`,
    )
    .get(bucket, key, versionId) as VersionRow | undefined;
  return row && { row, latest: false };
}

/**
 * Writes a new current version (an object or a delete marker) under `state`'s rules. Returns its
 * version id (`null` unless versioning is enabled) and sequence number.
 */
export function writeVersion(
  db: Db,
  bucket: string,
  key: string,
  state: VersioningState,
  version: NewVersion,
  now: number,
): { versionId: string; seq: number } {
  const seq = nextSeq(db);
  const versionId = state === "Enabled" ? newVersionId() : "null";
  // Unversioned, the old row is simply overwritten: reading it first would walk its body's
  // overflow pages for nothing (a 1 MB object is ~250 pages).
  const current = state === "Unversioned" ? undefined : currentVersion(db, bucket, key, false);
  if (current && !(state === "Suspended" && current.version_id === "null")) {
    archiveCurrent(db, bucket, key, now);
  }
  if (state === "Suspended") {
    statement(db, "DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = 'null'").run(
      bucket,
      key,
    );
  }
  const meta = version.meta;
  // An upsert rewrites the row in place: half the cost of INSERT OR REPLACE (delete, then insert)
  // for a 1 MB body, measured.
  statement(
    db,
    `INSERT INTO s3_objects (${ALL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(bucket, key) DO UPDATE SET ${UPDATE_ALL}`,
  ).run(
    bucket,
    key,
    versionId,
    version.deleteMarker ? 1 : 0,
    seq,
    version.etag,
    meta.contentType ?? null,
    JSON.stringify(meta.metadata ?? {}),
    JSON.stringify(meta.headers ?? {}),
    JSON.stringify(meta.tags ?? {}),
    now,
    version.body.length,
    meta.checksum?.algorithm ?? null,
    meta.checksum?.value ?? null,
    version.body,
  );
  return { versionId, seq };
}

/** Removes the current version of an unversioned bucket's key. Returns it, or undefined when none. */
export function removeCurrent(db: Db, bucket: string, key: string): VersionRow | undefined {
  const current = currentVersion(db, bucket, key, false);
  if (current) statement(db, "DELETE FROM s3_objects WHERE bucket = ? AND key = ?").run(bucket, key);
  return current;
}

/**
 * Deletes one version for good; when it was current, the newest noncurrent one takes its place.
 * Returns the removed version, or undefined when there was none with that id.
 */
export function removeVersion(
  db: Db,
  bucket: string,
  key: string,
  versionId: string,
): VersionRow | undefined {
  const found = findVersion(db, bucket, key, versionId, false);
  if (!found) return undefined;
  if (!found.latest) {
    statement(db, "DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND seq = ?").run(
      bucket,
      key,
      found.row.seq,
    );
    return found.row;
  }
  statement(db, "DELETE FROM s3_objects WHERE bucket = ? AND key = ?").run(bucket, key);
  const newest = db
    .prepare("SELECT seq FROM s3_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1")
    .get(bucket, key) as { seq: number } | undefined;
  if (newest) {
    statement(
      db,
      `INSERT INTO s3_objects (${ALL_COLUMNS}) SELECT ${ALL_COLUMNS} FROM s3_versions WHERE bucket = ? AND key = ? AND seq = ?`,
    ).run(bucket, key, newest.seq);
    statement(db, "DELETE FROM s3_versions WHERE bucket = ? AND key = ? AND seq = ?").run(
      bucket,
      key,
      newest.seq,
    );
  }
  return found.row;
}

/** Whether the bucket holds anything at all: versions and delete markers count (BucketNotEmpty). */
export function bucketHoldsVersions(db: Db, bucket: string): boolean {
  return (
    statement(db, "SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1").get(bucket) !== undefined ||
    statement(db, "SELECT 1 FROM s3_versions WHERE bucket = ? LIMIT 1").get(bucket) !== undefined
  );
}

function archiveCurrent(db: Db, bucket: string, key: string, now: number): void {
  statement(
    db,
    `INSERT INTO s3_versions (${ALL_COLUMNS}, noncurrent_since) SELECT ${ALL_COLUMNS}, ? FROM s3_objects WHERE bucket = ? AND key = ?`,
  ).run(now, bucket, key);
}

/** 32 URL-safe characters, like S3's version ids. */
function newVersionId(): string {
  return randomBytes(24).toString("base64url");
}

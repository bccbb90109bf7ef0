import { type Db, migrate } from "../store/index.ts";

/**
 * S3's tables. Keys are TEXT under SQLite's BINARY collation, which compares the UTF-8 bytes:
 * the order S3 lists keys in. Bodies are BLOBs in the row: a 1 MB object reads and writes at
 * SQLite's own BLOB speed (measured: within the noise of a bare upsert of the same bytes). Multipart uploads keep their parts until completed or aborted.
 *
 * Versioning (step 5 on): `s3_objects` holds each key's current version, a delete marker
 * included (`delete_marker` = 1, listed by ListObjectVersions, hidden from ListObjectsV2);
 * `s3_versions` holds the noncurrent ones. Every version gets `seq` from the one `s3_sequence`
 * counter: it orders a key's versions (newest first) and is the S3 event sequencer.
 */
export function migrateS3(db: Db): void {
  migrate(db, "s3", [
    `CREATE TABLE s3_buckets (
       name TEXT PRIMARY KEY,
       region TEXT NOT NULL,
       owner TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       configuration TEXT NOT NULL DEFAULT '{}'
     )`,
    `CREATE TABLE s3_objects (
       bucket TEXT NOT NULL REFERENCES s3_buckets(name),
       key TEXT NOT NULL,
       body BLOB NOT NULL,
       etag TEXT NOT NULL,
       content_type TEXT,
       metadata TEXT NOT NULL,
       last_modified INTEGER NOT NULL,
       size INTEGER NOT NULL,
       checksum_algorithm TEXT,
       checksum TEXT,
       PRIMARY KEY (bucket, key)
     )`,
    `CREATE TABLE s3_uploads (
       upload_id TEXT PRIMARY KEY,
       bucket TEXT NOT NULL,
       key TEXT NOT NULL,
       content_type TEXT,
       metadata TEXT NOT NULL,
       created_at INTEGER NOT NULL
     )`,
    `CREATE TABLE s3_parts (
       upload_id TEXT NOT NULL,
       part_number INTEGER NOT NULL,
       body BLOB NOT NULL,
       etag TEXT NOT NULL,
       PRIMARY KEY (upload_id, part_number)
     )`,
    "ALTER TABLE s3_objects ADD COLUMN version_id TEXT NOT NULL DEFAULT 'null'",
    "ALTER TABLE s3_objects ADD COLUMN delete_marker INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE s3_objects ADD COLUMN seq INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE s3_objects ADD COLUMN headers TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE s3_objects ADD COLUMN tags TEXT NOT NULL DEFAULT '{}'",
    `CREATE TABLE s3_versions (
       bucket TEXT NOT NULL REFERENCES s3_buckets(name),
       key TEXT NOT NULL,
       seq INTEGER NOT NULL,
       version_id TEXT NOT NULL,
       delete_marker INTEGER NOT NULL,
       body BLOB NOT NULL,
       etag TEXT NOT NULL,
       content_type TEXT,
       metadata TEXT NOT NULL,
       headers TEXT NOT NULL,
       tags TEXT NOT NULL,
       last_modified INTEGER NOT NULL,
       size INTEGER NOT NULL,
       checksum_algorithm TEXT,
       checksum TEXT,
       noncurrent_since INTEGER NOT NULL,
       PRIMARY KEY (bucket, key, seq)
     )`,
    "CREATE INDEX s3_versions_by_id ON s3_versions (bucket, key, version_id)",
    "CREATE TABLE s3_sequence (value INTEGER NOT NULL)",
    "INSERT INTO s3_sequence (value) VALUES (0)",
    "ALTER TABLE s3_uploads ADD COLUMN headers TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE s3_uploads ADD COLUMN tags TEXT NOT NULL DEFAULT '{}'",
  ]);
}

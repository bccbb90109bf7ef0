import { type Db, migrate } from "../store/index.ts";

/**
 * S3's tables. Keys are TEXT under SQLite's BINARY collation, which compares the UTF-8 bytes:
 * the order S3 lists keys in. Bodies are BLOBs in the row (objects here are deploy artifacts
 * and templates, megabytes at most). Multipart uploads keep their parts until completed or aborted.
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
  ]);
}

import { type Db, migrate } from "../../store/index.ts";

/**
 * The streams' own tables in the app's SQLite file. `seq` numbers every record of every stream,
 * so records of one shard read in write order. Images are stored as written; the record's JSON is
 * put together on read, once its sequence number exists.
 */
export function migrateStreams(db: Db): void {
  migrate(db, "dynamodb-streams", [
    `CREATE TABLE dynamodb_stream_shards (
       stream_arn TEXT NOT NULL,
       shard INTEGER NOT NULL,
       shard_id TEXT NOT NULL,
       created_at INTEGER NOT NULL,
       starting_seq INTEGER NOT NULL,
       trimmed_through INTEGER NOT NULL DEFAULT 0,
       PRIMARY KEY (stream_arn, shard)
     )`,
    `CREATE TABLE dynamodb_stream_records (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       stream_arn TEXT NOT NULL,
       shard INTEGER NOT NULL,
       item_hash INTEGER NOT NULL,
       created_at INTEGER NOT NULL,
       event_id TEXT NOT NULL,
       event_name TEXT NOT NULL,
       view_type TEXT NOT NULL,
       keys TEXT NOT NULL,
       new_image TEXT,
       old_image TEXT,
       size_bytes INTEGER NOT NULL,
       user_identity TEXT
     )`,
    "CREATE INDEX dynamodb_stream_records_shard ON dynamodb_stream_records (stream_arn, shard, seq)",
    "CREATE INDEX dynamodb_stream_records_age ON dynamodb_stream_records (created_at)",
  ]);
}

import { type Db, migrate } from "../../store/index.ts";

/**
 * A region's replication tables, in its own SQLite file beside the items.
 * - `ddb_replica_versions`: each item's last write (write-version.ts), kept after a delete as its
 *   tombstone; keyed like `ddb_items`. Forgotten once no older write can still arrive
 *   (global-table-replication.ts `forgetVersions`).
 * - `ddb_replica_outbox`: the writes this region took itself to global tables, committed in the
 *   write's transaction, so what was acknowledged is never lost before it is replicated. Rows
 *   leave once every other region has applied them.
 * - `ddb_replica_checkpoints`: per source region and table, the last outbox row applied here,
 *   committed in the same transaction as the replicated writes (so a crash neither loses nor
 *   repeats one). Per table, because each global table has its own set of replica regions
 *   (`sluice cloud`) and a table missing in one region must not hold back the others.
 */
export function migrateReplicas(db: Db): void {
  migrate(db, "dynamodb-global-tables", [
    `CREATE TABLE ddb_replica_versions (
       table_id INTEGER NOT NULL,
       pk BLOB NOT NULL,
       sk BLOB NOT NULL,
       ts INTEGER NOT NULL,
       region TEXT NOT NULL,
       deleted INTEGER NOT NULL,
       PRIMARY KEY (table_id, pk, sk)
     ) WITHOUT ROWID`,
    `CREATE TABLE ddb_replica_outbox (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       table_name TEXT NOT NULL,
       written_at INTEGER NOT NULL,
       ts INTEGER NOT NULL,
       region TEXT NOT NULL,
       keys TEXT NOT NULL,
       item TEXT
     )`,
    `CREATE TABLE ddb_replica_checkpoints (
       source_region TEXT PRIMARY KEY,
       seq INTEGER NOT NULL,
       applied_at INTEGER NOT NULL
     )`,
    // Checkpoints per table (re-applying rows after the drop is harmless: last writer wins skips them).
    `DROP TABLE ddb_replica_checkpoints;
     CREATE TABLE ddb_replica_checkpoints (
       source_region TEXT NOT NULL,
       table_name TEXT NOT NULL,
       seq INTEGER NOT NULL,
       applied_at INTEGER NOT NULL,
       PRIMARY KEY (source_region, table_name)
     ) WITHOUT ROWID;
     CREATE INDEX ddb_replica_outbox_table ON ddb_replica_outbox (table_name, seq);`,
  ]);
}

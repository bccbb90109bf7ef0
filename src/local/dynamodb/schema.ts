import { type Db, migrate } from "../store/index.ts";

/**
 * The DynamoDB surface's tables. Items are keyed by the hash of their partition key, then the
 * order-preserving encodings of their key values (key-encoding.ts): a Scan walks that key in
 * order (DynamoDB's Scan order; a parallel Scan segment is a range of hashes), and a Query is a
 * range scan under one (hash, partition key). One key serving both, rather than a second index in
 * Scan's order, spares every write a page (the third step moves an older file's items onto it).
 * An index entry points at its item's key, hash included; the item itself is stored once. `ttl`
 * holds the item's expiry (epoch seconds) while the table's TTL is on, for the TTL sweep. Item
 * counts and sizes are summed from `ddb_items` when first asked for and kept in memory since
 * (table-registry.ts): the second step drops the row every write used to update.
 */
const STEPS = [
  `CREATE TABLE ddb_tables (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    meta TEXT NOT NULL
  );
  CREATE TABLE ddb_table_counts (
    table_id INTEGER PRIMARY KEY,
    item_count INTEGER NOT NULL DEFAULT 0,
    size_bytes INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE ddb_items (
    table_id INTEGER NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    hash INTEGER NOT NULL,
    item TEXT NOT NULL,
    size INTEGER NOT NULL,
    ttl REAL,
    PRIMARY KEY (table_id, pk, sk)
  ) WITHOUT ROWID;
  CREATE INDEX ddb_items_scan ON ddb_items (table_id, hash, pk, sk);
  CREATE INDEX ddb_items_ttl ON ddb_items (table_id, ttl) WHERE ttl IS NOT NULL;
  CREATE TABLE ddb_index_entries (
    table_id INTEGER NOT NULL,
    index_name TEXT NOT NULL,
    ipk BLOB NOT NULL,
    isk BLOB NOT NULL,
    hash INTEGER NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    PRIMARY KEY (table_id, index_name, ipk, isk, pk, sk)
  ) WITHOUT ROWID;
  CREATE INDEX ddb_index_entries_scan ON ddb_index_entries (table_id, index_name, hash, ipk, isk, pk, sk);
  CREATE INDEX ddb_index_entries_item ON ddb_index_entries (table_id, pk, sk);
  CREATE TABLE ddb_transaction_tokens (
    token TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );`,
  "DROP TABLE ddb_table_counts;",
  `ALTER TABLE ddb_index_entries ADD COLUMN item_hash INTEGER NOT NULL DEFAULT 0;
  UPDATE ddb_index_entries SET item_hash = COALESCE((SELECT i.hash FROM ddb_items i
    WHERE i.table_id = ddb_index_entries.table_id AND i.pk = ddb_index_entries.pk AND i.sk = ddb_index_entries.sk), 0);
  CREATE TABLE ddb_items_by_hash (
    table_id INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    item TEXT NOT NULL,
    size INTEGER NOT NULL,
    ttl REAL,
    PRIMARY KEY (table_id, hash, pk, sk)
  ) WITHOUT ROWID;
  INSERT INTO ddb_items_by_hash (table_id, hash, pk, sk, item, size, ttl)
    SELECT table_id, hash, pk, sk, item, size, ttl FROM ddb_items;
  DROP TABLE ddb_items;
  ALTER TABLE ddb_items_by_hash RENAME TO ddb_items;
  CREATE INDEX ddb_items_ttl ON ddb_items (table_id, ttl) WHERE ttl IS NOT NULL;`,
  // No statement looks index entries up by their item's key; the index cost each entry a page.
  "DROP INDEX ddb_index_entries_item;",
];

export function migrateDynamoDb(db: Db): void {
  migrate(db, "dynamodb", STEPS);
}

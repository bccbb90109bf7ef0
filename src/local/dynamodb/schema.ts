import { type Db, migrate } from "../store/index.ts";

/**
 * The DynamoDB surface's tables. Items are keyed by the order-preserving encodings of their key
 * values (key-encoding.ts), so a Query is a range scan of the primary key and a Scan one of
 * `ddb_items_scan` (hash of the partition key, then the key: DynamoDB's Scan order, and a
 * parallel Scan segment is a range of hashes). An index entry points at its item's key; the item
 * itself is stored once. `ttl` holds the item's expiry (epoch seconds) while the table's TTL is
 * on, for the TTL sweep. Item counts live apart from the metadata, so a write updates a small row.
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
];

export function migrateDynamoDb(db: Db): void {
  migrate(db, "dynamodb", STEPS);
}

/**
 * A state file written before items were keyed by their partition key's hash (and before counts
 * left their row) opens with its items, index entries and counts intact: the migration moves
 * them onto the new key. The old layout is made here from a current file by SQL, as the
 * version before this one left it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { DynamoDbService } from "../../src/local/dynamodb/index.ts";
import { openStore } from "../../src/local/store/index.ts";
import { N, playerIndexTable, S } from "../support/dynamodb-rig.ts";
import { tempDir } from "../support/temp.ts";

/** The DynamoDB tables as schema version 1 had them: items keyed (table_id, pk, sk), a Scan index, a counts row. */
const VERSION_1 = `
  CREATE TABLE ddb_items_v1 (
    table_id INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL, hash INTEGER NOT NULL,
    item TEXT NOT NULL, size INTEGER NOT NULL, ttl REAL, PRIMARY KEY (table_id, pk, sk)
  ) WITHOUT ROWID;
  INSERT INTO ddb_items_v1 (table_id, pk, sk, hash, item, size, ttl)
    SELECT table_id, pk, sk, hash, item, size, ttl FROM ddb_items;
  DROP TABLE ddb_items;
  ALTER TABLE ddb_items_v1 RENAME TO ddb_items;
  CREATE INDEX ddb_items_scan ON ddb_items (table_id, hash, pk, sk);
  CREATE INDEX ddb_items_ttl ON ddb_items (table_id, ttl) WHERE ttl IS NOT NULL;
  ALTER TABLE ddb_index_entries DROP COLUMN item_hash;
  CREATE INDEX ddb_index_entries_item ON ddb_index_entries (table_id, pk, sk);
  CREATE TABLE ddb_table_counts (
    table_id INTEGER PRIMARY KEY, item_count INTEGER NOT NULL DEFAULT 0, size_bytes INTEGER NOT NULL DEFAULT 0
  );
  UPDATE schema_versions SET version = 1 WHERE surface = 'dynamodb';
`;

test("a file of schema version 1 opens with its items, index entries and counts", () => {
  const temp = tempDir("sluice-ddb-migrate-");
  const file = join(temp.dir, "state.sqlite");
  const options = {
    clock: new ManualClock(0),
    region: "us-east-1",
    accountId: "123456789012",
    streams: { record() {} },
  };
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
  try {
    const before = openStore(file);
    const first = new DynamoDbService({ db: before, ...options });
    first.execute("CreateTable", playerIndexTable("migrated"));
    for (let i = 0; i < 20; i++) {
      const item = { pk: S(`p${i % 4}`), sk: N(i), player: S(i % 2 === 0 ? "ann" : "bob") };
      first.execute("PutItem", { TableName: "migrated", Item: item });
    }
    const scanBefore = plain(first.execute("Scan", { TableName: "migrated" }));
    before.exec(VERSION_1);
    before.close();

    const db = openStore(file);
    try {
      const service = new DynamoDbService({ db, ...options });
      const version = db.prepare("SELECT version FROM schema_versions WHERE surface = 'dynamodb'").get();
      assert.deepEqual(version, { version: 4 });
      assert.deepEqual(
        plain(service.execute("Scan", { TableName: "migrated" })),
        scanBefore,
        "Scan order kept",
      );
      assert.deepEqual(
        plain(service.execute("GetItem", { TableName: "migrated", Key: { pk: S("p1"), sk: N(5) } })),
        { Item: { pk: S("p1"), sk: N(5), player: S("bob") } },
      );
      const query = plain(
        service.execute("Query", {
          TableName: "migrated",
          KeyConditionExpression: "pk = :p AND sk > :s",
          ExpressionAttributeValues: { ":p": S("p2"), ":s": N(2) },
        }),
      );
      assert.deepEqual(
        query.Items.map((item: { sk: { N: string } }) => item.sk.N),
        ["6", "10", "14", "18"],
      );
      const byPlayer = plain(
        service.execute("Query", {
          TableName: "migrated",
          IndexName: "byPlayer",
          KeyConditionExpression: "player = :a",
          ExpressionAttributeValues: { ":a": S("ann") },
        }),
      );
      assert.equal(byPlayer.Count, 10, "the index entries still find their items");
      const table = plain(service.execute("DescribeTable", { TableName: "migrated" })).Table;
      assert.equal(table.ItemCount, 20);
      assert.equal(table.GlobalSecondaryIndexes[0].ItemCount, 20);
      // Writes after the migration land on the new key.
      service.execute("DeleteItem", { TableName: "migrated", Key: { pk: S("p1"), sk: N(5) } });
      assert.equal(plain(service.execute("DescribeTable", { TableName: "migrated" })).Table.ItemCount, 19);
    } finally {
      db.close();
    }
  } finally {
    temp.cleanup();
  }
});

/**
 * Tables: CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, TTL and tags, with
 * DynamoDB's shapes and messages (checked against DynamoDB Local 3.3 and the API reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type Engine, inTransaction } from "../../src/local/dynamodb/engine.ts";
import { DynamoDbService } from "../../src/local/dynamodb/index.ts";
import { ItemStore } from "../../src/local/dynamodb/item-store.ts";
import { TableRegistry } from "../../src/local/dynamodb/table-registry.ts";
import { openStore } from "../../src/local/store/index.ts";
import type { TableSpec } from "../../src/model/app-spec.ts";
import { dynamoDbRig, N, S, tableInput } from "../support/dynamodb-rig.ts";
import { tempDir } from "../support/temp.ts";

describe("CreateTable and DescribeTable", () => {
  test("creates a table with keys, indexes, stream and tags and describes it ACTIVE", () => {
    const rig = dynamoDbRig();
    const created = rig.call(
      "CreateTable",
      tableInput("games", "N", {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "N" },
          { AttributeName: "player", AttributeType: "S" },
          { AttributeName: "score", AttributeType: "N" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: "byPlayer",
            KeySchema: [{ AttributeName: "player", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: "byScore",
            KeySchema: [
              { AttributeName: "pk", KeyType: "HASH" },
              { AttributeName: "score", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
        Tags: [{ Key: "team", Value: "sluice" }],
      }),
    );
    assert.equal(created.TableDescription.TableStatus, "CREATING");
    const table = rig.call("DescribeTable", { TableName: "games" }).Table;
    assert.equal(table.TableStatus, "ACTIVE");
    assert.equal(table.TableArn, "arn:aws:dynamodb:us-east-1:123456789012:table/games");
    assert.match(table.TableId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(table.KeySchema, [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    assert.equal(table.ItemCount, 0);
    assert.equal(table.TableSizeBytes, 0);
    assert.equal(table.BillingModeSummary.BillingMode, "PAY_PER_REQUEST");
    assert.equal(table.CreationDateTime, Date.UTC(2026, 5, 1) / 1000);
    assert.equal(table.GlobalSecondaryIndexes[0].IndexStatus, "ACTIVE");
    assert.equal(
      table.GlobalSecondaryIndexes[0].ProvisionedThroughput,
      undefined,
      "an on-demand table's global index has no throughput",
    );
    assert.equal(table.GlobalSecondaryIndexes[0].IndexArn, `${table.TableArn}/index/byPlayer`);
    assert.equal(table.LocalSecondaryIndexes[0].IndexName, "byScore");
    assert.equal(table.LocalSecondaryIndexes[0].IndexStatus, undefined, "local indexes have no status");
    assert.deepEqual(table.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
    assert.equal(table.LatestStreamLabel, "2026-06-01T00:00:00.000");
    assert.equal(table.LatestStreamArn, `${table.TableArn}/stream/2026-06-01T00:00:00.000`);
    assert.equal(table.DeletionProtectionEnabled, false);
    assert.deepEqual(rig.call("ListTagsOfResource", { ResourceArn: table.TableArn }).Tags, [
      { Key: "team", Value: "sluice" },
    ]);
  });

  test("counts items and their size as DynamoDB does", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("counted", "N"));
    rig.call("PutItem", { TableName: "counted", Item: { pk: S("a"), sk: N(1) } });
    const table = rig.call("DescribeTable", { TableName: "counted" }).Table;
    assert.equal(table.ItemCount, 1);
    assert.equal(table.TableSizeBytes, 7, "pk(2)+a(1) + sk(2)+1(2), DynamoDB Local's figure");
  });

  test("keeps counts exact through inserts, overwrites and deletes, and sums the same after a restart", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("counted", "N"));
    const describe = (service = rig.service) => {
      const table = JSON.parse(
        JSON.stringify(service.execute("DescribeTable", { TableName: "counted" })),
      ).Table;
      return [table.ItemCount, table.TableSizeBytes];
    };
    // Counted before any write, then moved by each write.
    assert.deepEqual(describe(), [0, 0]);
    for (let i = 0; i < 3; i++) rig.call("PutItem", { TableName: "counted", Item: { pk: S("a"), sk: N(i) } });
    assert.deepEqual(describe(), [3, 6 + 7 + 7], "the number 0 takes one byte, 1 and 2 two");
    rig.call("PutItem", { TableName: "counted", Item: { pk: S("a"), sk: N(1), more: S("xyz") } });
    rig.call("DeleteItem", { TableName: "counted", Key: { pk: S("a"), sk: N(0) } });
    rig.call("DeleteItem", { TableName: "counted", Key: { pk: S("a"), sk: N(9) } });
    assert.deepEqual(describe(), [2, 14 + 7]);
    assert.deepEqual(describe(rig.reopen()), [2, 21], "a restart sums the stored items to the same figures");
  });

  test("a rolled-back write leaves the counts as they were", () => {
    const temp = tempDir("sluice-ddb-counts-");
    const db = openStore(join(temp.dir, "state.sqlite"));
    try {
      const options = { region: "us-east-1", accountId: "123456789012", streams: { record() {} } };
      const service = new DynamoDbService({ db, clock: new ManualClock(0), ...options });
      service.execute("CreateTable", tableInput("rolled"));
      service.execute("PutItem", { TableName: "rolled", Item: { pk: S("a") } });
      const tables = new TableRegistry(db);
      const items = new ItemStore(db, tables, options.streams);
      const engine = { db, tables, items } as Partial<Engine> as Engine;
      const meta = tables.get("rolled");
      assert.deepEqual(tables.counts(meta), { itemCount: 1, sizeBytes: 3 });
      assert.throws(
        () =>
          inTransaction(engine, () => {
            items.write(meta, undefined, { pk: S("b") });
            assert.deepEqual(tables.counts(meta), { itemCount: 2, sizeBytes: 6 });
            throw new Error("a later step of the transaction fails");
          }),
        /a later step/,
      );
      assert.deepEqual(tables.counts(meta), { itemCount: 1, sizeBytes: 3 });
    } finally {
      db.close();
      temp.cleanup();
    }
  });

  const invalid: [string, Record<string, unknown>, string, string | RegExp][] = [
    [
      "a name too short",
      tableInput("ab"),
      "ValidationException",
      /at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3/,
    ],
    [
      "a name with other characters",
      tableInput("a b c"),
      "ValidationException",
      /regular expression pattern/,
    ],
    [
      "an unused attribute definition",
      tableInput("tab", undefined, {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "x", AttributeType: "S" },
        ],
      }),
      "ValidationException",
      "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
    ],
    [
      "no billing mode nor throughput",
      { ...tableInput("tab"), BillingMode: undefined },
      "ValidationException",
      "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
    ],
    [
      "a key attribute without definition",
      tableInput("tab", undefined, { AttributeDefinitions: [{ AttributeName: "zz", AttributeType: "S" }] }),
      "ValidationException",
      /Some index key attributes are not defined in AttributeDefinitions. Keys: \[pk\]/,
    ],
    [
      "a range key first",
      tableInput("tab", undefined, { KeySchema: [{ AttributeName: "pk", KeyType: "RANGE" }] }),
      "ValidationException",
      "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
    ],
    [
      "a local index on a table without sort key",
      tableInput("tab", undefined, {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "x", AttributeType: "S" },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: "lsi",
            KeySchema: [
              { AttributeName: "pk", KeyType: "HASH" },
              { AttributeName: "x", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          },
        ],
      }),
      "ValidationException",
      "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
    ],
    [
      "a projection without a type",
      tableInput("tab", undefined, {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "x", AttributeType: "S" },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: "gsi", KeySchema: [{ AttributeName: "x", KeyType: "HASH" }], Projection: {} },
        ],
      }),
      "ValidationException",
      "One or more parameter values were invalid: Unknown ProjectionType: null",
    ],
    [
      "provisioned throughput of zero",
      {
        ...tableInput("tab"),
        BillingMode: "PROVISIONED",
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 },
      },
      "ValidationException",
      "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      "INCLUDE without attributes",
      tableInput("tab", undefined, {
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "x", AttributeType: "S" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: "gsi",
            KeySchema: [{ AttributeName: "x", KeyType: "HASH" }],
            Projection: { ProjectionType: "INCLUDE" },
          },
        ],
      }),
      "ValidationException",
      "If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well",
    ],
  ];
  for (const [what, input, code, message] of invalid) {
    test(`refuses ${what}`, () => {
      dynamoDbRig().fails("CreateTable", input, code, message);
    });
  }

  test("refuses a second table of the same name, and describing a missing one", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("twice"));
    rig.fails("CreateTable", tableInput("twice"), "ResourceInUseException", "Table already exists: twice");
    rig.fails(
      "DescribeTable",
      { TableName: "missing" },
      "ResourceNotFoundException",
      "Requested resource not found: Table: missing not found",
    );
  });

  test("accepts a table ARN as TableName", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("by-arn"));
    const table = rig.call("DescribeTable", {
      TableName: "arn:aws:dynamodb:us-east-1:123456789012:table/by-arn",
    }).Table;
    assert.equal(table.TableName, "by-arn");
  });
});

describe("ListTables and DeleteTable", () => {
  test("pages table names in order", () => {
    const rig = dynamoDbRig();
    for (const name of ["ccc", "aaa", "bbb"]) rig.call("CreateTable", tableInput(name));
    assert.deepEqual(rig.call("ListTables", { Limit: 2 }), {
      TableNames: ["aaa", "bbb"],
      LastEvaluatedTableName: "bbb",
    });
    assert.deepEqual(rig.call("ListTables", { ExclusiveStartTableName: "bbb" }), { TableNames: ["ccc"] });
  });

  test("deletes a table and its items; deletion protection refuses", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("kept", undefined, { DeletionProtectionEnabled: true }));
    rig.fails("DeleteTable", { TableName: "kept" }, "ValidationException", /protected against deletion/);
    rig.call("UpdateTable", { TableName: "kept", DeletionProtectionEnabled: false });
    rig.call("PutItem", { TableName: "kept", Item: { pk: S("x") } });
    assert.equal(rig.call("DeleteTable", { TableName: "kept" }).TableDescription.TableStatus, "DELETING");
    rig.fails("DescribeTable", { TableName: "kept" }, "ResourceNotFoundException");
    rig.call("CreateTable", tableInput("kept"));
    assert.equal(rig.call("Scan", { TableName: "kept" }).Count, 0, "a table of the same name starts empty");
  });
});

describe("UpdateTable", () => {
  test("adds a global index over existing items and deletes it", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("indexed"));
    rig.call("PutItem", { TableName: "indexed", Item: { pk: S("a"), color: S("red") } });
    rig.call("PutItem", { TableName: "indexed", Item: { pk: S("b") } });
    const updated = rig.call("UpdateTable", {
      TableName: "indexed",
      AttributeDefinitions: [{ AttributeName: "color", AttributeType: "S" }],
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: "byColor",
            KeySchema: [{ AttributeName: "color", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
          },
        },
      ],
    });
    assert.equal(updated.TableDescription.GlobalSecondaryIndexes[0].IndexName, "byColor");
    const found = rig.call("Query", {
      TableName: "indexed",
      IndexName: "byColor",
      KeyConditionExpression: "color = :c",
      ExpressionAttributeValues: { ":c": S("red") },
    });
    assert.deepEqual(found.Items, [{ pk: S("a"), color: S("red") }]);
    rig.call("UpdateTable", {
      TableName: "indexed",
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "byColor" } }],
    });
    const table = rig.call("DescribeTable", { TableName: "indexed" }).Table;
    assert.equal(table.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(table.AttributeDefinitions, [{ AttributeName: "pk", AttributeType: "S" }]);
  });

  test("turns the stream on with a new label and off, keeping the old stream for 24 hours", async () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("streamed"));
    rig.call("UpdateTable", {
      TableName: "streamed",
      StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" },
    });
    rig.fails(
      "UpdateTable",
      { TableName: "streamed", StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } },
      "ValidationException",
      "Table already has an enabled stream: TableName: streamed",
    );
    assert.deepEqual(
      rig.service.streams().map((stream) => [stream.status, stream.viewType]),
      [["ENABLED", "KEYS_ONLY"]],
    );
    await rig.clock.advance(1000);
    rig.call("UpdateTable", { TableName: "streamed", StreamSpecification: { StreamEnabled: false } });
    const table = rig.call("DescribeTable", { TableName: "streamed" }).Table;
    assert.equal(table.StreamSpecification, undefined);
    assert.equal(table.LatestStreamLabel, "2026-06-01T00:00:00.000", "the last stream stays the latest");
    assert.deepEqual(
      rig.service.streams().map((stream) => stream.status),
      ["DISABLED"],
    );
    await rig.clock.advance(24 * 3600 * 1000);
    assert.deepEqual(rig.service.streams(), []);
  });

  test("a stream re-enabled in the same millisecond gets its own label and ARN", () => {
    const rig = dynamoDbRig();
    const on = { StreamEnabled: true, StreamViewType: "KEYS_ONLY" };
    rig.call("CreateTable", tableInput("flip", undefined, { StreamSpecification: on }));
    const first = rig.call("DescribeTable", { TableName: "flip" }).Table.LatestStreamArn;
    rig.call("UpdateTable", { TableName: "flip", StreamSpecification: { StreamEnabled: false } });
    rig.call("UpdateTable", { TableName: "flip", StreamSpecification: on });
    rig.call("UpdateTable", { TableName: "flip", StreamSpecification: { StreamEnabled: false } });
    rig.call("UpdateTable", { TableName: "flip", StreamSpecification: on });
    const table = rig.call("DescribeTable", { TableName: "flip" }).Table;
    assert.equal(first, `${table.TableArn}/stream/2026-06-01T00:00:00.000`);
    assert.equal(table.LatestStreamLabel, "2026-06-01T00:00:00.002");
    assert.equal(new Set(rig.service.streams().map((stream) => stream.streamArn)).size, 3);
  });

  test("refuses an update with nothing to change", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("static"));
    rig.fails("UpdateTable", { TableName: "static" }, "ValidationException", /At least one of/);
  });
});

describe("time to live and tags", () => {
  test("enables and describes TTL; refuses enabling it twice", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("expiring"));
    assert.deepEqual(rig.call("DescribeTimeToLive", { TableName: "expiring" }), {
      TimeToLiveDescription: { TimeToLiveStatus: "DISABLED" },
    });
    assert.deepEqual(
      rig.call("UpdateTimeToLive", {
        TableName: "expiring",
        TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" },
      }),
      { TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } },
    );
    assert.deepEqual(rig.call("DescribeTimeToLive", { TableName: "expiring" }), {
      TimeToLiveDescription: { TimeToLiveStatus: "ENABLED", AttributeName: "exp" },
    });
    rig.fails(
      "UpdateTimeToLive",
      { TableName: "expiring", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } },
      "ValidationException",
      "TimeToLive is already enabled",
    );
  });

  test("tags and untags a table by its ARN", () => {
    const rig = dynamoDbRig();
    const arn = rig.call("CreateTable", tableInput("tagged")).TableDescription.TableArn;
    rig.call("TagResource", {
      ResourceArn: arn,
      Tags: [
        { Key: "a", Value: "1" },
        { Key: "b", Value: "2" },
      ],
    });
    rig.call("UntagResource", { ResourceArn: arn, TagKeys: ["a"] });
    assert.deepEqual(rig.call("ListTagsOfResource", { ResourceArn: arn }).Tags, [{ Key: "b", Value: "2" }]);
    rig.fails("ListTagsOfResource", { ResourceArn: `${arn}x` }, "ResourceNotFoundException");
  });

  test("an empty or too long tag key is told the bound it broke", () => {
    const rig = dynamoDbRig();
    const arn = rig.call("CreateTable", tableInput("tagged")).TableDescription.TableArn;
    rig.fails(
      "TagResource",
      { ResourceArn: arn, Tags: [{ Key: "", Value: "1" }] },
      "ValidationException",
      /Member must have length greater than or equal to 1$/,
    );
    rig.fails(
      "TagResource",
      { ResourceArn: arn, Tags: [{ Key: "k".repeat(129), Value: "1" }] },
      "ValidationException",
      /Member must have length less than or equal to 128$/,
    );
  });
});

describe("ensureTables", () => {
  const spec = (overrides: Partial<TableSpec> = {}): TableSpec => ({
    name: "games",
    tableName: "app-games",
    partitionKey: { name: "pk", type: "S" },
    sortKey: { name: "sk", type: "N" },
    indexes: {},
    pointInTimeRecovery: false,
    deletionProtection: false,
    ...overrides,
  });

  test("creates the definition's tables and brings them to a changed spec, keeping items", () => {
    const rig = dynamoDbRig();
    rig.service.ensureTables([spec()]);
    rig.call("PutItem", {
      TableName: "app-games",
      Item: { pk: S("g"), sk: N(1), player: S("ann"), expiresAt: N(Date.UTC(2026, 0, 1) / 1000) },
    });
    rig.service.ensureTables([
      spec({
        stream: "NEW_IMAGE",
        ttlAttribute: "expiresAt",
        indexes: {
          byPlayer: {
            name: "byPlayer",
            kind: "global",
            partitionKey: { name: "player", type: "S" },
            projection: { type: "ALL" },
          },
        },
      }),
    ]);
    const table = rig.call("DescribeTable", { TableName: "app-games" }).Table;
    assert.equal(table.ItemCount, 1);
    assert.equal(table.StreamSpecification.StreamViewType, "NEW_IMAGE");
    assert.equal(table.GlobalSecondaryIndexes[0].ItemCount, 1);
    assert.deepEqual(
      rig.service.tables().map((summary) => [summary.tableName, summary.defined, summary.ttlAttribute]),
      [["app-games", true, "expiresAt"]],
    );
    assert.equal(rig.service.expireItems(), 1, "TTL applies to the items already stored");
  });

  test("a table the definition drops keeps its items and is no longer marked defined", () => {
    const rig = dynamoDbRig();
    rig.service.ensureTables([spec()]);
    rig.call("PutItem", { TableName: "app-games", Item: { pk: S("g"), sk: N(1) } });
    rig.service.ensureTables([]);
    assert.deepEqual(
      rig.service.tables().map((summary) => [summary.tableName, summary.itemCount, summary.defined]),
      [["app-games", 1, false]],
    );
  });

  test("keeps a deployed stream's label", () => {
    const rig = dynamoDbRig();
    rig.service.ensureTables([spec({ stream: "KEYS_ONLY", streamLabel: "2025-01-02T03:04:05.678" })]);
    assert.equal(rig.service.streams()[0]?.streamLabel, "2025-01-02T03:04:05.678");
  });

  test("survives a restart: tables and items are in the file", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("durable"));
    rig.call("PutItem", { TableName: "durable", Item: { pk: S("x") } });
    const reopened = rig.reopen();
    const got = reopened.execute("GetItem", { TableName: "durable", Key: { pk: S("x") } });
    assert.deepEqual(JSON.parse(JSON.stringify(got)), { Item: { pk: S("x") } });
  });
});

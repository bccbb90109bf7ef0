/**
 * The local DynamoDB on the endpoint of a real `sluice dev`, reached by unmodified clients as a
 * user's script reaches AWS: `@aws-sdk/client-dynamodb`, the DocumentClient of
 * `@aws-sdk/lib-dynamodb`, and the DynamoDB Streams client.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from "@aws-sdk/client-dynamodb-streams";
import {
  BatchWriteCommand,
  QueryCommand as DocQueryCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { SystemClock } from "../../src/local/clock/clock.ts";
import { GAMES, NOTES, startTablesApp, type TablesApp } from "../support/dynamodb-app.ts";
import { rejection, statusOf } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { signedHeaders } from "../support/request-signing.ts";

describe("the local DynamoDB through the AWS SDK v3 in sluice dev", () => {
  let app: TablesApp;
  before(async () => {
    app = await startTablesApp();
  });
  after(() => app?.close());

  test("the definition's tables exist at start, with their keys, index, stream and TTL", async () => {
    const listed = await app.dynamodb.send(new ListTablesCommand({}));
    assert.deepEqual(listed.TableNames, [GAMES, NOTES]);
    const { Table } = await app.dynamodb.send(new DescribeTableCommand({ TableName: GAMES }));
    assert.equal(Table?.TableStatus, "ACTIVE");
    assert.deepEqual(Table?.KeySchema, [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    assert.equal(Table?.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${GAMES}`);
    assert.deepEqual(
      Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName),
      ["byPlayer"],
    );
    assert.deepEqual(Table?.StreamSpecification, {
      StreamEnabled: true,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
    assert.match(Table?.LatestStreamArn ?? "", new RegExp(`:table/${GAMES}/stream/`));
    const ttl = await app.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: GAMES }));
    assert.deepEqual(ttl.TimeToLiveDescription, { TimeToLiveStatus: "ENABLED", AttributeName: "expiresAt" });
  });

  test("a table created through the API takes writes, reads, updates, queries and scans, then is deleted", async () => {
    const TableName = "scratch";
    await app.dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "id", AttributeType: "S" },
          { AttributeName: "n", AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: "id", KeyType: "HASH" },
          { AttributeName: "n", KeyType: "RANGE" },
        ],
      }),
    );
    for (const n of [3, 1, 2]) {
      await app.dynamodb.send(
        new PutItemCommand({ TableName, Item: { id: { S: "a" }, n: { N: String(n) }, v: { S: `v${n}` } } }),
      );
    }
    const got = await app.dynamodb.send(
      new GetItemCommand({ TableName, Key: { id: { S: "a" }, n: { N: "2" } }, ConsistentRead: true }),
    );
    assert.deepEqual(got.Item, { id: { S: "a" }, n: { N: "2" }, v: { S: "v2" } });
    const updated = await app.dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: "a" }, n: { N: "2" } },
        UpdateExpression: "SET #v = :v ADD hits :one",
        ExpressionAttributeNames: { "#v": "v" },
        ExpressionAttributeValues: { ":v": { S: "changed" }, ":one": { N: "1" } },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    assert.deepEqual(updated.Attributes, { v: { S: "changed" }, hits: { N: "1" } });
    const queried = await app.dynamodb.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: "id = :id AND n >= :from",
        ExpressionAttributeValues: { ":id": { S: "a" }, ":from": { N: "2" } },
        ScanIndexForward: false,
      }),
    );
    assert.deepEqual(
      queried.Items?.map((i) => i.n?.N),
      ["3", "2"],
    );
    const scanned = await app.dynamodb.send(new ScanCommand({ TableName, Select: "COUNT" }));
    assert.equal(scanned.Count, 3);
    await app.dynamodb.send(new DeleteTableCommand({ TableName }));
    const gone = await rejection(app.dynamodb.send(new DescribeTableCommand({ TableName })));
    assert.equal(gone.name, "ResourceNotFoundException");
    assert.equal(statusOf(gone), 400);
  });

  test("the DocumentClient writes and reads JavaScript values, pages a query, and batches writes", async () => {
    const item = {
      pk: "doc",
      sk: 1,
      player: "grace",
      tags: new Set(["a", "b"]),
      nested: { list: [1, "two", { three: true }], nothing: null },
    };
    await app.documents.send(new PutCommand({ TableName: GAMES, Item: item }));
    const got = await app.documents.send(
      new GetCommand({ TableName: GAMES, Key: { pk: "doc", sk: 1 }, ConsistentRead: true }),
    );
    assert.deepEqual(got.Item, item);
    await app.documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [GAMES]: [2, 3, 4, 5].map((sk) => ({ PutRequest: { Item: { pk: "doc", sk, player: "grace" } } })),
        },
      }),
    );
    const pages: number[][] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await app.documents.send(
        new DocQueryCommand({
          TableName: GAMES,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": "doc" },
          Limit: 2,
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      pages.push((page.Items ?? []).map((i) => i.sk as number));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    assert.deepEqual(pages.flat(), [1, 2, 3, 4, 5]);
    assert.deepEqual(pages[0], [1, 2]);
  });

  test("a transaction whose condition fails is cancelled with its reasons and writes nothing", async () => {
    await app.documents.send(new PutCommand({ TableName: GAMES, Item: { pk: "tx", sk: 1, balance: 5 } }));
    const cancelled = await rejection(
      app.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: GAMES, Item: { pk: "tx", sk: 2, balance: 10 } } },
            {
              Update: {
                TableName: GAMES,
                Key: { pk: "tx", sk: 1 },
                UpdateExpression: "SET balance = balance - :ten",
                ConditionExpression: "balance >= :ten",
                ExpressionAttributeValues: { ":ten": 10 },
              },
            },
          ],
        }),
      ),
    );
    assert.equal(cancelled.name, "TransactionCanceledException");
    assert.deepEqual(
      (cancelled.CancellationReasons as { Code: string }[]).map((r) => r.Code),
      ["None", "ConditionalCheckFailed"],
    );
    const second = await app.documents.send(
      new GetCommand({ TableName: GAMES, Key: { pk: "tx", sk: 2 }, ConsistentRead: true }),
    );
    assert.equal(second.Item, undefined, "the transaction's other write was not applied");
  });

  test("the Streams API serves the games table's changes", async () => {
    await app.dynamodb.send(
      new PutItemCommand({ TableName: GAMES, Item: { pk: { S: "streamed" }, sk: { N: "7" } } }),
    );
    const { Streams } = await app.streams.send(new ListStreamsCommand({ TableName: GAMES }));
    const streamArn = Streams?.[0]?.StreamArn;
    assert.ok(streamArn, JSON.stringify(Streams));
    const { StreamDescription } = await app.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const keys: string[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await app.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      const { Records } = await app.streams.send(new GetRecordsCommand({ ShardIterator }));
      for (const r of Records ?? []) keys.push(`${r.eventName} ${r.dynamodb?.Keys?.pk?.S}`);
    }
    assert.ok(keys.includes("INSERT streamed"), keys.join(", "));
  });

  test("a function consuming the stream gets each change of the table", async () => {
    await app.dynamodb.send(
      new PutItemCommand({ TableName: GAMES, Item: { pk: { S: "noted" }, sk: { N: "1" } } }),
    );
    await eventually(async () => {
      const got = await app.dynamodb.send(
        new GetItemCommand({ TableName: NOTES, Key: { id: { S: "INSERT#noted#1" } }, ConsistentRead: true }),
      );
      return got.Item;
    }, "the noter function to note the insert");
  });

  test("TTL deletes an expired item when the clock passes its expiry and the next sweep runs", async () => {
    const clock = app.session.localCloud.clock;
    assert.ok(clock instanceof SystemClock);
    const expiresAt = Math.floor(clock.now() / 1000) + 3600;
    await app.dynamodb.send(
      new PutItemCommand({
        TableName: GAMES,
        Item: { pk: { S: "ephemeral" }, sk: { N: "1" }, expiresAt: { N: String(expiresAt) } },
      }),
    );
    const read = () =>
      app.dynamodb.send(
        new GetItemCommand({
          TableName: GAMES,
          Key: { pk: { S: "ephemeral" }, sk: { N: "1" } },
          ConsistentRead: true,
        }),
      );
    assert.ok((await read()).Item, "not yet expired");
    clock.advance(3600_000 + 2 * 60_000);
    await eventually(async () => ((await read()).Item === undefined ? true : undefined), "the TTL sweep");
  });

  test("an unknown target of the endpoint names DynamoDB among the protocols it serves", async () => {
    const response = await fetch(`${app.url}/nothing-here`, {
      method: "POST",
      headers: signedHeaders("dynamodb"),
      body: "{}",
    });
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { message: string }).message, /DynamoDB/);
  });
});

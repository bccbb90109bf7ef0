/**
 * BatchWriteItem, BatchGetItem, TransactWriteItems and TransactGetItems: limits, duplicate keys,
 * all-or-nothing transactions with their cancellation reasons in order, and idempotent client
 * request tokens on the clock.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dynamoDbRig, type Json, N, S, tableInput } from "../support/dynamodb-rig.ts";

function twoTables() {
  const rig = dynamoDbRig();
  rig.call(
    "CreateTable",
    tableInput("accounts", undefined, {
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
    }),
  );
  rig.call("CreateTable", tableInput("ledger", "N"));
  return rig;
}

const put = (pk: string, extra: Record<string, unknown> = {}) => ({
  PutRequest: { Item: { pk: S(pk), ...extra } },
});

describe("BatchWriteItem", () => {
  test("puts and deletes across tables and answers an empty UnprocessedItems", () => {
    const rig = twoTables();
    rig.call("PutItem", { TableName: "accounts", Item: { pk: S("gone") } });
    const out = rig.call("BatchWriteItem", {
      RequestItems: {
        accounts: [put("a"), put("b"), { DeleteRequest: { Key: { pk: S("gone") } } }],
        ledger: [{ PutRequest: { Item: { pk: S("a"), sk: N(1) } } }],
      },
      ReturnConsumedCapacity: "TOTAL",
    });
    assert.deepEqual(out.UnprocessedItems, {});
    assert.deepEqual(out.ConsumedCapacity, [
      { TableName: "accounts", CapacityUnits: 3 },
      { TableName: "ledger", CapacityUnits: 1 },
    ]);
    assert.deepEqual(
      rig
        .call("Scan", { TableName: "accounts" })
        .Items.map((item: Json) => item.pk.S)
        .sort(),
      ["a", "b"],
    );
  });

  test("refuses more than 25 requests, duplicate keys and a missing table, writing nothing", () => {
    const rig = twoTables();
    const many = Array.from({ length: 26 }, (_, i) => put(`k${i}`));
    rig.fails(
      "BatchWriteItem",
      { RequestItems: { accounts: many } },
      "ValidationException",
      "Too many items requested for the BatchWriteItem call",
    );
    rig.fails(
      "BatchWriteItem",
      { RequestItems: { accounts: [put("a"), { DeleteRequest: { Key: { pk: S("a") } } }] } },
      "ValidationException",
      "Provided list of item keys contains duplicates",
    );
    rig.fails(
      "BatchWriteItem",
      { RequestItems: { accounts: [put("a")], missing: [put("a")] } },
      "ResourceNotFoundException",
    );
    rig.fails(
      "BatchWriteItem",
      { RequestItems: {} },
      "ValidationException",
      "BatchWriteItem cannot have a null or no requests set",
    );
    rig.fails(
      "BatchWriteItem",
      { RequestItems: { accounts: [] } },
      "ValidationException",
      "The batch write request list for a table cannot be null or empty: accounts",
    );
    rig.fails(
      "BatchWriteItem",
      { RequestItems: { accounts: [put("a"), put("b", { s: { SS: [] } })] } },
      "ValidationException",
    );
    assert.equal(rig.call("Scan", { TableName: "accounts" }).Count, 0);
  });
});

describe("BatchGetItem", () => {
  test("gets items across tables with projections; missing keys are left out", () => {
    const rig = twoTables();
    rig.call("PutItem", { TableName: "accounts", Item: { pk: S("a"), balance: N(5), name: S("Ann") } });
    rig.call("PutItem", { TableName: "ledger", Item: { pk: S("a"), sk: N(1) } });
    const out = rig.call("BatchGetItem", {
      RequestItems: {
        accounts: {
          Keys: [{ pk: S("a") }, { pk: S("zz") }],
          ProjectionExpression: "#n",
          ExpressionAttributeNames: { "#n": "name" },
        },
        ledger: { Keys: [{ pk: S("a"), sk: N(1) }] },
      },
    });
    assert.deepEqual(out, {
      Responses: { accounts: [{ name: S("Ann") }], ledger: [{ pk: S("a"), sk: N(1) }] },
      UnprocessedKeys: {},
    });
  });

  test("answers a table named __proto__ like any other (its items do not vanish)", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("__proto__"));
    rig.call("PutItem", { TableName: "__proto__", Item: { pk: S("a") } });
    const out = rig.call("BatchGetItem", {
      RequestItems: JSON.parse('{"__proto__":{"Keys":[{"pk":{"S":"a"}}]}}'),
    });
    assert.deepEqual(Object.keys(out.Responses), ["__proto__"]);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out.Responses, "__proto__")?.value, [{ pk: S("a") }]);
  });

  test("refuses more than 100 keys and duplicates", () => {
    const rig = twoTables();
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: S(`k${i}`) }));
    rig.fails(
      "BatchGetItem",
      { RequestItems: { accounts: { Keys: keys } } },
      "ValidationException",
      "Too many items requested for the BatchGetItem call",
    );
    rig.fails(
      "BatchGetItem",
      { RequestItems: { accounts: { Keys: [{ pk: S("a") }, { pk: S("a") }] } } },
      "ValidationException",
      "Provided list of item keys contains duplicates",
    );
  });

  test("answers keys beyond 16 MB as UnprocessedKeys", () => {
    const rig = twoTables();
    const big = S("x".repeat(400_000));
    const keys = Array.from({ length: 45 }, (_, i) => ({ pk: S(`k${String(i).padStart(2, "0")}`) }));
    for (const key of keys) rig.call("PutItem", { TableName: "accounts", Item: { ...key, big } });
    const out = rig.call("BatchGetItem", {
      RequestItems: { accounts: { Keys: keys, ConsistentRead: true } },
    });
    const got = out.Responses.accounts.length;
    assert.ok(got < 45 && got >= 41, `about 16 MB of 400 KB items; got ${got}`);
    assert.equal(out.UnprocessedKeys.accounts.Keys.length, 45 - got);
    assert.equal(
      out.UnprocessedKeys.accounts.ConsistentRead,
      true,
      "the request's other parameters come back with the keys",
    );
  });
});

describe("TransactWriteItems", () => {
  test("applies every action or none, with cancellation reasons in order", () => {
    const rig = twoTables();
    rig.call("PutItem", { TableName: "accounts", Item: { pk: S("a"), balance: N(10) } });
    const transfer = (amount: number) => ({
      TransactItems: [
        {
          Update: {
            TableName: "accounts",
            Key: { pk: S("a") },
            UpdateExpression: "SET balance = balance - :x",
            ConditionExpression: "balance >= :x",
            ExpressionAttributeValues: { ":x": N(amount) },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        { Put: { TableName: "ledger", Item: { pk: S("a"), sk: N(amount) } } },
        {
          ConditionCheck: {
            TableName: "accounts",
            Key: { pk: S("b") },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      ],
    });
    rig.call("TransactWriteItems", transfer(4));
    assert.deepEqual(rig.call("GetItem", { TableName: "accounts", Key: { pk: S("a") } }).Item.balance, N(6));
    const changes = rig.changes.length;
    const error = rig.fails(
      "TransactWriteItems",
      transfer(7),
      "TransactionCanceledException",
      "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]",
    );
    assert.deepEqual(JSON.parse(JSON.stringify((error as unknown as { fields: unknown }).fields)), {
      CancellationReasons: [
        {
          Code: "ConditionalCheckFailed",
          Message: "The conditional request failed",
          Item: { pk: S("a"), balance: N(6) },
        },
        { Code: "None" },
        { Code: "None" },
      ],
    });
    const checked = rig.fails(
      "TransactWriteItems",
      {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: "accounts",
              Key: { pk: S("a") },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      },
      "TransactionCanceledException",
    );
    assert.deepEqual(
      (checked as unknown as { fields: { CancellationReasons: unknown } }).fields.CancellationReasons,
      [{ Code: "ConditionalCheckFailed", Message: "The conditional request failed." }],
      "a ConditionCheck's reason ends with a full stop, as DynamoDB Local answers",
    );
    assert.equal(
      rig.call("Scan", { TableName: "ledger" }).Count,
      1,
      "the put of the cancelled transaction is not applied",
    );
    assert.equal(rig.changes.length, changes, "nor streamed");
  });

  test("an update the stored item makes invalid cancels with a ValidationError reason", () => {
    const rig = twoTables();
    rig.call("PutItem", { TableName: "accounts", Item: { pk: S("a"), name: S("Ann") } });
    const error = rig.fails(
      "TransactWriteItems",
      {
        TransactItems: [
          { Put: { TableName: "ledger", Item: { pk: S("a"), sk: N(1) } } },
          {
            Update: {
              TableName: "accounts",
              Key: { pk: S("a") },
              UpdateExpression: "SET #n = #n + :one",
              ExpressionAttributeNames: { "#n": "name" },
              ExpressionAttributeValues: { ":one": N(1) },
            },
          },
        ],
      },
      "TransactionCanceledException",
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]",
    );
    assert.deepEqual(
      (error as unknown as { fields: { CancellationReasons: unknown } }).fields.CancellationReasons,
      [
        { Code: "None" },
        {
          Code: "ValidationError",
          Message: "An operand in the update expression has an incorrect data type",
        },
      ],
    );
    assert.equal(rig.call("Scan", { TableName: "ledger" }).Count, 0);
  });

  test("refuses two actions on one item and more than 100 actions", () => {
    const rig = twoTables();
    rig.fails(
      "TransactWriteItems",
      {
        TransactItems: [
          { Put: { TableName: "accounts", Item: { pk: S("a") } } },
          { Delete: { TableName: "accounts", Key: { pk: S("a") } } },
        ],
      },
      "ValidationException",
      "Transaction request cannot include multiple operations on one item",
    );
    const many = Array.from({ length: 101 }, (_, i) => ({
      Put: { TableName: "accounts", Item: { pk: S(`k${i}`) } },
    }));
    rig.fails(
      "TransactWriteItems",
      { TransactItems: many },
      "ValidationException",
      /Member must have length less than or equal to 100/,
    );
  });

  test("an empty or too long ClientRequestToken is told the bound it broke", () => {
    const rig = twoTables();
    const items = [{ Put: { TableName: "accounts", Item: { pk: S("a") } } }];
    rig.fails(
      "TransactWriteItems",
      { ClientRequestToken: "", TransactItems: items },
      "ValidationException",
      /Member must have length greater than or equal to 1$/,
    );
    rig.fails(
      "TransactWriteItems",
      { ClientRequestToken: "t".repeat(37), TransactItems: items },
      "ValidationException",
      /Member must have length less than or equal to 36$/,
    );
  });

  test("a client request token makes a retry a no-op for 10 minutes, and refuses a different request", async () => {
    const rig = twoTables();
    const request = (amount: number) => ({
      ClientRequestToken: "token-1",
      TransactItems: [
        {
          Update: {
            TableName: "accounts",
            Key: { pk: S("a") },
            UpdateExpression: "ADD balance :x",
            ExpressionAttributeValues: { ":x": N(amount) },
          },
        },
      ],
    });
    rig.call("TransactWriteItems", request(5));
    rig.call("TransactWriteItems", request(5));
    assert.deepEqual(rig.call("GetItem", { TableName: "accounts", Key: { pk: S("a") } }).Item.balance, N(5));
    rig.fails("TransactWriteItems", request(6), "IdempotentParameterMismatchException");
    await rig.clock.advance(10 * 60 * 1000);
    rig.call("TransactWriteItems", request(5));
    assert.deepEqual(rig.call("GetItem", { TableName: "accounts", Key: { pk: S("a") } }).Item.balance, N(10));
  });

  test("a transaction costs twice the units", () => {
    const rig = twoTables();
    const out = rig.call("TransactWriteItems", {
      TransactItems: [{ Put: { TableName: "ledger", Item: { pk: S("a"), sk: N(1) } } }],
      ReturnConsumedCapacity: "TOTAL",
    });
    assert.deepEqual(out.ConsumedCapacity, [{ TableName: "ledger", CapacityUnits: 2 }]);
  });
});

describe("TransactGetItems", () => {
  test("answers one response per get, in order, empty for a missing item", () => {
    const rig = twoTables();
    rig.call("PutItem", { TableName: "accounts", Item: { pk: S("a"), balance: N(1) } });
    const out = rig.call("TransactGetItems", {
      TransactItems: [
        { Get: { TableName: "accounts", Key: { pk: S("zz") } } },
        { Get: { TableName: "accounts", Key: { pk: S("a") }, ProjectionExpression: "balance" } },
      ],
    });
    assert.deepEqual(out, { Responses: [{}, { Item: { balance: N(1) } }] });
  });
});

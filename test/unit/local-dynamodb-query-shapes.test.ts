/**
 * Query's kept shapes (src/local/dynamodb/query-shapes.ts): a Query of a shape prepared before
 * must answer exactly what the full preparation answers, items and refusals alike. Each case runs
 * a first Query (which keeps its shape) and then a variant, and compares the variant's outcome
 * with the same variant on a twin table that never saw the first Query.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Engine } from "../../src/local/dynamodb/engine.ts";
import { ItemStore } from "../../src/local/dynamodb/item-store.ts";
import { query } from "../../src/local/dynamodb/query-scan.ts";
import { preparedFromShape } from "../../src/local/dynamodb/query-shapes.ts";
import { TableRegistry } from "../../src/local/dynamodb/table-registry.ts";
import { openStore } from "../../src/local/store/index.ts";
import { AwsError } from "../../src/model/errors.ts";
import {
  type DynamoDbRig,
  dynamoDbRig,
  type Json,
  N,
  playerIndexTable,
  S,
  tableInput,
} from "../support/dynamodb-rig.ts";

type Input = Record<string, unknown>;

/** Two tables with the same items: `warm` sees the first Query, `cold` does not. */
function twins(rig: DynamoDbRig): void {
  for (const name of ["warm", "cold"]) {
    rig.call("CreateTable", playerIndexTable(name));
    for (const pk of ["p0", "p1"]) {
      for (let sk = 0; sk < 5; sk++) {
        rig.call("PutItem", {
          TableName: name,
          Item: { pk: S(pk), sk: N(sk), player: S(`pl${sk % 2}`), score: N(sk * 10) },
        });
      }
    }
  }
}

/** What a Query answers: its output, or its error's code and message; the table's name as TABLE. */
function outcome(rig: DynamoDbRig, input: Input): Json {
  const named = (value: unknown): Json =>
    JSON.parse(JSON.stringify(value).replaceAll(`"${String(input.TableName)}"`, '"TABLE"'));
  try {
    return named({ output: rig.call("Query", input) });
  } catch (error) {
    assert.ok(error instanceof AwsError, String(error));
    return named({ code: error.code, message: error.message });
  }
}

const key = (value: unknown = S("p0")) => ({
  KeyConditionExpression: "pk = :pk",
  ExpressionAttributeValues: { ":pk": value },
});

const CASES: readonly { name: string; first: Input; variant: Input }[] = [
  { name: "another value", first: key(), variant: key(S("p1")) },
  { name: "another Limit", first: { ...key(), Limit: 2 }, variant: { ...key(), Limit: 3 } },
  { name: "Limit as a string", first: { ...key(), Limit: 2 }, variant: { ...key(), Limit: "2" } },
  { name: "backwards", first: key(), variant: { ...key(), ScanIndexForward: false } },
  { name: "a projection", first: key(), variant: { ...key(), ProjectionExpression: "sk" } },
  { name: "COUNT", first: key(), variant: { ...key(), Select: "COUNT" } },
  {
    name: "capacity asked for",
    first: key(),
    variant: { ...key(), ReturnConsumedCapacity: "TOTAL" },
  },
  {
    name: "the index's key on the table",
    first: {
      IndexName: "byPlayer",
      KeyConditionExpression: "player = :pk",
      ExpressionAttributeValues: { ":pk": S("pl1") },
    },
    variant: { KeyConditionExpression: "player = :pk", ExpressionAttributeValues: { ":pk": S("pl1") } },
  },
  {
    name: "a consistent read of a global index",
    first: {
      IndexName: "byPlayer",
      KeyConditionExpression: "player = :pk",
      ExpressionAttributeValues: { ":pk": S("pl1") },
    },
    variant: {
      IndexName: "byPlayer",
      ConsistentRead: true,
      KeyConditionExpression: "player = :pk",
      ExpressionAttributeValues: { ":pk": S("pl1") },
    },
  },
  {
    name: "a name standing for another attribute",
    first: { ...key(), KeyConditionExpression: "#k = :pk", ExpressionAttributeNames: { "#k": "pk" } },
    variant: {
      ...key(),
      KeyConditionExpression: "#k = :pk",
      ExpressionAttributeNames: { "#k": "score" },
    },
  },
  { name: "a value of another type", first: key(), variant: key(N(1)) },
  { name: "a value that is not a string", first: key(), variant: key({ S: 5 }) },
  { name: "a value of two types", first: key(), variant: key({ S: "p0", N: "1" }) },
  { name: "a value that is null", first: key(), variant: key(null) },
  {
    name: "a number that is not one",
    first: {
      KeyConditionExpression: "pk = :pk AND sk > :s",
      ExpressionAttributeValues: { ":pk": S("p0"), ":s": N(1) },
    },
    variant: {
      KeyConditionExpression: "pk = :pk AND sk > :s",
      ExpressionAttributeValues: { ":pk": S("p0"), ":s": N("one") },
    },
  },
  {
    name: "another sort bound",
    first: {
      KeyConditionExpression: "pk = :pk AND sk > :s",
      ExpressionAttributeValues: { ":pk": S("p0"), ":s": N(1) },
    },
    variant: {
      KeyConditionExpression: "pk = :pk AND sk > :s",
      ExpressionAttributeValues: { ":pk": S("p1"), ":s": N(3) },
    },
  },
  {
    name: "an unused value",
    first: key(),
    variant: { ...key(), ExpressionAttributeValues: { ":pk": S("p0"), ":x": S("x") } },
  },
  {
    name: "a missing value",
    first: key(),
    variant: { ...key(), ExpressionAttributeValues: { ":other": S("p0") } },
  },
  {
    name: "BETWEEN with its bounds swapped",
    first: {
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b",
      ExpressionAttributeValues: { ":pk": S("p0"), ":a": N(1), ":b": N(3) },
    },
    variant: {
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b",
      ExpressionAttributeValues: { ":pk": S("p0"), ":a": N(3), ":b": N(1) },
    },
  },
  { name: "a filter", first: key(), variant: { ...key(), FilterExpression: "attribute_exists(score)" } },
  {
    name: "a second page",
    first: { ...key(), Limit: 2 },
    variant: { ...key(), Limit: 2, ExclusiveStartKey: { pk: S("p0"), sk: N(1) } },
  },
  { name: "a legacy parameter", first: key(), variant: { ...key(), AttributesToGet: ["sk"] } },
];

describe("Query of a kept shape answers as its full preparation", () => {
  for (const { name, first, variant } of CASES) {
    test(name, () => {
      const rig = dynamoDbRig();
      twins(rig);
      assert.ok("output" in outcome(rig, { TableName: "warm", ...first }), "the first Query succeeds");
      const warm = outcome(rig, { TableName: "warm", ...variant });
      const cold = outcome(rig, { TableName: "cold", ...variant });
      assert.deepEqual(warm, cold);
    });
  }
});

describe("query-shapes", () => {
  /** An engine of its own over the rig's file, so the test reads its tables' metadata objects. */
  function engineOver(rig: DynamoDbRig): Engine {
    const db = openStore(rig.file);
    const tables = new TableRegistry(db);
    return { db, tables, items: new ItemStore(db, tables, { record() {} }) } as Partial<Engine> as Engine;
  }
  const input = (value: string, extra: Input = {}): Input => ({
    TableName: "warm",
    ...key(S(value)),
    ...extra,
  });

  test("keeps a prepared shape and binds the next request's values to it", () => {
    const rig = dynamoDbRig();
    twins(rig);
    const engine = engineOver(rig);
    const table = engine.tables.get("warm");
    assert.equal(preparedFromShape(table, input("p0")), undefined, "nothing kept before a Query");
    const first = query(engine, input("p0")) as { Count: number };
    assert.equal(first.Count, 5);
    const prepared = preparedFromShape(table, input("p1"));
    assert.ok(prepared, "the shape was kept");
    assert.deepEqual(prepared.condition.partitionKey, { name: "pk", value: S("p1") });
    assert.equal(prepared.request.table, table);
    assert.equal((query(engine, input("p1")) as { Count: number }).Count, 5);
    engine.db.close();
  });

  test("keeps no shape for a filter, a start key or BETWEEN, nor for another table's metadata", () => {
    const rig = dynamoDbRig();
    twins(rig);
    const engine = engineOver(rig);
    const table = engine.tables.get("warm");
    const filtered = input("p0", { FilterExpression: "score > :pk" });
    const paged = input("p0", { ExclusiveStartKey: { pk: S("p0"), sk: N(1) } });
    const between = {
      TableName: "warm",
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :a AND :b",
      ExpressionAttributeValues: { ":pk": S("p0"), ":a": N(1), ":b": N(3) },
    };
    for (const request of [filtered, paged, between]) {
      query(engine, request);
      assert.equal(preparedFromShape(table, request), undefined, JSON.stringify(request));
    }
    query(engine, input("p0"));
    assert.ok(preparedFromShape(table, input("p0")));
    // Any change to the table saves a new metadata object: the old one's shapes are not consulted.
    assert.equal(preparedFromShape({ ...table }, input("p0")), undefined);
    engine.db.close();
  });

  test("a table made again under the same name is prepared afresh", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("again"));
    rig.call("PutItem", { TableName: "again", Item: { pk: S("a") } });
    assert.equal(rig.call("Query", { TableName: "again", ...key(S("a")) }).Count, 1);
    rig.call("DeleteTable", { TableName: "again" });
    rig.call("CreateTable", {
      ...tableInput("again"),
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "N" }],
    });
    rig.fails(
      "Query",
      { TableName: "again", ...key(S("a")) },
      "ValidationException",
      "One or more parameter values were invalid: Condition parameter type does not match schema type",
    );
  });
});

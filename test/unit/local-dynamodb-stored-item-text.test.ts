/**
 * The wire's answers with stored items as text (stored-item-text.ts): GetItem, Query and Scan
 * answered for the wire and written by answer-json.ts give the same JSON text as the answer
 * with parsed items written by JSON.stringify, whatever the items hold and whatever the request
 * asks (Limit, filters, projections, indexes, Select, consumed capacity); other callers get items.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StoredItemText } from "../../src/local/dynamodb/stored-item-text.ts";
import { answerJson } from "../../src/local/dynamodb/wire/answer-json.ts";
import { dynamoDbRig, N, S, tableInput } from "../support/dynamodb-rig.ts";

function table() {
  const rig = dynamoDbRig();
  rig.call(
    "CreateTable",
    tableInput("stored", "N", {
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "N" },
        { AttributeName: "player", AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "all",
          KeySchema: [{ AttributeName: "player", KeyType: "HASH" }],
          Projection: { ProjectionType: "ALL" },
        },
        {
          IndexName: "keys",
          KeySchema: [{ AttributeName: "player", KeyType: "HASH" }],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    }),
  );
  const items = [
    { pk: S("p"), sk: N(1), player: S("ann"), data: S("plain") },
    // Names JavaScript treats specially: an index-like name (ordered first in an object) and __proto__.
    { pk: S("p"), sk: N(2), player: S("ann"), "7": S("seven"), ["__proto__"]: S("a name"), b: N("1.50") },
    {
      pk: S("p"),
      sk: N(3),
      player: S("bob"),
      nested: {
        M: { list: { L: [S("é ✓ \u2028"), { NULL: true }, { B: "AAEC" }] }, set: { SS: ["x", "y"] } },
      },
    },
    { pk: S("q"), sk: N(1), data: S("other partition, no player") },
  ];
  for (const item of items) rig.call("PutItem", { TableName: "stored", Item: item });
  return rig;
}

/** The answer for the wire, written by answerJson, and the answer for any other caller, by JSON.stringify. */
function bothWays(rig: ReturnType<typeof table>, action: string, input: Record<string, unknown>) {
  const wireInput = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  const asText = rig.service.execute(action, wireInput, { itemsAsText: true });
  const parsed = rig.service.execute(action, JSON.parse(JSON.stringify(input)) as Record<string, unknown>);
  return { wire: answerJson(asText), plain: JSON.stringify(parsed), asText, parsed };
}

const query = (extra: Record<string, unknown>) => ({
  TableName: "stored",
  KeyConditionExpression: "pk = :p",
  ExpressionAttributeValues: { ":p": S("p") },
  ...extra,
});

const cases: [string, string, Record<string, unknown>][] = [
  ["GetItem of an item", "GetItem", { TableName: "stored", Key: { pk: S("p"), sk: N(2) } }],
  ["GetItem of a missing item", "GetItem", { TableName: "stored", Key: { pk: S("p"), sk: N(9) } }],
  [
    "GetItem with consumed capacity",
    "GetItem",
    { TableName: "stored", Key: { pk: S("p"), sk: N(3) }, ReturnConsumedCapacity: "TOTAL" },
  ],
  [
    "GetItem with a projection",
    "GetItem",
    { TableName: "stored", Key: { pk: S("p"), sk: N(3) }, ProjectionExpression: "nested.entries[0]" },
  ],
  ["a Query of a partition", "Query", query({})],
  ["a Query backward with Limit (LastEvaluatedKey)", "Query", query({ ScanIndexForward: false, Limit: 2 })],
  [
    "a Query with a filter",
    "Query",
    query({
      FilterExpression: "player = :a",
      ExpressionAttributeValues: { ":p": S("p"), ":a": S("ann") },
      Limit: 2,
    }),
  ],
  ["a Query with a projection", "Query", query({ ProjectionExpression: "sk, b" })],
  ["a Query that counts", "Query", query({ Select: "COUNT" })],
  ["a Query with consumed capacity", "Query", query({ ReturnConsumedCapacity: "INDEXES" })],
  [
    "a Query of an index projecting all",
    "Query",
    {
      TableName: "stored",
      IndexName: "all",
      KeyConditionExpression: "player = :a",
      ExpressionAttributeValues: { ":a": S("ann") },
      Limit: 1,
    },
  ],
  [
    "a Query of an index projecting keys",
    "Query",
    {
      TableName: "stored",
      IndexName: "keys",
      KeyConditionExpression: "player = :a",
      ExpressionAttributeValues: { ":a": S("ann") },
    },
  ],
  ["a Scan", "Scan", { TableName: "stored" }],
  ["a Scan with Limit", "Scan", { TableName: "stored", Limit: 3 }],
  ["a Scan of an index", "Scan", { TableName: "stored", IndexName: "keys" }],
];

describe("answers with stored items as text", () => {
  for (const [name, action, input] of cases) {
    test(`${name}: the same JSON text as the answer with parsed items`, () => {
      const { wire, plain } = bothWays(table(), action, input);
      assert.equal(wire, plain);
    });
  }

  test("the wire gets stored text for whole items; other callers get items", () => {
    const rig = table();
    const { asText, parsed } = bothWays(rig, "Query", query({}));
    const textItems = (asText as { Items: unknown[] }).Items;
    assert.equal(textItems.length, 3);
    assert.ok(textItems.every((item) => item instanceof StoredItemText));
    assert.ok((parsed as { Items: unknown[] }).Items.every((item) => !(item instanceof StoredItemText)));
    const get = bothWays(rig, "GetItem", { TableName: "stored", Key: { pk: S("p"), sk: N(1) } });
    assert.ok((get.asText as { Item: unknown }).Item instanceof StoredItemText);
    assert.deepEqual(JSON.parse(JSON.stringify(get.parsed)), JSON.parse(get.wire));
  });

  test("answerJson leaves out undefined members and writes lists without stored text as JSON.stringify does", () => {
    const answer = { a: undefined, b: [1, { c: "d" }], e: new StoredItemText('{"k":{"S":"v"}}'), f: null };
    assert.equal(answerJson(answer), '{"b":[1,{"c":"d"}],"e":{"k":{"S":"v"}},"f":null}');
    assert.equal(answerJson({ x: [new StoredItemText("{}"), undefined] }), '{"x":[{},null]}');
  });
});

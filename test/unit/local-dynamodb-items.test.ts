/**
 * PutItem, GetItem, UpdateItem and DeleteItem: conditions, return values, consumed capacity,
 * item checks and stream records, with DynamoDB's messages (checked against DynamoDB Local 3.3;
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dynamoDbRig, N, S, tableInput } from "../support/dynamodb-rig.ts";

function streamedTable() {
  const rig = dynamoDbRig();
  rig.call(
    "CreateTable",
    tableInput("items", "N", {
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "N" },
        { AttributeName: "g", AttributeType: "S" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "byG",
          KeySchema: [{ AttributeName: "g", KeyType: "HASH" }],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  return rig;
}

describe("PutItem and GetItem", () => {
  test("stores an item with numbers in DynamoDB's canonical form and reads it back", () => {
    const rig = streamedTable();
    rig.call("PutItem", {
      TableName: "items",
      Item: { pk: S("a"), sk: N("01.50"), v: N("1e3"), w: { NS: ["2", "01"] } },
    });
    const got = rig.call("GetItem", { TableName: "items", Key: { pk: S("a"), sk: N("1.5") } });
    assert.deepEqual(got, { Item: { pk: S("a"), sk: N("1.5"), v: N("1000"), w: { NS: ["2", "1"] } } });
  });

  test("projects attributes and answers nothing for a missing item", () => {
    const rig = streamedTable();
    rig.call("PutItem", {
      TableName: "items",
      Item: { pk: S("a"), sk: N(1), m: { M: { x: N(1), y: N(2) } }, l: { L: [S("p"), S("q")] } },
    });
    const got = rig.call("GetItem", {
      TableName: "items",
      Key: { pk: S("a"), sk: N(1) },
      ProjectionExpression: "#m.x, l[1]",
      ExpressionAttributeNames: { "#m": "m" },
    });
    assert.deepEqual(got, { Item: { m: { M: { x: N(1) } }, l: { L: [S("q")] } } });
    assert.deepEqual(rig.call("GetItem", { TableName: "items", Key: { pk: S("b"), sk: N(1) } }), {});
  });

  test("ReturnValues ALL_OLD answers the replaced item", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "items", Item: { pk: S("a"), sk: N(1), v: S("old") } });
    const out = rig.call("PutItem", {
      TableName: "items",
      Item: { pk: S("a"), sk: N(1), v: S("new") },
      ReturnValues: "ALL_OLD",
    });
    assert.deepEqual(out, { Attributes: { pk: S("a"), sk: N(1), v: S("old") } });
  });

  const invalidItems: [string, Record<string, unknown>, string][] = [
    [
      "a missing sort key",
      { pk: S("a") },
      "One or more parameter values were invalid: Missing the key sk in the item",
    ],
    [
      "a key of the wrong type",
      { pk: S("a"), sk: S("x") },
      "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S",
    ],
    [
      "an empty partition key",
      { pk: S(""), sk: N(1) },
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
    ],
    [
      "an empty index key",
      { pk: S("a"), sk: N(1), g: S("") },
      "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byG, IndexKey: g",
    ],
    [
      "an index key of the wrong type",
      { pk: S("a"), sk: N(1), g: N(1) },
      "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG",
    ],
    [
      "an empty string set",
      { pk: S("a"), sk: N(1), s: { SS: [] } },
      "One or more parameter values were invalid: An string set  may not be empty",
    ],
    [
      "an empty number set",
      { pk: S("a"), sk: N(1), s: { NS: [] } },
      "One or more parameter values were invalid: An number set  may not be empty",
    ],
    [
      "a set with duplicates",
      { pk: S("a"), sk: N(1), s: { SS: ["a", "a"] } },
      "One or more parameter values were invalid: Input collection [a, a] contains duplicates",
    ],
    [
      "a number set with equal numbers",
      { pk: S("a"), sk: N(1), s: { NS: ["1", "1.0"] } },
      "Input collection contains duplicates",
    ],
    [
      "a value that is not a number",
      { pk: S("a"), sk: N(1), v: N("abc") },
      "A value provided cannot be converted into a number",
    ],
    [
      "a number with 39 digits",
      { pk: S("a"), sk: N(1), v: N("1".repeat(39)) },
      "Attempting to store more than 38 significant digits in a Number",
    ],
    [
      "an empty attribute value",
      { pk: S("a"), sk: N(1), v: {} },
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
    ],
    [
      "two data types",
      { pk: S("a"), sk: N(1), v: { S: "x", N: "1" } },
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    ],
    ["an empty attribute name", { pk: S("a"), sk: N(1), "": S("x") }, "Empty attribute name"],
    [
      "an item over 400 KB",
      { pk: S("a"), sk: N(1), v: S("x".repeat(409_600)) },
      "Item size has exceeded the maximum allowed size",
    ],
    [
      "a partition key over 2048 bytes",
      { pk: S("x".repeat(2049)), sk: N(1) },
      "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
    ],
  ];
  for (const [what, item, message] of invalidItems) {
    test(`refuses ${what}`, () => {
      streamedTable().fails("PutItem", { TableName: "items", Item: item }, "ValidationException", message);
    });
  }

  test("an item of exactly 400 KB is accepted", () => {
    const rig = streamedTable();
    // pk(2)+a(1) + sk(2)+1(2) + v(1) = 8 bytes besides the string.
    rig.call("PutItem", {
      TableName: "items",
      Item: { pk: S("a"), sk: N(1), v: S("x".repeat(409_600 - 8)) },
    });
  });

  test("refuses ReturnValues a PutItem does not offer, and keys that do not match the schema", () => {
    const rig = streamedTable();
    rig.fails(
      "PutItem",
      { TableName: "items", Item: { pk: S("a"), sk: N(1) }, ReturnValues: "ALL_NEW" },
      "ValidationException",
      "Return values set to invalid value",
    );
    for (const key of [{ pk: S("a") }, { pk: S("a"), sk: N(1), x: S("1") }, { pk: S("a"), sk: S("1") }]) {
      rig.fails(
        "GetItem",
        { TableName: "items", Key: key },
        "ValidationException",
        "The provided key element does not match the schema",
      );
    }
    rig.fails(
      "GetItem",
      { TableName: "nope", Key: { pk: S("a") } },
      "ResourceNotFoundException",
      "Requested resource not found",
    );
  });

  test("refuses a value placeholder that is not an attribute value, naming its key", () => {
    const rig = streamedTable();
    const put = (value: unknown) => ({
      TableName: "items",
      Item: { pk: S("a"), sk: N(1) },
      ConditionExpression: "attribute_not_exists(pk) OR pk <> :v",
      ExpressionAttributeValues: { ":v": value },
    });
    const invalid = (detail: string) =>
      `ExpressionAttributeValues contains invalid value: ${detail} for key :v`;
    rig.fails(
      "PutItem",
      put({ S: 5 }),
      "ValidationException",
      invalid("Supplied AttributeValue S is not a string"),
    );
    rig.fails(
      "PutItem",
      put({ L: 5 }),
      "ValidationException",
      invalid("Supplied AttributeValue L is not a list"),
    );
    rig.fails(
      "PutItem",
      put(null),
      "ValidationException",
      invalid("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    );
    rig.fails(
      "PutItem",
      put({ S: "a", BOOL: true }),
      "ValidationException",
      invalid(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
      ),
    );
    // A number DynamoDB cannot read keeps its own wording, checked first.
    rig.fails(
      "PutItem",
      put({ NS: ["1", "x"] }),
      "ValidationException",
      invalid("The parameter cannot be converted to a numeric value: x"),
    );
    rig.fails(
      "Query",
      {
        TableName: "items",
        KeyConditionExpression: "pk = :v",
        ExpressionAttributeValues: { ":v": { S: 5 } },
      },
      "ValidationException",
      invalid("Supplied AttributeValue S is not a string"),
    );
    assert.equal(rig.call("Scan", { TableName: "items" }).Count, 0, "nothing was written");
  });

  test("refuses placeholders without expressions and unused ones", () => {
    const rig = streamedTable();
    rig.fails(
      "PutItem",
      { TableName: "items", Item: { pk: S("a"), sk: N(1) }, ExpressionAttributeValues: { ":v": S("x") } },
      "ValidationException",
      "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
    );
    rig.fails(
      "UpdateItem",
      { TableName: "items", Key: { pk: S("a"), sk: N(1) }, ExpressionAttributeValues: { ":v": S("x") } },
      "ValidationException",
      "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null",
    );
    rig.fails(
      "GetItem",
      { TableName: "items", Key: { pk: S("a"), sk: N(1) }, ExpressionAttributeNames: { "#v": "v" } },
      "ValidationException",
      "ExpressionAttributeNames can only be specified when using expressions",
    );
    rig.fails(
      "PutItem",
      {
        TableName: "items",
        Item: { pk: S("a"), sk: N(1) },
        ConditionExpression: "attribute_not_exists(pk)",
        ExpressionAttributeValues: { ":v": S("x") },
      },
      "ValidationException",
      "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
    );
    rig.fails(
      "PutItem",
      { TableName: "items", Item: { pk: S("a"), sk: N(1) }, Expected: {} },
      "ValidationException",
      /legacy parameter Expected/,
    );
  });
});

describe("conditions", () => {
  test("a failed condition writes nothing and can return the item", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "items", Item: { pk: S("a"), sk: N(1), v: S("kept") } });
    const before = rig.changes.length;
    rig.fails(
      "PutItem",
      { TableName: "items", Item: { pk: S("a"), sk: N(1) }, ConditionExpression: "attribute_not_exists(pk)" },
      "ConditionalCheckFailedException",
      "The conditional request failed",
    );
    const error = rig.fails(
      "DeleteItem",
      {
        TableName: "items",
        Key: { pk: S("a"), sk: N(1) },
        ConditionExpression: "v = :x",
        ExpressionAttributeValues: { ":x": S("other") },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
      "ConditionalCheckFailedException",
    );
    assert.deepEqual(JSON.parse(JSON.stringify((error as unknown as { fields: unknown }).fields)), {
      Item: { pk: S("a"), sk: N(1), v: S("kept") },
    });
    assert.equal(rig.changes.length, before, "no stream record for a refused write");
    assert.deepEqual(
      rig.call("GetItem", { TableName: "items", Key: { pk: S("a"), sk: N(1) } }).Item.v,
      S("kept"),
    );
  });

  test("a condition on a missing item sees an empty item", () => {
    const rig = streamedTable();
    rig.call("PutItem", {
      TableName: "items",
      Item: { pk: S("a"), sk: N(1) },
      ConditionExpression: "attribute_not_exists(pk)",
    });
    rig.fails(
      "UpdateItem",
      {
        TableName: "items",
        Key: { pk: S("b"), sk: N(1) },
        UpdateExpression: "SET v = :v",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":v": N(1) },
      },
      "ConditionalCheckFailedException",
    );
    assert.equal(rig.call("Scan", { TableName: "items" }).Count, 1);
  });
});

describe("UpdateItem", () => {
  test("creates the item from its key and answers each ReturnValues", () => {
    const rig = streamedTable();
    const key = { pk: S("a"), sk: N(9) };
    const update = (expression: string, values: Record<string, unknown>, returnValues: string) =>
      rig.call("UpdateItem", {
        TableName: "items",
        Key: key,
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ReturnValues: returnValues,
      });
    assert.deepEqual(update("SET q = :v", { ":v": S("b") }, "UPDATED_NEW"), { Attributes: { q: S("b") } });
    assert.deepEqual(update("SET q = :v, n = :n", { ":v": S("c"), ":n": N(1) }, "UPDATED_OLD"), {
      Attributes: { q: S("b") },
    });
    assert.deepEqual(update("ADD n :n", { ":n": N(2) }, "ALL_NEW"), {
      Attributes: { pk: S("a"), sk: N(9), q: S("c"), n: N(3) },
    });
    assert.deepEqual(update("REMOVE q SET n = n + :n", { ":n": N(1) }, "ALL_OLD"), {
      Attributes: { pk: S("a"), sk: N(9), q: S("c"), n: N(3) },
    });
    assert.deepEqual(update("SET n = :n", { ":n": N(5) }, "NONE"), {});
  });

  test("refuses updating a key attribute and an index key of the wrong type", () => {
    const rig = streamedTable();
    const key = { pk: S("a"), sk: N(1) };
    rig.fails(
      "UpdateItem",
      {
        TableName: "items",
        Key: key,
        UpdateExpression: "SET pk = :v",
        ExpressionAttributeValues: { ":v": S("b") },
      },
      "ValidationException",
      "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
    );
    rig.fails(
      "UpdateItem",
      {
        TableName: "items",
        Key: key,
        UpdateExpression: "SET g = :v",
        ExpressionAttributeValues: { ":v": N(1) },
      },
      "ValidationException",
      /Type mismatch for Index Key g/,
    );
    assert.equal(rig.call("Scan", { TableName: "items" }).Count, 0);
  });
});

describe("UpdateItem's results", () => {
  test("keeps the numbers it writes in canonical form", () => {
    const rig = streamedTable();
    const out = rig.call("UpdateItem", {
      TableName: "items",
      Key: { pk: S("a"), sk: N(1) },
      UpdateExpression: "SET n = :n ADD ns :s",
      ExpressionAttributeValues: { ":n": N("2.0"), ":s": { NS: ["2.0", "01"] } },
      ReturnValues: "ALL_NEW",
    });
    assert.deepEqual(out.Attributes, { pk: S("a"), sk: N(1), n: N("2"), ns: { NS: ["2", "1"] } });
  });

  test("refuses REMOVE of an element of a missing list", () => {
    const rig = streamedTable();
    rig.fails(
      "UpdateItem",
      { TableName: "items", Key: { pk: S("a"), sk: N(1) }, UpdateExpression: "REMOVE lst[0]" },
      "ValidationException",
      "The document path provided in the update expression is invalid for update",
    );
  });
});

describe("DeleteItem", () => {
  test("deletes and returns the old item; deleting a missing item is a no-op", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "items", Item: { pk: S("a"), sk: N(1), g: S("x") } });
    assert.deepEqual(
      rig.call("DeleteItem", { TableName: "items", Key: { pk: S("a"), sk: N(1) }, ReturnValues: "ALL_OLD" }),
      {
        Attributes: { pk: S("a"), sk: N(1), g: S("x") },
      },
    );
    assert.deepEqual(
      rig.call("DeleteItem", { TableName: "items", Key: { pk: S("a"), sk: N(1) }, ReturnValues: "ALL_OLD" }),
      {},
    );
    rig.fails(
      "DeleteItem",
      { TableName: "items", Key: { pk: S("a"), sk: N(1) }, ReturnValues: "ALL_NEW" },
      "ValidationException",
      "Return values set to invalid value",
    );
    const index = rig.call("Query", {
      TableName: "items",
      IndexName: "byG",
      KeyConditionExpression: "g = :g",
      ExpressionAttributeValues: { ":g": S("x") },
    });
    assert.equal(index.Count, 0, "the index entry went with the item");
  });
});

describe("consumed capacity", () => {
  test("counts write units per KB, index writes, and half read units for eventually consistent reads", () => {
    const rig = streamedTable();
    const put = rig.call("PutItem", {
      TableName: "items",
      Item: { pk: S("a"), sk: N(1), v: S("x".repeat(1500)) },
      ReturnConsumedCapacity: "INDEXES",
    });
    assert.deepEqual(put.ConsumedCapacity, {
      TableName: "items",
      CapacityUnits: 2,
      Table: { CapacityUnits: 2 },
    });
    const update = rig.call("UpdateItem", {
      TableName: "items",
      Key: { pk: S("a"), sk: N(1) },
      UpdateExpression: "SET g = :g",
      ExpressionAttributeValues: { ":g": S("b") },
      ReturnConsumedCapacity: "INDEXES",
    });
    assert.deepEqual(update.ConsumedCapacity, {
      TableName: "items",
      CapacityUnits: 3,
      Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } },
    });
    const get = rig.call("GetItem", {
      TableName: "items",
      Key: { pk: S("a"), sk: N(1) },
      ReturnConsumedCapacity: "TOTAL",
    });
    assert.deepEqual(get.ConsumedCapacity, { TableName: "items", CapacityUnits: 0.5 });
    const strong = rig.call("GetItem", {
      TableName: "items",
      Key: { pk: S("a"), sk: N(1) },
      ConsistentRead: true,
      ReturnConsumedCapacity: "TOTAL",
    });
    assert.deepEqual(strong.ConsumedCapacity, { TableName: "items", CapacityUnits: 1 });
  });
});

describe("stream records", () => {
  test("INSERT, MODIFY and REMOVE with the images; no record for a write that changes nothing", () => {
    const rig = streamedTable();
    const key = { pk: S("a"), sk: N(1) };
    rig.call("PutItem", { TableName: "items", Item: { ...key, v: N(1) } });
    rig.call("PutItem", { TableName: "items", Item: { ...key, v: N(1) } });
    rig.call("UpdateItem", {
      TableName: "items",
      Key: key,
      UpdateExpression: "SET v = :v",
      ExpressionAttributeValues: { ":v": N(2) },
    });
    rig.call("DeleteItem", { TableName: "items", Key: key });
    rig.call("DeleteItem", { TableName: "items", Key: key });
    assert.deepEqual(
      rig.changes.map((change) => [change.eventName, change.keys, change.oldImage?.v, change.newImage?.v]),
      [
        ["INSERT", key, undefined, N(1)],
        ["MODIFY", key, N(1), N(2)],
        ["REMOVE", key, N(2), undefined],
      ],
    );
    assert.equal(rig.changes[0]?.viewType, "NEW_AND_OLD_IMAGES");
    assert.match(rig.changes[0]?.streamArn ?? "", /table\/items\/stream\/2026-06-01T00:00:00.000$/);
  });

  test("a table without a stream records nothing", () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("plain"));
    rig.call("PutItem", { TableName: "plain", Item: { pk: S("a") } });
    assert.equal(rig.changes.length, 0);
  });
});

/**
 * Hand-picked item calls: each one AWS rule, mostly invalid input (key and type checks, item size,
 * expression errors, limits of batches and transactions) and the failures a valid call meets
 * (conditions, transaction cancellations, idempotency). Rules from the API reference pages of each
 * action, https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html,
 * and https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */
import type { OracleCall } from "./calls.ts";
import { batchAndTransactionCalls } from "./hand-picked-batches.ts";
import { GSI, HASH_TABLE, RANGE_TABLE } from "./tables.ts";

const VALIDATION = "ValidationException";
const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { N: sk } });
const c = (
  action: OracleCall["action"],
  input: Record<string, unknown>,
  note: string,
  expect: string,
): OracleCall => ({
  action,
  input,
  note,
  expect,
});
const put = (
  item: Record<string, unknown>,
  note: string,
  expect: string,
  extra: Record<string, unknown> = {},
) => c("PutItem", { TableName: RANGE_TABLE, Item: item, ...extra }, note, expect);
const update = (input: Record<string, unknown>, note: string, expect: string) =>
  c("UpdateItem", { TableName: RANGE_TABLE, Key: key("hp", "1"), ...input }, note, expect);
const queryOf = (input: Record<string, unknown>, note: string, expect: string) =>
  c("Query", { TableName: RANGE_TABLE, ...input }, note, expect);

export function handPickedCalls(): OracleCall[] {
  const pkIs = { KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": { S: "hp" } } };
  return [
    // Items and their keys.
    put(
      {
        ...key("hp", "1"),
        s: { S: "x" },
        m: { M: { a: { N: "1" } } },
        lst: { L: [{ N: "1" }] },
        ss: { SS: ["a", "b"] },
      },
      "a known item",
      "ok",
    ),
    put(
      { ...key("hp", "2"), g: { S: "g9" }, s: { S: "" } },
      "an empty string outside the key is allowed",
      "ok",
    ),
    put(
      { ...key("hp", "3"), n: { N: "12345678901234567890123456789012345678" } },
      "38 significant digits",
      "ok",
    ),
    put({ pk: { S: "hp" } }, "missing the sort key", VALIDATION),
    put({ pk: { S: "hp" }, sk: { S: "1" } }, "sort key of the wrong type", VALIDATION),
    put({ pk: { S: "" }, sk: { N: "1" } }, "empty string as partition key", VALIDATION),
    put({ ...key("hp", "9"), ss: { SS: [] } }, "empty string set", VALIDATION),
    put({ ...key("hp", "9"), ss: { SS: ["a", "a"] } }, "duplicate in a string set", VALIDATION),
    put({ ...key("hp", "9"), n: { N: "abc" } }, "a number that is not one", VALIDATION),
    put(
      { ...key("hp", "9"), n: { N: "123456789012345678901234567890123456789" } },
      "39 significant digits",
      VALIDATION,
    ),
    put({ ...key("hp", "9"), n: { N: "1e126" } }, "a number above 9.99e125", VALIDATION),
    put({ ...key("hp", "9"), big: { S: "x".repeat(400 * 1024) } }, "an item over 400 KB", VALIDATION),
    put({ ...key("hp", "9"), g: { N: "1" } }, "a global index key of the wrong type", VALIDATION),
    put({ ...key("hp", "9"), g: { S: "" } }, "an empty string as a global index key", VALIDATION),
    put({ ...key("hp", "9"), two: { S: "a", N: "1" } }, "an attribute value with two types", VALIDATION),
    put({ ...key("hp", "9") }, "ReturnValues ALL_NEW on PutItem", VALIDATION, { ReturnValues: "ALL_NEW" }),
    put({ ...key("hp", "1") }, "a failed condition returns the item", "ConditionalCheckFailedException", {
      ConditionExpression: "attribute_not_exists(pk)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    }),
    put({ ...key("hp", "1") }, "a failed condition without the item", "ConditionalCheckFailedException", {
      ConditionExpression: "s = :v",
      ExpressionAttributeValues: { ":v": { S: "not x" } },
    }),
    put({ ...key("hp", "9") }, "Expected and ConditionExpression together", VALIDATION, {
      ConditionExpression: "attribute_not_exists(pk)",
      Expected: { pk: { Exists: false } },
    }),
    put({ ...key("hp", "9") }, "a value placeholder nobody uses", VALIDATION, {
      ConditionExpression: "attribute_not_exists(pk)",
      ExpressionAttributeValues: { ":unused": { S: "x" } },
    }),
    put({ ...key("hp", "9") }, "a name placeholder nobody uses", VALIDATION, {
      ConditionExpression: "attribute_not_exists(pk)",
      ExpressionAttributeNames: { "#unused": "x" },
    }),
    put({ ...key("hp", "9") }, "an unknown function in a condition", VALIDATION, {
      ConditionExpression: "is_there(pk)",
    }),
    put({ ...key("hp", "9") }, "a condition that does not parse", VALIDATION, {
      ConditionExpression: "pk = = pk",
    }),
    put({ ...key("hp", "9") }, "a reserved word in a condition", VALIDATION, {
      ConditionExpression: "attribute_exists(name)",
    }),
    put({ ...key("hp", "9") }, "an undefined value placeholder", VALIDATION, {
      ConditionExpression: "s = :nope",
    }),
    put({ ...key("hp", "9") }, "an empty ExpressionAttributeValues", VALIDATION, {
      ConditionExpression: "attribute_not_exists(pk)",
      ExpressionAttributeValues: {},
    }),
    c(
      "GetItem",
      { TableName: RANGE_TABLE, Key: { ...key("hp", "1"), s: { S: "x" } } },
      "a key with an extra attribute",
      VALIDATION,
    ),
    c(
      "GetItem",
      { TableName: RANGE_TABLE, Key: { pk: { S: "hp" } } },
      "a key without its sort key",
      VALIDATION,
    ),
    c(
      "GetItem",
      { TableName: RANGE_TABLE, Key: key("hp", "1"), ProjectionExpression: "m, m.a" },
      "overlapping projection paths",
      VALIDATION,
    ),
    c(
      "GetItem",
      { TableName: RANGE_TABLE, Key: key("hp", "1"), ProjectionExpression: "m.a, lst[0], ss" },
      "projection of nested paths",
      "ok",
    ),
    c("GetItem", { TableName: RANGE_TABLE, Key: key("hp", "404") }, "an item that is not there", "ok"),
    c(
      "DeleteItem",
      { TableName: RANGE_TABLE, Key: key("hp", "404"), ConditionExpression: "attribute_exists(pk)" },
      "a conditional delete of nothing",
      "ConditionalCheckFailedException",
    ),
    c(
      "DeleteItem",
      { TableName: RANGE_TABLE, Key: key("hp", "404"), ReturnValues: "ALL_OLD" },
      "an unconditional delete of nothing",
      "ok",
    ),
    // Updates.
    update(
      { UpdateExpression: "SET pk = :v", ExpressionAttributeValues: { ":v": { S: "z" } } },
      "updating a key attribute",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET = :v", ExpressionAttributeValues: { ":v": { S: "z" } } },
      "an update that does not parse",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET s = :v, s = :v", ExpressionAttributeValues: { ":v": { S: "z" } } },
      "one path set twice",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET m = :v, m.a = :v", ExpressionAttributeValues: { ":v": { S: "z" } } },
      "overlapping paths",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET s = :v SET n = :v", ExpressionAttributeValues: { ":v": { N: "1" } } },
      "two SET clauses",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "ADD lst :v", ExpressionAttributeValues: { ":v": { L: [] } } },
      "ADD to a list",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET n = s + :v", ExpressionAttributeValues: { ":v": { N: "1" } } },
      "arithmetic on a string",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET nope.a = :v", ExpressionAttributeValues: { ":v": { N: "1" } } },
      "a path under a missing map",
      VALIDATION,
    ),
    update(
      { UpdateExpression: "SET lst[0].a = :v", ExpressionAttributeValues: { ":v": { N: "1" } } },
      "a map path into a number",
      VALIDATION,
    ),
    update(
      {
        UpdateExpression: "SET lst[7] = :v",
        ExpressionAttributeValues: { ":v": { N: "1" } },
        ReturnValues: "ALL_NEW",
      },
      "a list index past the end appends",
      "ok",
    ),
    update(
      { UpdateExpression: "DELETE ss :v", ExpressionAttributeValues: { ":v": { NS: ["1"] } } },
      "DELETE a number set from a string set",
      VALIDATION,
    ),
    update(
      {
        UpdateExpression: "REMOVE ss, m.a, lst[0] ADD n :one",
        ExpressionAttributeValues: { ":one": { N: "1" } },
        ReturnValues: "UPDATED_NEW",
      },
      "every clause but SET",
      "ok",
    ),
    update(
      {
        UpdateExpression: "SET s = :v",
        AttributeUpdates: { s: { Action: "PUT", Value: { S: "z" } } },
        ExpressionAttributeValues: { ":v": { S: "z" } },
      },
      "AttributeUpdates with UpdateExpression",
      VALIDATION,
    ),
    update(
      {
        UpdateExpression: "SET #n = :v, name = :v",
        ExpressionAttributeNames: { "#n": "n" },
        ExpressionAttributeValues: { ":v": { N: "1" } },
      },
      "a reserved word as a path",
      VALIDATION,
    ),
    // DynamoDB Local takes SIZE, a reserved word, as a path on the left of SET; the item goes
    // at once, so that a difference here does not spread to the calls after it.
    c(
      "UpdateItem",
      {
        TableName: HASH_TABLE,
        Key: { pk: { S: "size" } },
        UpdateExpression: "SET size = :v",
        ExpressionAttributeValues: { ":v": { N: "1" } },
      },
      "the function name size as a path",
      "ok",
    ),
    c("DeleteItem", { TableName: HASH_TABLE, Key: { pk: { S: "size" } } }, "and the item it made goes", "ok"),
    update(
      {
        UpdateExpression: "SET s = :v",
        ConditionExpression: "attribute_exists(nope)",
        ExpressionAttributeValues: { ":v": { S: "z" } },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
      "a failed update condition returns the item",
      "ConditionalCheckFailedException",
    ),
    c(
      "UpdateItem",
      {
        TableName: RANGE_TABLE,
        Key: key("hp", "8"),
        UpdateExpression: "SET n = if_not_exists(n, :z) + :one",
        ExpressionAttributeValues: { ":z": { N: "0" }, ":one": { N: "1" } },
        ReturnValues: "ALL_NEW",
      },
      "an update creates the item",
      "ok",
    ),
    c(
      "UpdateItem",
      {
        TableName: RANGE_TABLE,
        Key: key("hp", "7"),
        ConditionExpression: "attribute_exists(pk)",
        UpdateExpression: "SET s = :v",
        ExpressionAttributeValues: { ":v": { S: "z" } },
      },
      "an update that must not create",
      "ConditionalCheckFailedException",
    ),
    c(
      "UpdateItem",
      {
        TableName: RANGE_TABLE,
        Key: key("hp", "2"),
        UpdateExpression: "SET g = :n",
        ExpressionAttributeValues: { ":n": { N: "1" } },
      },
      "an update giving a global index key the wrong type",
      VALIDATION,
    ),
    // Queries and scans.
    queryOf({}, "a query without a key condition", VALIDATION),
    queryOf(
      { KeyConditionExpression: "s = :v", ExpressionAttributeValues: { ":v": { S: "x" } } },
      "a key condition on a non-key attribute",
      VALIDATION,
    ),
    queryOf(
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues: { ":pk": { S: "hp" }, ":p": { N: "1" } },
      },
      "begins_with on a number sort key",
      VALIDATION,
    ),
    queryOf(
      { KeyConditionExpression: "pk > :pk", ExpressionAttributeValues: { ":pk": { S: "hp" } } },
      "a range condition on the partition key",
      VALIDATION,
    ),
    queryOf(
      {
        KeyConditionExpression: "pk = :pk OR sk = :sk",
        ExpressionAttributeValues: { ":pk": { S: "hp" }, ":sk": { N: "1" } },
      },
      "OR in a key condition",
      VALIDATION,
    ),
    queryOf({ ...pkIs, FilterExpression: "sk > :pk" }, "a filter on a key attribute", VALIDATION),
    queryOf({ ...pkIs, Limit: 0 }, "Limit 0", VALIDATION),
    queryOf({ ...pkIs, IndexName: "nope" }, "an index the table does not have", VALIDATION),
    queryOf(
      {
        KeyConditionExpression: "g = :g",
        ExpressionAttributeValues: { ":g": { S: "g9" } },
        IndexName: GSI,
        ConsistentRead: true,
      },
      "a consistent read on a global index",
      VALIDATION,
    ),
    queryOf(
      { ...pkIs, Select: "ALL_PROJECTED_ATTRIBUTES" },
      "ALL_PROJECTED_ATTRIBUTES without an index",
      VALIDATION,
    ),
    queryOf({ ...pkIs, Select: "COUNT", ProjectionExpression: "s" }, "COUNT with a projection", VALIDATION),
    queryOf(
      { ...pkIs, ExclusiveStartKey: { pk: { S: "hp" } } },
      "a start key without its sort key",
      VALIDATION,
    ),
    queryOf(
      { ...pkIs, ExclusiveStartKey: key("other", "1") },
      "a start key outside the queried partition",
      VALIDATION,
    ),
    queryOf({ ...pkIs, ProjectionExpression: "s, m.a" }, "a projected query", "ok"),
    queryOf({ ...pkIs, ScanIndexForward: false, Limit: 2 }, "the last two, backwards", "ok"),
    queryOf(
      { ...pkIs, Select: "SPECIFIC_ATTRIBUTES", ProjectionExpression: "n" },
      "SPECIFIC_ATTRIBUTES with a projection",
      "ok",
    ),
    c("Scan", { TableName: RANGE_TABLE, Segment: 0 }, "a segment without TotalSegments", VALIDATION),
    c(
      "Scan",
      { TableName: RANGE_TABLE, Segment: 2, TotalSegments: 2 },
      "a segment past TotalSegments",
      VALIDATION,
    ),
    c(
      "Scan",
      { TableName: RANGE_TABLE, TotalSegments: 1000001, Segment: 0 },
      "more than 1,000,000 segments",
      VALIDATION,
    ),
    c(
      "Scan",
      { TableName: HASH_TABLE, IndexName: GSI },
      "a scan of an index the table does not have",
      VALIDATION,
    ),
    ...batchAndTransactionCalls(),
  ];
}

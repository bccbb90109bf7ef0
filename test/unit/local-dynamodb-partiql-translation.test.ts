/**
 * Which DynamoDB call each PartiQL statement becomes, as the developer guide describes them:
 * a SELECT with an equality on the partition key avoids a full scan
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html);
 * INSERT fails on an existing key (ql-reference.insert.html); UPDATE needs the item to exist
 * (ql-reference.update.html); UPDATE and DELETE name a whole key (ql-reference.delete.html).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { plan } from "../../src/local/dynamodb/partiql/execute-statement.ts";
import { AwsError } from "../../src/model/errors.ts";
import { dynamoDbRig, N, playerIndexTable, S } from "../support/dynamodb-rig.ts";

function rig() {
  const r = dynamoDbRig();
  r.call("CreateTable", playerIndexTable("games"));
  return r;
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function fails(run: () => unknown, code: string, message: string) {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AwsError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

describe("SELECT", () => {
  test("an equality on every key attribute and nothing else is a GetItem", () => {
    const { service } = rig();
    const found = plan(service, `SELECT * FROM "games" WHERE pk = 'a' AND 3 = sk`, []);
    assert.equal(found.action, "GetItem");
    assert.deepEqual(json(found.input), { TableName: "games", Key: { pk: S("a"), sk: N(3) } });
  });

  test("an equality on the partition key is a Query: sort key condition as key condition, the rest as filter", () => {
    const { service } = rig();
    const found = plan(
      service,
      `SELECT * FROM "games" WHERE pk = ? AND score > 10 AND sk BETWEEN 1 AND 5 ORDER BY sk DESC`,
      [S("a")],
    );
    assert.equal(found.action, "Query");
    assert.deepEqual(json(found.input), {
      TableName: "games",
      KeyConditionExpression: "(#n0 = :v0) AND (#n1 BETWEEN :v1 AND :v2)",
      FilterExpression: "#n2 > :v3",
      ScanIndexForward: false,
      ExpressionAttributeNames: { "#n0": "pk", "#n1": "sk", "#n2": "score" },
      ExpressionAttributeValues: { ":v0": S("a"), ":v1": N(1), ":v2": N(5), ":v3": N(10) },
    });
  });

  test("a full key plus other conditions is a Query with a filter", () => {
    const { service } = rig();
    const found = plan(service, `SELECT * FROM "games" WHERE pk = 'a' AND sk = 1 AND done = true`, []);
    assert.equal(found.action, "Query");
    assert.equal(found.input.FilterExpression, "#n2 = :v2");
  });

  test("an index's partition key makes a Query on the index", () => {
    const { service } = rig();
    const found = plan(service, `SELECT pk FROM "games"."byPlayer" WHERE player = 'p1'`, []);
    assert.equal(found.action, "Query");
    assert.equal(found.input.IndexName, "byPlayer");
    assert.equal(found.input.KeyConditionExpression, "#n0 = :v0");
  });

  test("no partition key equality (or OR, or a range on the partition key) is a Scan of the whole WHERE", () => {
    const { service } = rig();
    for (const where of ["score > 1", "pk = 'a' OR pk = 'b'", "pk > 'a'", "pk IN ['a', 'b']"]) {
      assert.equal(plan(service, `SELECT * FROM "games" WHERE ${where}`, []).action, "Scan", where);
    }
    const found = plan(
      service,
      `SELECT * FROM "games" WHERE NOT (a IS MISSING) AND b IS NOT NULL AND size(l) >= 2`,
      [],
    );
    assert.deepEqual(json(found.input), {
      TableName: "games",
      FilterExpression:
        "((NOT (attribute_not_exists(#n0))) AND (NOT attribute_type(#n1, :v0))) AND (size(#n2) >= :v1)",
      ExpressionAttributeNames: { "#n0": "a", "#n1": "b", "#n2": "l" },
      ExpressionAttributeValues: { ":v0": S("NULL"), ":v1": N(2) },
    });
  });

  test("refuses a key of the wrong type, an unknown table or index, and overlapping paths, in DynamoDB's words", () => {
    const { service } = rig();
    fails(
      () => plan(service, `SELECT * FROM "games" WHERE pk = 'a' AND sk = '1'`, []),
      "ValidationException",
      "Key attribute's data type should match its data type in table's schema: Key sk",
    );
    fails(
      () => plan(service, `SELECT * FROM "nope"`, []),
      "ResourceNotFoundException",
      "Cannot do operations on a non-existent table",
    );
    fails(
      () => plan(service, `SELECT * FROM "games"."nope" WHERE g = 1`, []),
      "ValidationException",
      "The table does not have the specified index: nope",
    );
    fails(
      () => plan(service, `SELECT m.k.z, m.k FROM "games"`, []),
      "ValidationException",
      "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, k, z], path two: [m, k]",
    );
    fails(
      () => plan(service, `SELECT * FROM "games" WHERE exists(m)`, []),
      "ValidationException",
      "Unrecognized function: exists",
    );
    fails(
      () => plan(service, `SELECT * FROM "games" WHERE pk = ? AND sk = ?`, [S("a")]),
      "ValidationException",
      "Number of parameters in request and statement don't match.",
    );
  });
});

describe("INSERT, UPDATE and DELETE", () => {
  test("INSERT is a PutItem on condition that the key is new", () => {
    const { service } = rig();
    const found = plan(
      service,
      `INSERT INTO "games" VALUE {'pk': ?, 'sk': 1, 's': <<'x'>>, 'm': {'l': [NULL]}}`,
      [S("a")],
    );
    assert.equal(found.action, "PutItem");
    assert.deepEqual(json(found.input), {
      TableName: "games",
      Item: { pk: S("a"), sk: N(1), s: { SS: ["x"] }, m: { M: { l: { L: [{ NULL: true }] } } } },
      ConditionExpression: "attribute_not_exists(#n0)",
      ExpressionAttributeNames: { "#n0": "pk" },
    });
  });

  test("INSERT refuses a missing key, RETURNING, odd bags and duplicate keys as DynamoDB does", () => {
    const { service } = rig();
    fails(
      () => plan(service, `INSERT INTO "games" VALUE {'pk': 'a'}`, []),
      "ValidationException",
      "Key attribute should be present in the item: Key sk",
    );
    fails(
      () => plan(service, `INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1} RETURNING ALL OLD *`, []),
      "ValidationException",
      "RETURNING is not supported in INSERT",
    );
    fails(
      () => plan(service, `INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1, 'v': <<1, 'a'>>}`, []),
      "ValidationException",
      "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
    );
    fails(
      () => plan(service, `INSERT INTO "games" VALUE {'pk': 'x', 'sk': 1, 'v': <<>>}`, []),
      "ValidationException",
      "Empty bags are not supported at 1:53:2",
    );
    fails(
      () => plan(service, `INSERT INTO "games" VALUE {'pk': 'x', 'sk': 1, 'pk': 'y'}`, []),
      "ValidationException",
      "Duplicate keys in tuple. Key: pk under root at 1:48:4",
    );
  });

  test("UPDATE is an UpdateItem on condition that the item exists and the WHERE clause's other conditions hold", () => {
    const { service } = rig();
    const found = plan(
      service,
      `UPDATE "games" SET n = n + 1 SET s = set_add(s, <<'x'>>) REMOVE old WHERE pk = 'a' AND sk = 1 AND n < 10 RETURNING MODIFIED OLD *`,
      [],
    );
    assert.equal(found.action, "UpdateItem");
    assert.deepEqual(json(found.input), {
      TableName: "games",
      Key: { pk: S("a"), sk: N(1) },
      UpdateExpression: "SET #n0 = #n0 + :v0 REMOVE #n2 ADD #n1 :v1",
      ConditionExpression: "(attribute_exists(#n3)) AND (#n0 < :v2)",
      ReturnValues: "UPDATED_OLD",
      ExpressionAttributeNames: { "#n0": "n", "#n1": "s", "#n2": "old", "#n3": "pk" },
      ExpressionAttributeValues: { ":v0": N(1), ":v1": { SS: ["x"] }, ":v2": N(10) },
    });
  });

  test("UPDATE and DELETE need an equality on every key attribute", () => {
    const { service } = rig();
    for (const statement of [
      `UPDATE "games" SET n = 1 WHERE pk = 'a'`,
      `DELETE FROM "games" WHERE pk = 'a' OR sk = 1`,
    ]) {
      fails(
        () => plan(service, statement, []),
        "ValidationException",
        "Where clause does not contain a mandatory equality on all key attributes",
      );
    }
  });

  test("DELETE is a DeleteItem, conditional only on the WHERE clause's other conditions", () => {
    const { service } = rig();
    const plain = plan(service, `DELETE FROM "games" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *`, []);
    assert.deepEqual(json(plain.input), {
      TableName: "games",
      Key: { pk: S("a"), sk: N(1) },
      ReturnValues: "ALL_OLD",
    });
    const guarded = plan(
      service,
      `DELETE FROM "games" WHERE pk = 'a' AND sk = 1 AND attribute_exists(done)`,
      [],
    );
    assert.equal(guarded.input.ConditionExpression, "attribute_exists(#n0)");
  });
});

/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction against the real engine, with
 * the answers and errors DynamoDB gives (checked against DynamoDB Local 3.3.1;
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html,
 * API_BatchExecuteStatement.html, API_ExecuteTransaction.html, and for IAM
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { executePartiql, partiqlResourcesOf } from "../../src/local/dynamodb/index.ts";
import { AwsError } from "../../src/model/errors.ts";
import { dynamoDbRig, type Json, N, S, tableInput } from "../support/dynamodb-rig.ts";

function rig() {
  const r = dynamoDbRig();
  r.call("CreateTable", tableInput("games", "N"));
  const run = (action: string, input: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(executePartiql(r.service, action, input))) as Json;
  const statement = (Statement: string, extra: Record<string, unknown> = {}) =>
    run("ExecuteStatement", { Statement, ...extra });
  const fails = (action: string, input: Record<string, unknown>, code: string, message: string) => {
    let caught: unknown;
    try {
      run(action, input);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof AwsError, `${action} should fail with ${code}`);
    assert.equal(caught.code, code, caught.message);
    assert.equal(caught.message, message);
    return caught;
  };
  return { ...r, run, statement, fails };
}

describe("ExecuteStatement", () => {
  test("INSERT stores the item, and a second INSERT of its key is DuplicateItemException", () => {
    const r = rig();
    assert.deepEqual(r.statement(`INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1, 'n': 5}`), { Items: [] });
    assert.deepEqual(r.call("GetItem", { TableName: "games", Key: { pk: S("a"), sk: N(1) } }).Item, {
      pk: S("a"),
      sk: N(1),
      n: N(5),
    });
    r.fails(
      "ExecuteStatement",
      { Statement: `INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1}` },
      "DuplicateItemException",
      "Duplicate primary key exists in table",
    );
  });

  test("SELECT answers items, naming projected paths by their last step", () => {
    const r = rig();
    r.statement(`INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1, 'm': {'k': 'v'}, 'l': [1, 'two']}`);
    r.statement(`INSERT INTO "games" VALUE {'pk': 'a', 'sk': 2}`);
    const got = r.statement(`SELECT m.k, l[1], nope FROM "games" WHERE pk = ? AND sk = ?`, {
      Parameters: [S("a"), N(1)],
    });
    assert.deepEqual(got, { Items: [{ k: S("v"), "l[1]": S("two") }] });
    const query = r.statement(`SELECT sk FROM "games" WHERE pk = 'a' ORDER BY sk DESC`);
    assert.deepEqual(query, { Items: [{ sk: N(2) }, { sk: N(1) }] });
    assert.deepEqual(r.statement(`SELECT * FROM "games" WHERE pk = 'zz' AND sk = 1`), { Items: [] });
  });

  test("Limit pages a scan and NextToken continues it", () => {
    const r = rig();
    for (const pk of ["a", "b", "c"]) r.statement(`INSERT INTO "games" VALUE {'pk': '${pk}', 'sk': 1}`);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = r.statement(`SELECT pk FROM "games"`, {
        Limit: 2,
        ...(token ? { NextToken: token } : {}),
      });
      seen.push(...page.Items.map((item: Json) => item.pk.S));
      token = page.NextToken;
      pages += 1;
    } while (token !== undefined && pages < 5);
    assert.deepEqual(seen.sort(), ["a", "b", "c"]);
    assert.equal(pages, 2);
    r.fails(
      "ExecuteStatement",
      { Statement: `SELECT * FROM "games"`, Limit: 0 },
      "ValidationException",
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  test("UPDATE needs the item to exist, honours RETURNING and ReturnValuesOnConditionCheckFailure", () => {
    const r = rig();
    r.fails(
      "ExecuteStatement",
      { Statement: `UPDATE "games" SET n = 1 WHERE pk = 'a' AND sk = 1` },
      "ConditionalCheckFailedException",
      "The conditional request failed",
    );
    assert.equal(r.call("Scan", { TableName: "games" }).Count, 0);
    r.statement(`INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1, 'n': 5, 'g': 'x'}`);
    const updated = r.statement(
      `UPDATE "games" SET n = n + 1 SET q = 'w' REMOVE g WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`,
    );
    assert.deepEqual(updated, { Items: [{ pk: S("a"), sk: N(1), n: N(6), q: S("w") }] });
    const error = r.fails(
      "ExecuteStatement",
      {
        Statement: `UPDATE "games" SET n = 0 WHERE pk = 'a' AND sk = 1 AND n = 99`,
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
      "ConditionalCheckFailedException",
      "The conditional request failed",
    );
    assert.deepEqual(JSON.parse(JSON.stringify((error as unknown as { fields: unknown }).fields)), {
      Item: { pk: S("a"), sk: N(1), n: N(6), q: S("w") },
    });
  });

  test("DELETE removes the item (a missing one is no error) and returns the old one when asked", () => {
    const r = rig();
    r.statement(`INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1, 'n': 5}`);
    assert.deepEqual(r.statement(`DELETE FROM "games" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *`), {
      Items: [{ pk: S("a"), sk: N(1), n: N(5) }],
    });
    assert.deepEqual(r.statement(`DELETE FROM "games" WHERE pk = 'a' AND sk = 1`), { Items: [] });
  });

  test("a malformed statement and an unknown table fail as DynamoDB answers", () => {
    const r = rig();
    r.fails(
      "ExecuteStatement",
      { Statement: "SELEC" },
      "ValidationException",
      "Statement wasn't well formed, can't be processed: SELEC",
    );
    r.fails(
      "ExecuteStatement",
      { Statement: `DELETE FROM "nope" WHERE pk = 'a'` },
      "ResourceNotFoundException",
      "Cannot do operations on a non-existent table",
    );
  });
});

describe("BatchExecuteStatement", () => {
  test("runs each write on its own, with per-statement errors", () => {
    const r = rig();
    r.statement(`INSERT INTO "games" VALUE {'pk': 'b', 'sk': 1}`);
    const out = r.run("BatchExecuteStatement", {
      Statements: [
        { Statement: `INSERT INTO "games" VALUE {'pk': 'b', 'sk': 1}` },
        { Statement: `UPDATE "games" SET x = 1 WHERE pk = 'zz' AND sk = 1` },
        { Statement: `DELETE FROM "nope" WHERE pk = 'b' AND sk = 1` },
        { Statement: "SELEC" },
        { Statement: `INSERT INTO "games" VALUE {'pk': ?, 'sk': 9}`, Parameters: [S("q")] },
        { Statement: `UPDATE "games" SET x = 2 WHERE pk = 'b' AND sk = 2 RETURNING ALL NEW *` },
      ],
    });
    assert.deepEqual(out, {
      Responses: [
        {
          Error: { Code: "DuplicateItem", Message: "Duplicate primary key exists in table" },
          TableName: "games",
        },
        {
          Error: { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
          TableName: "games",
        },
        { Error: { Code: "ResourceNotFound", Message: "Cannot do operations on a non-existent table" } },
        {
          Error: {
            Code: "ValidationError",
            Message: "Invalid operation. Only select, insert, update and delete operations are valid",
          },
        },
        { TableName: "games" },
        {
          Error: { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
          TableName: "games",
        },
      ],
    });
    assert.equal(r.call("GetItem", { TableName: "games", Key: { pk: S("q"), sk: N(9) } }).Item.pk.S, "q");
  });

  test("reads single items only, and refuses mixed batches and repeated keys", () => {
    const r = rig();
    r.statement(`INSERT INTO "games" VALUE {'pk': 'b', 'sk': 1, 'n': 1}`);
    const out = r.run("BatchExecuteStatement", {
      Statements: [
        { Statement: `SELECT * FROM "games" WHERE pk = 'b' AND sk = 1` },
        { Statement: `SELECT * FROM "games" WHERE pk = 'zz' AND sk = 1` },
        { Statement: `SELECT x FROM "games" WHERE pk = 'b' AND sk = 3` },
        { Statement: `SELECT * FROM "games" WHERE pk = 'b'` },
      ],
    });
    assert.deepEqual(out.Responses[0], { TableName: "games", Item: { pk: S("b"), sk: N(1), n: N(1) } });
    assert.deepEqual(out.Responses[1], { TableName: "games" });
    assert.deepEqual(out.Responses[2], { TableName: "games" });
    assert.deepEqual(out.Responses[3], {
      Error: { Code: "ValidationError", Message: "Only single item select is supported" },
    });
    r.fails(
      "BatchExecuteStatement",
      {
        Statements: [
          { Statement: `SELECT * FROM "games" WHERE pk = 'b' AND sk = 1` },
          { Statement: `INSERT INTO "games" VALUE {'pk': 'r', 'sk': 1}` },
        ],
      },
      "ValidationException",
      "Read and write requests together in the same batch is not supported.",
    );
    r.fails(
      "BatchExecuteStatement",
      {
        Statements: [
          { Statement: `SELECT * FROM "games" WHERE pk = 'b' AND sk = 1` },
          { Statement: `SELECT n FROM "games" WHERE pk = 'b' AND sk = 1` },
        ],
      },
      "ValidationException",
      "Provided list of item keys contains duplicates",
    );
    r.fails("BatchExecuteStatement", { Statements: [] }, "ValidationException", "The statement was empty.");
  });
});

describe("ExecuteTransaction", () => {
  test("writes all or nothing; a failed condition cancels with DynamoDB's reasons", () => {
    const r = rig();
    const error = r.fails(
      "ExecuteTransaction",
      {
        TransactStatements: [
          { Statement: `INSERT INTO "games" VALUE {'pk': 't1', 'sk': 1}` },
          { Statement: `UPDATE "games" SET x = 1 WHERE pk = 'zz' AND sk = 1` },
        ],
      },
      "TransactionCanceledException",
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
    );
    assert.deepEqual(
      JSON.parse(JSON.stringify((error as unknown as { fields: Json }).fields.CancellationReasons)),
      [{ Code: "None" }, { Code: "ConditionalCheckFailed", Message: "The conditional request failed" }],
    );
    assert.equal(r.call("Scan", { TableName: "games" }).Count, 0);
    assert.deepEqual(
      r.run("ExecuteTransaction", {
        TransactStatements: [
          { Statement: `INSERT INTO "games" VALUE {'pk': 't1', 'sk': 1}` },
          { Statement: `INSERT INTO "games" VALUE {'pk': ?, 'sk': 2}`, Parameters: [S("t2")] },
        ],
      }),
      { Responses: [] },
    );
    assert.equal(r.call("Scan", { TableName: "games" }).Count, 2);
  });

  test("an INSERT of an existing key cancels with a ValidationError reason", () => {
    const r = rig();
    r.statement(`INSERT INTO "games" VALUE {'pk': 't1', 'sk': 1}`);
    const error = r.fails(
      "ExecuteTransaction",
      { TransactStatements: [{ Statement: `INSERT INTO "games" VALUE {'pk': 't1', 'sk': 1}` }] },
      "TransactionCanceledException",
      "Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]",
    );
    assert.deepEqual(
      JSON.parse(JSON.stringify((error as unknown as { fields: Json }).fields.CancellationReasons)),
      [{ Code: "ValidationError", Message: "Duplicate primary key exists in table" }],
    );
  });

  test("reads single items together, and refuses mixed, keyless and RETURNING statements", () => {
    const r = rig();
    r.statement(`INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1, 'n': 1}`);
    assert.deepEqual(
      r.run("ExecuteTransaction", {
        TransactStatements: [
          { Statement: `SELECT n FROM "games" WHERE pk = 'a' AND sk = 1` },
          { Statement: `SELECT * FROM "games" WHERE pk = 'zz' AND sk = 1` },
        ],
      }),
      { Responses: [{ Item: { n: N(1) } }, {}] },
    );
    r.fails(
      "ExecuteTransaction",
      {
        TransactStatements: [
          { Statement: `SELECT * FROM "games" WHERE pk = 'a' AND sk = 1` },
          { Statement: `INSERT INTO "games" VALUE {'pk': 't2', 'sk': 1}` },
        ],
      },
      "ValidationException",
      "ExecuteTransaction API does not support both read and write operations in the same request.",
    );
    r.fails(
      "ExecuteTransaction",
      { TransactStatements: [{ Statement: `SELECT * FROM "games" WHERE pk = 'a'` }] },
      "ValidationException",
      "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.",
    );
    r.fails(
      "ExecuteTransaction",
      {
        TransactStatements: [
          { Statement: `UPDATE "games" SET x = 1 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *` },
        ],
      },
      "ValidationException",
      "Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.",
    );
    r.fails(
      "ExecuteTransaction",
      { TransactStatements: [] },
      "ValidationException",
      "ExecutePartiQLTransaction can not have empty statement.",
    );
  });
});

describe("IAM checks of PartiQL", () => {
  test("each statement needs its PartiQL action on its table, or on the index it reads", () => {
    const r = rig();
    const arn = "arn:aws:dynamodb:us-east-1:123456789012:table/games";
    assert.deepEqual(
      partiqlResourcesOf(r.service, "ExecuteStatement", { Statement: `SELECT * FROM "games"."byX"` }),
      [{ action: "dynamodb:PartiQLSelect", resource: `${arn}/index/byX` }],
    );
    assert.deepEqual(
      partiqlResourcesOf(r.service, "BatchExecuteStatement", {
        Statements: [
          { Statement: `INSERT INTO "games" VALUE {'pk': 'a', 'sk': 1}` },
          { Statement: `UPDATE "games" SET a = 1 WHERE pk = 'a' AND sk = 1` },
          { Statement: `DELETE FROM "games" WHERE pk = 'b' AND sk = 1` },
          { Statement: `DELETE FROM "games" WHERE pk = 'c' AND sk = 1` },
          { Statement: "SELEC" },
        ],
      }),
      [
        { action: "dynamodb:PartiQLInsert", resource: arn },
        { action: "dynamodb:PartiQLUpdate", resource: arn },
        { action: "dynamodb:PartiQLDelete", resource: arn },
      ],
    );
    assert.deepEqual(
      partiqlResourcesOf(r.service, "ExecuteTransaction", {
        TransactStatements: [{ Statement: `SELECT * FROM "games" WHERE pk = 'a' AND sk = 1` }],
      }),
      [{ action: "dynamodb:PartiQLSelect", resource: arn }],
    );
  });
});

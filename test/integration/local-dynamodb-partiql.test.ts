/**
 * PartiQL on the endpoint of a real `sluice dev`, through the unmodified AWS SDK v3:
 * ExecuteStatementCommand, BatchExecuteStatementCommand and ExecuteTransactionCommand of
 * `@aws-sdk/client-dynamodb`, and the DocumentClient's ExecuteStatementCommand
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  BatchExecuteStatementCommand,
  DuplicateItemException,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { ExecuteStatementCommand as DocExecuteStatementCommand } from "@aws-sdk/lib-dynamodb";
import { NOTES, startTablesApp, type TablesApp } from "../support/dynamodb-app.ts";

describe("PartiQL through the AWS SDK v3 in sluice dev", () => {
  let app: TablesApp;
  before(async () => {
    app = await startTablesApp();
  });
  after(() => app?.close());

  test("INSERT then SELECT with parameters; a second INSERT is DuplicateItemException", async () => {
    const insert = `INSERT INTO "${NOTES}" VALUE {'id': ?, 'tags': <<'a', 'b'>>, 'n': 1}`;
    await app.dynamodb.send(new ExecuteStatementCommand({ Statement: insert, Parameters: [{ S: "q1" }] }));
    const got = await app.dynamodb.send(
      new ExecuteStatementCommand({
        Statement: `SELECT tags, n FROM "${NOTES}" WHERE id = ?`,
        Parameters: [{ S: "q1" }],
      }),
    );
    assert.deepEqual(got.Items, [{ tags: { SS: ["a", "b"] }, n: { N: "1" } }]);
    await assert.rejects(
      app.dynamodb.send(new ExecuteStatementCommand({ Statement: insert, Parameters: [{ S: "q1" }] })),
      (error: unknown) =>
        error instanceof DuplicateItemException && error.message === "Duplicate primary key exists in table",
    );
  });

  test("the DocumentClient marshals parameters and answers plain objects", async () => {
    await app.documents.send(
      new DocExecuteStatementCommand({
        Statement: `INSERT INTO "${NOTES}" VALUE {'id': ?, 'n': ?}`,
        Parameters: ["q2", 7],
      }),
    );
    const updated = await app.documents.send(
      new DocExecuteStatementCommand({
        Statement: `UPDATE "${NOTES}" SET n = n + ? WHERE id = ? RETURNING ALL NEW *`,
        Parameters: [3, "q2"],
      }),
    );
    assert.deepEqual(updated.Items, [{ id: "q2", n: 10 }]);
  });

  test("BatchExecuteStatement answers per statement; ExecuteTransaction is all or nothing", async () => {
    const batch = await app.dynamodb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO "${NOTES}" VALUE {'id': 'q3'}` },
          { Statement: `UPDATE "${NOTES}" SET n = 1 WHERE id = 'missing'` },
        ],
      }),
    );
    assert.deepEqual(
      batch.Responses?.map((response) => response.Error?.Code ?? "ok"),
      ["ok", "ConditionalCheckFailed"],
    );
    await assert.rejects(
      app.dynamodb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO "${NOTES}" VALUE {'id': 'q4'}` },
            { Statement: `INSERT INTO "${NOTES}" VALUE {'id': 'q3'}` },
          ],
        }),
      ),
      (error: unknown) =>
        error instanceof TransactionCanceledException &&
        JSON.stringify(error.CancellationReasons) ===
          JSON.stringify([
            { Code: "None" },
            { Code: "ValidationError", Message: "Duplicate primary key exists in table" },
          ]),
    );
    const read = await app.dynamodb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT id FROM "${NOTES}" WHERE id = 'q4'` },
          { Statement: `SELECT id FROM "${NOTES}" WHERE id = 'q3'` },
        ],
      }),
    );
    assert.deepEqual(read.Responses, [{}, { Item: { id: { S: "q3" } } }]);
  });
});

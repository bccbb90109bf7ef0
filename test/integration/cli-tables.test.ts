/**
 * `sluice tables`: each table with its item count, size and stream, from a running `dev` (through
 * its control API) or, without one, from the app's state file.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CreateTableCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { app, run } from "../support/cli-in-process.ts";
import { GAMES, NOTES, startTablesApp } from "../support/dynamodb-app.ts";

interface TableRow {
  tableName: string;
  itemCount: number;
  sizeBytes: number;
  stream?: { viewType: string; streamArn: string };
  ttlAttribute?: string;
  defined: boolean;
}

async function tables(dir: string): Promise<Record<string, TableRow>> {
  const result = await run(["tables", "--json", "--dir", dir]);
  assert.equal(result.code, 0, result.err);
  return Object.fromEntries((JSON.parse(result.out) as TableRow[]).map((t) => [t.tableName, t]));
}

describe("sluice tables", { timeout: 120_000 }, () => {
  test("without a running dev, lists the definition's tables from the app's state", async (t) => {
    const dir = app(t, "tables");
    const rows = await tables(dir);
    assert.deepEqual(Object.keys(rows), [GAMES, NOTES]);
    assert.equal(rows[GAMES]?.itemCount, 0);
    assert.equal(rows[GAMES]?.stream?.viewType, "NEW_AND_OLD_IMAGES");
    assert.equal(rows[GAMES]?.ttlAttribute, "expiresAt");
    assert.equal(rows[GAMES]?.defined, true);
    assert.equal(rows[NOTES]?.stream, undefined);
    const text = await run(["tables", dir]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^TABLE\s+ITEMS\s+SIZE\s+STREAM\s+TTL/m);
    assert.match(text.out, new RegExp(`^${GAMES}\\s+0\\s+0 B\\s+NEW_AND_OLD_IMAGES\\s+expiresAt`, "m"));
    assert.match(text.out, new RegExp(`^${NOTES}\\s+0\\s+0 B\\s+-\\s+-`, "m"));
  });

  test("with a running dev, counts the items its clients wrote, and shows tables made through the API", async () => {
    const tablesApp = await startTablesApp();
    try {
      for (const pk of ["a", "b"]) {
        await tablesApp.dynamodb.send(
          new PutItemCommand({
            TableName: GAMES,
            Item: { pk: { S: pk }, sk: { N: "1" }, note: { S: "x".repeat(100) } },
          }),
        );
      }
      await tablesApp.dynamodb.send(
        new CreateTableCommand({
          TableName: "adhoc",
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        }),
      );
      const rows = await tables(tablesApp.dir);
      assert.equal(rows[GAMES]?.itemCount, 2);
      assert.equal(rows.adhoc?.defined, false);
      assert.ok((rows[GAMES]?.sizeBytes ?? 0) > 200, JSON.stringify(rows[GAMES]));
      const text = await run(["tables", tablesApp.dir]);
      assert.match(text.out, new RegExp(`^${GAMES}\\s+2\\s+\\d+ B\\s+NEW_AND_OLD_IMAGES`, "m"));
      assert.match(text.out, /^adhoc \(api\)\s+0\s+0 B\s+-\s+-/m);
    } finally {
      await tablesApp.close();
    }
  });
});

/**
 * Debian's awscli (2.9) speaks DynamoDB's JSON protocol to the local endpoint, unmodified: create a
 * table, write, query, scan, and a transaction. It is called by its full path: another `aws` may
 * come first on PATH. `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startTablesApp, type TablesApp } from "../support/dynamodb-app.ts";

const AWS = "/usr/bin/aws";

interface CliResult {
  code: number;
  json: Record<string, unknown>;
  stderr: string;
}

// Each CLI call costs a Python start (seconds on a loaded machine): few calls, independent tests at once.
describe("DynamoDB through Debian's awscli", { concurrency: true }, () => {
  let app: TablesApp;
  let home: string;

  const aws = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "not-checked",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
        AWS_PAGER: "",
      };
      execFile(
        AWS,
        ["--endpoint-url", app.url, "--output", "json", "dynamodb", ...args],
        { env },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({
            code,
            json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {},
            stderr,
          });
        },
      );
    });
  const ok = async (...args: string[]): Promise<Record<string, unknown>> => {
    const result = await aws(...args);
    assert.equal(result.code, 0, `aws dynamodb ${args.join(" ")}: ${result.stderr}`);
    return result.json;
  };

  before(async () => {
    assert.ok(
      existsSync(AWS),
      `${AWS} is missing: install Debian's awscli (apt-get install -y awscli), as .ci/run does, to run these tests`,
    );
    home = mkdtempSync(join(tmpdir(), "sluice-awscli-"));
    app = await startTablesApp();
  });
  after(async () => {
    await app?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("create-table, put-item, query, scan and transact-write-items", async () => {
    const created = await ok(
      "create-table",
      "--table-name",
      "cli-orders",
      "--attribute-definitions",
      "AttributeName=customer,AttributeType=S",
      "AttributeName=order,AttributeType=N",
      "--key-schema",
      "AttributeName=customer,KeyType=HASH",
      "AttributeName=order,KeyType=RANGE",
      "--billing-mode",
      "PAY_PER_REQUEST",
    );
    // CreateTable answers CREATING, as AWS does; the table is ACTIVE when described.
    assert.equal((created.TableDescription as { TableStatus: string }).TableStatus, "CREATING");
    const described = await ok("describe-table", "--table-name", "cli-orders");
    assert.equal((described.Table as { TableStatus: string }).TableStatus, "ACTIVE");
    const order = (n: string) => ({ customer: { S: "ada" }, order: { N: n }, total: { N: `${n}0` } });
    await ok("put-item", "--table-name", "cli-orders", "--item", JSON.stringify(order("1")));
    const batch = await ok(
      "batch-write-item",
      "--request-items",
      JSON.stringify({ "cli-orders": ["2", "3"].map((n) => ({ PutRequest: { Item: order(n) } })) }),
    );
    assert.deepEqual(batch.UnprocessedItems, {});
    const queried = await ok(
      "query",
      "--table-name",
      "cli-orders",
      "--key-condition-expression",
      "customer = :c AND #o > :one",
      "--expression-attribute-names",
      JSON.stringify({ "#o": "order" }),
      "--expression-attribute-values",
      JSON.stringify({ ":c": { S: "ada" }, ":one": { N: "1" } }),
    );
    assert.deepEqual(
      (queried.Items as { order: { N: string } }[]).map((i) => i.order.N),
      ["2", "3"],
    );
    await ok(
      "transact-write-items",
      "--transact-items",
      JSON.stringify([
        { Put: { TableName: "cli-orders", Item: { customer: { S: "bob" }, order: { N: "1" } } } },
        {
          Update: {
            TableName: "cli-orders",
            Key: { customer: { S: "ada" }, order: { N: "1" } },
            // TOTAL is one of DynamoDB's reserved words: it needs a name placeholder.
            UpdateExpression: "SET #t = #t + :d",
            ExpressionAttributeNames: { "#t": "total" },
            ExpressionAttributeValues: { ":d": { N: "5" } },
          },
        },
      ]),
    );
    const failed = await aws(
      "transact-write-items",
      "--transact-items",
      JSON.stringify([
        { Put: { TableName: "cli-orders", Item: { customer: { S: "eve" }, order: { N: "1" } } } },
        {
          ConditionCheck: {
            TableName: "cli-orders",
            Key: { customer: { S: "nobody" }, order: { N: "1" } },
            ConditionExpression: "attribute_exists(customer)",
          },
        },
      ]),
    );
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /TransactionCanceledException/);
    // The cancelled transaction wrote nothing: eve is not among the four items.
    const scanned = await ok("scan", "--table-name", "cli-orders");
    assert.equal(scanned.Count, 4);
    const ada1 = (
      scanned.Items as { customer: { S: string }; order: { N: string }; total?: { N: string } }[]
    ).find((i) => i.customer.S === "ada" && i.order.N === "1");
    assert.equal(ada1?.total?.N, "15");
  });

  test("list-tables shows the definition's tables; describe-table of a missing one is ResourceNotFoundException", async () => {
    const listed = await ok("list-tables");
    assert.ok((listed.TableNames as string[]).includes("tables-games"));
    const missing = await aws("describe-table", "--table-name", "absent");
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException/);
  });
});

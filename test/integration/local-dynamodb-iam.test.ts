/**
 * Functions that call DynamoDB with the unmodified SDK inside `sluice dev --iam enforce`: `writer`
 * has `permissions: table:games`, `stranger` runs the same code with none. A table ARN in another
 * region or account does not exist in the local cloud, whatever IAM says.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GAMES, startTablesApp, type TablesApp } from "../support/dynamodb-app.ts";
import { clientConfig, rejection, statusOf } from "../support/endpoint.ts";

interface Outcome {
  ok?: unknown;
  error?: string;
  message?: string;
  status?: number;
}
interface WriterResult {
  put: Outcome;
  got: Outcome;
  queried: Outcome;
  discoveredName: string | null;
  discoveredArn: string | null;
}

const GAMES_ARN = `arn:aws:dynamodb:us-east-1:000000000000:table/${GAMES}`;

describe("IAM for functions' DynamoDB calls in sluice dev --iam enforce", () => {
  let app: TablesApp;
  before(async () => {
    app = await startTablesApp({ iam: "enforce" });
  });
  after(() => app?.close());

  const run = async (fn: string, pk: string): Promise<WriterResult> => {
    const result = await app.session.localCloud.invoke(fn, JSON.stringify({ pk }));
    assert.equal(result.functionError, undefined, result.payload);
    return JSON.parse(result.payload) as WriterResult;
  };

  test("a function granted table:games writes, reads and queries its index, and discovers the table", async () => {
    const result = await run("writer", "granted");
    assert.deepEqual(result.put, { ok: true });
    assert.deepEqual(result.got, { ok: "42" });
    assert.ok(Number((result.queried as { ok: number }).ok) >= 1, JSON.stringify(result.queried));
    assert.equal(result.discoveredName, GAMES);
    assert.equal(result.discoveredArn, GAMES_ARN);
  });

  test("a function without the grant gets DynamoDB's AccessDeniedException (400) and no discovery", async () => {
    const result = await run("stranger", "refused");
    assert.equal(result.put.error, "AccessDeniedException");
    assert.equal(result.put.status, 400, "DynamoDB answers AccessDeniedException with HTTP 400");
    assert.match(
      result.put.message ?? "",
      new RegExp(
        `^User: arn:aws:sts::000000000000:assumed-role/tables-stranger-role/tables-stranger is not authorized to perform: dynamodb:PutItem on resource: ${GAMES_ARN} because no identity-based policy allows the dynamodb:PutItem action`,
      ),
    );
    assert.match(
      result.put.message ?? "",
      /resources: \["table:games"\] \} to functions\.stranger\.permissions/,
    );
    assert.equal(result.got.error, "AccessDeniedException");
    assert.equal(result.queried.error, "AccessDeniedException");
    assert.match(result.queried.message ?? "", new RegExp(`on resource: ${GAMES_ARN}/index/byPlayer`));
    assert.equal(result.discoveredName, null);
    const denied = app.events.filter((e) => e.type === "iam-denied");
    assert.ok(denied.length >= 3, "each denial is reported to dev's output");
  });

  test("a table ARN of another region or account is ResourceNotFoundException, not someone else's table", async () => {
    for (const other of [
      GAMES_ARN.replace("us-east-1", "eu-west-1"),
      GAMES_ARN.replace("000000000000", "111122223333"),
    ]) {
      const error = await rejection(app.dynamodb.send(new DescribeTableCommand({ TableName: other })));
      assert.equal(error.name, "ResourceNotFoundException", `${other}: ${error.message}`);
      assert.equal(statusOf(error), 400);
    }
  });

  test("a client signed for another region sees no tables there", async () => {
    const elsewhere = new DynamoDBClient({ ...clientConfig(app.url), region: "eu-west-1" });
    try {
      const error = await rejection(elsewhere.send(new DescribeTableCommand({ TableName: GAMES })));
      assert.equal(error.name, "ResourceNotFoundException", error.message);
    } finally {
      elsewhere.destroy();
    }
  });
});

/**
 * What `sluice dev` prints of a stream event source mapping: a failed batch that will be retried,
 * and its iterator age once when the mapping falls behind its table and once when it catches up.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { type DevProcess, startDev } from "../support/cli-process.ts";
import { GAMES, TABLES_APP } from "../support/dynamodb-app.ts";
import { clientConfig, copyAppWithSdk } from "../support/endpoint.ts";

const app = copyAppWithSdk(TABLES_APP);
let dev: DevProcess | undefined;
let client: DynamoDBClient | undefined;
after(async () => {
  client?.destroy();
  await dev?.stop();
  app.cleanup();
});

test("dev reports a failed stream batch, then the mapping's iterator age as it falls behind and catches up", async () => {
  dev = await startDev(app.dir);
  const line = await dev.waitForLine(/AWS endpoint\s+http:\/\//);
  client = new DynamoDBClient(clientConfig(/(http:\/\/\S+)/.exec(line)?.[1] ?? ""));
  await client.send(
    new PutItemCommand({
      TableName: GAMES,
      Item: { pk: { S: "late" }, sk: { N: "1" }, failOnce: { BOOL: true } },
    }),
  );
  assert.match(
    await dev.waitForLine(/\[noter\] stream batch of \d+ records failed/),
    /first attempt at late#1 fails.*\); retrying$/,
  );
  // The retry waits a second on the clock: the record is older than that when it succeeds.
  assert.match(
    await dev.waitForLine(/\[noter\] stream iterator age/),
    /\[noter\] stream iterator age \d+\.\d s: the mapping is behind its table/,
  );
  await client.send(new PutItemCommand({ TableName: GAMES, Item: { pk: { S: "prompt" }, sk: { N: "1" } } }));
  assert.match(await dev.waitForLine(/\[noter\] stream iterator age \d+ ms: caught up/), /caught up/);
  assert.equal(dev.lines.filter((l) => l.includes("stream iterator age")).length, 2, "said once each way");
});

/**
 * Tables and items live in the app's SQLite file: the definition's tables keep their items across
 * a reload that restarts the cloud and across a restart of `dev`, and a `dev` killed with SIGKILL
 * loses no acknowledged write and never leaves a transaction half-applied.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { type DevProcess, startDev } from "../support/cli-process.ts";
import { GAMES, startTablesApp, TABLES_APP } from "../support/dynamodb-app.ts";
import { clientConfig, copyAppWithSdk } from "../support/endpoint.ts";

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const key = (pk: string, sk = 1) => ({ pk: { S: pk }, sk: { N: String(sk) } });

async function exists(client: DynamoDBClient, pk: string, sk = 1): Promise<boolean> {
  const got = await client.send(
    new GetItemCommand({ TableName: GAMES, Key: key(pk, sk), ConsistentRead: true }),
  );
  return got.Item !== undefined;
}

test("the definition's tables keep their items across a reload that restarts the cloud, and a restart", async () => {
  const copy = copyAppWithSdk(TABLES_APP);
  cleanups.push(() => copy.cleanup());
  let app = await startTablesApp({ dir: copy.dir });
  cleanups.push(() => app.close({ keepDir: true }));
  await app.dynamodb.send(
    new PutItemCommand({ TableName: GAMES, Item: { ...key("kept"), score: { N: "1" } } }),
  );

  // A new table in the definition: the cloud restarts over the same file.
  const config = join(copy.dir, "sluice.config.ts");
  writeFileSync(
    config,
    readFileSync(config, "utf8").replace(
      "notes: { partitionKey",
      'extra: { partitionKey: { name: "id", type: "S" } },\n    notes: { partitionKey',
    ),
  );
  await app.session.reload(["sluice.config.ts"]);
  const reloaded = app.events.findLast((e) => e.type === "reloaded" || e.type === "reload-failed");
  assert.equal(reloaded?.type, "reloaded", JSON.stringify(reloaded));
  assert.equal((reloaded as { restarted: boolean }).restarted, true);
  assert.ok(await exists(app.dynamodb, "kept"), "the item survived the reload");
  const extra = await app.dynamodb.send(new DescribeTableCommand({ TableName: "tables-extra" }));
  assert.equal(extra.Table?.TableStatus, "ACTIVE");

  await app.close({ keepDir: true });
  app = await startTablesApp({ dir: copy.dir });
  assert.ok(await exists(app.dynamodb, "kept"), "the item survived a restart of dev");
});

test("SIGKILL loses no acknowledged PutItem or TransactWriteItems and half-applies no transaction", async () => {
  const copy = copyAppWithSdk(TABLES_APP);
  cleanups.push(() => copy.cleanup());
  let dev: DevProcess = await startDev(copy.dir);
  cleanups.push(() => dev.stop("SIGKILL"));
  let client = new DynamoDBClient(clientConfig(await endpointOf(dev)));
  const banner = dev.lines.join("\n");
  assert.match(banner, /table\s+games\s+tables-games \(stream NEW_AND_OLD_IMAGES, TTL expiresAt\)/);
  assert.match(banner, /function noter\s+consumes table games's stream/);

  const acknowledged: string[] = [];
  const transactions = new Set<number>();
  const acknowledgedTransactions: number[] = [];
  const PARTS = 4;
  let stop = false;
  let cutOff = 0;
  const writer = async (lane: number) => {
    for (let i = 0; !stop; i++) {
      const id = `${lane}-${i}`;
      try {
        if (i % 2 === 0) {
          await client.send(new PutItemCommand({ TableName: GAMES, Item: key(`put-${id}`) }));
          acknowledged.push(`put-${id}`);
        } else {
          const n = lane * 1_000_000 + i;
          transactions.add(n);
          await client.send(
            new TransactWriteItemsCommand({
              TransactItems: Array.from({ length: PARTS }, (_, part) => ({
                Put: { TableName: GAMES, Item: key(`tx-${n}`, part) },
              })),
            }),
          );
          acknowledgedTransactions.push(n);
        }
      } catch {
        cutOff++; // the kill: calls in flight fail
        return;
      }
    }
  };
  const lanes = Array.from({ length: 6 }, (_, lane) => writer(lane));
  while (acknowledged.length + acknowledgedTransactions.length < 150)
    await new Promise((r) => setTimeout(r, 5));
  await dev.stop("SIGKILL");
  stop = true;
  await Promise.all(lanes);
  client.destroy();
  assert.ok(cutOff > 0, "the kill came while calls were in flight");

  dev = await startDev(copy.dir);
  client = new DynamoDBClient(clientConfig(await endpointOf(dev)));
  cleanups.push(() => client.destroy());
  const present = new Set<string>();
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: GAMES,
        ConsistentRead: true,
        ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) present.add(`${item.pk?.S}#${item.sk?.N}`);
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);

  for (const pk of acknowledged) assert.ok(present.has(`${pk}#1`), `acknowledged ${pk} survived the kill`);
  for (const n of acknowledgedTransactions)
    assert.ok(present.has(`tx-${n}#0`), `acknowledged transaction ${n} survived the kill`);
  for (const n of transactions) {
    const parts = Array.from({ length: PARTS }, (_, part) => present.has(`tx-${n}#${part}`));
    assert.ok(parts.every(Boolean) || !parts.some(Boolean), `transaction ${n} is all or nothing: ${parts}`);
  }
});

async function endpointOf(dev: DevProcess): Promise<string> {
  const line = await dev.waitForLine(/AWS endpoint\s+http:\/\//);
  const url = /(http:\/\/\S+)/.exec(line)?.[1];
  assert.ok(url, line);
  return url;
}

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import {
  CloudWatchLogsClient,
  type CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { lambdaLogSink } from "../../src/local/logs/lambda-log-sink.ts";
import { LogStore } from "../../src/local/logs/log-store.ts";
import { handleLogsJson } from "../../src/local/logs/wire/logs-json.ts";
import { openStore } from "../../src/local/store/store.ts";

const REGION = "eu-west-1";
const T0 = Date.UTC(2026, 5, 1, 23, 59, 0);

async function start(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), "sluice-logs-"));
  const db = openStore(join(dir, "state.db"));
  const clock = new ManualClock(T0);
  const store = new LogStore(db, clock, { accountId: "123456789012" });
  let n = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    await handleLogsJson(store, target, Buffer.concat(chunks), { region: REGION, requestId: `r${++n}` }, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const logs = new CloudWatchLogsClient({
    region: REGION,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  t.after(async () => {
    logs.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, logs, clock };
}

async function rejects(promise: Promise<unknown>, name: string, message?: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const e = error as CloudWatchLogsServiceException;
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, 400);
    if (message !== undefined) assert.equal(e.message, message);
    return;
  }
  assert.fail(`expected ${name}`);
}

describe("CloudWatch Logs through @aws-sdk/client-cloudwatch-logs", () => {
  test("filters a group's events by time window, across streams, in time order", async (t) => {
    const { store, logs } = await start(t);
    store.append(REGION, "/aws/lambda/app-a", "s1", [
      { timestamp: 1000, message: "one" },
      { timestamp: 3000, message: "three" },
    ]);
    store.append(REGION, "/aws/lambda/app-a", "s2", [
      { timestamp: 2000, message: "two" },
      { timestamp: 4000, message: "four" },
    ]);
    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: "/aws/lambda/app-a", startTime: 2000, endTime: 3000 }),
    );
    assert.deepEqual(
      out.events?.map((e) => [e.message, e.logStreamName]),
      [
        ["two", "s2"],
        ["three", "s1"],
      ],
    );
    assert.equal(out.nextToken, undefined);
    const streams = await logs.send(
      new FilterLogEventsCommand({ logGroupName: "/aws/lambda/app-a", logStreamNames: ["s2"] }),
    );
    assert.deepEqual(
      streams.events?.map((e) => e.message),
      ["two", "four"],
    );
  });

  test("pages FilterLogEvents with nextToken without losing or repeating events", async (t) => {
    const { store, logs } = await start(t);
    const events = Array.from({ length: 25 }, (_, i) => ({
      timestamp: 1000 + Math.floor(i / 3),
      message: `m${i}`,
    }));
    store.append(REGION, "/g", "s", events);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: "/g", limit: 4, nextToken }));
      assert.ok((page.events?.length ?? 0) <= 4);
      seen.push(...(page.events ?? []).map((e) => e.message as string));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(
      seen,
      events.map((e) => e.message),
    );
    assert.equal(pages, 7);
  });

  test("matches terms, quoted phrases, ?any and -excluded terms", async (t) => {
    const { store, logs } = await start(t);
    store.append(REGION, "/g", "s", [
      { timestamp: 1, message: "ERROR Internal Server Error" },
      { timestamp: 2, message: "WARN retrying" },
      { timestamp: 3, message: "ERROR retrying" },
      { timestamp: 4, message: "INFO fine" },
    ]);
    const match = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: "/g", filterPattern }))).events?.map(
        (e) => e.timestamp,
      );
    assert.deepEqual(await match("ERROR"), [1, 3]);
    assert.deepEqual(await match('"Internal Server"'), [1]);
    assert.deepEqual(await match("?WARN ?INFO"), [2, 4]);
    assert.deepEqual(await match("ERROR -retrying"), [1]);
    assert.deepEqual(await match("error"), []);
    await rejects(match("{ $.level = 1 }"), "InvalidParameterException");
  });

  test("answers an unknown log group or stream with ResourceNotFoundException", async (t) => {
    const { logs } = await start(t);
    await rejects(
      logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/missing" })),
      "ResourceNotFoundException",
      "The specified log group does not exist.",
    );
    await rejects(
      logs.send(new DeleteLogGroupCommand({ logGroupName: "/nope" })),
      "ResourceNotFoundException",
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/g" }));
    await rejects(
      logs.send(new GetLogEventsCommand({ logGroupName: "/g", logStreamName: "absent" })),
      "ResourceNotFoundException",
      "The specified log stream does not exist.",
    );
    await rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: "/g" })),
      "ResourceAlreadyExistsException",
    );
    await rejects(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: "/g", retentionInDays: 2 })),
      "InvalidParameterException",
    );
  });

  test("describes log groups by name prefix, page by page, with retention and ARNs", async (t) => {
    const { logs } = await start(t);
    for (const name of ["/aws/lambda/app-a", "/aws/lambda/app-b", "/aws/lambda/app-c", "/other"]) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    }
    await logs.send(
      new PutRetentionPolicyCommand({ logGroupName: "/aws/lambda/app-b", retentionInDays: 14 }),
    );
    const first = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/", limit: 2 }),
    );
    assert.deepEqual(
      first.logGroups?.map((g) => g.logGroupName),
      ["/aws/lambda/app-a", "/aws/lambda/app-b"],
    );
    assert.equal(first.logGroups?.[1]?.retentionInDays, 14);
    assert.equal(
      first.logGroups?.[0]?.arn,
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/app-a:*",
    );
    const second = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupNamePrefix: "/aws/lambda/",
        limit: 2,
        nextToken: first.nextToken,
      }),
    );
    assert.deepEqual(
      second.logGroups?.map((g) => g.logGroupName),
      ["/aws/lambda/app-c"],
    );
    assert.equal(second.nextToken, undefined);
  });

  test("reads a stream with GetLogEvents: latest page first, forward token repeats once caught up", async (t) => {
    const { logs } = await start(t);
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/g" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/g", logStreamName: "s" }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: "/g",
        logStreamName: "s",
        logEvents: [1, 2, 3, 4, 5].map((i) => ({ timestamp: i, message: `e${i}` })),
      }),
    );
    const latest = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/g", logStreamName: "s", limit: 2 }),
    );
    assert.deepEqual(
      latest.events?.map((e) => e.message),
      ["e4", "e5"],
    );
    const older = await logs.send(
      new GetLogEventsCommand({
        logGroupName: "/g",
        logStreamName: "s",
        limit: 2,
        nextToken: latest.nextBackwardToken,
      }),
    );
    assert.deepEqual(
      older.events?.map((e) => e.message),
      ["e2", "e3"],
    );
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/g", logStreamName: "s", limit: 3, startFromHead: true }),
    );
    assert.deepEqual(
      head.events?.map((e) => e.message),
      ["e1", "e2", "e3"],
    );
    const rest = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/g", logStreamName: "s", nextToken: head.nextForwardToken }),
    );
    assert.deepEqual(
      rest.events?.map((e) => e.message),
      ["e4", "e5"],
    );
    const caughtUp = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/g", logStreamName: "s", nextToken: rest.nextForwardToken }),
    );
    assert.deepEqual(caughtUp.events, []);
    assert.equal(caughtUp.nextForwardToken, rest.nextForwardToken);
  });

  test("writes Lambda log lines to /aws/lambda/<function> in one stream per environment", async (t) => {
    const { store, logs } = await start(t);
    const sink = lambdaLogSink(store, REGION, (name) => `app-${name}`);
    const env = "0123456789abcdef0123456789abcdef";
    sink({ functionName: "worker", requestId: "r1", text: "before midnight", timestamp: T0 });
    sink({ functionName: "worker", requestId: "r1", text: "env line", timestamp: T0 }, env);
    // The same environment keeps its stream after midnight UTC.
    sink({ functionName: "worker", requestId: "r2", text: "after midnight", timestamp: T0 + 120_000 }, env);
    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/app-worker" }),
    );
    const names = logStreams?.map((s) => s.logStreamName) ?? [];
    assert.equal(names.length, 2);
    assert.ok(names.includes(`2026/06/01/[$LATEST]${env}`));
    for (const name of names) assert.match(name ?? "", /^2026\/06\/01\/\[\$LATEST\][0-9a-f]{32}$/);
    const envEvents = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: "/aws/lambda/app-worker",
        logStreamNames: [`2026/06/01/[$LATEST]${env}`],
      }),
    );
    assert.deepEqual(
      envEvents.events?.map((e) => e.message),
      ["env line", "after midnight"],
    );
  });

  test("drops events older than the group's retention when expired", async (t) => {
    const { store, clock } = await start(t);
    store.createLogGroup(REGION, "/g", 1);
    store.append(REGION, "/g", "s", [
      { timestamp: T0 - 2 * 86_400_000, message: "old" },
      { timestamp: T0, message: "new" },
    ]);
    assert.equal(store.expire(), 1);
    await clock.advance(86_400_000 + 1);
    assert.equal(store.expire(), 1);
    assert.deepEqual(store.filterLogEvents(REGION, { logGroupName: "/g" }).events, []);
  });
});

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadApp } from "../../src/bundle/load-app.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud, STATE_FILE } from "../../src/local/local-cloud.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { app, run } from "../support/cli-in-process.ts";
import { tempDir } from "../support/temp.ts";

type QueueRow = { name: string; visible: number; inFlight: number; deadLetterDepth?: number };

async function queues(dir: string): Promise<Record<string, QueueRow>> {
  const result = await run(["queues", "--json", "--dir", dir]);
  assert.equal(result.code, 0, result.err);
  return Object.fromEntries((JSON.parse(result.out) as QueueRow[]).map((q) => [q.name, q]));
}

describe("sluice commands without a running dev (one-shot)", { timeout: 60_000 }, () => {
  test("init scaffolds an app that invoke runs at once, printing the result", async (t) => {
    const temp = tempDir("sluice-cli-init-");
    t.after(() => temp.cleanup());
    const dir = join(temp.dir, "my app");
    const init = await run(["init", dir]);
    assert.equal(init.code, 0, init.err);
    assert.match(init.out, /created my-app in /);
    for (const file of ["sluice.config.ts", "src/hello.ts", "src/log.ts", "tsconfig.json"]) {
      assert.ok(existsSync(join(dir, file)), file);
    }
    const hello = await run(["invoke", "hello", "--dir", dir]);
    assert.equal(hello.code, 0, hello.err);
    assert.deepEqual(JSON.parse(hello.out), { greeting: "Hello, world!" });
    const named = await run(["invoke", "hello", "--event", '{"name":"Ada"}', "--dir", dir]);
    assert.deepEqual(JSON.parse(named.out), { greeting: "Hello, Ada!" });
    // hello routes to the greetings queue: one-shot invokes deliver their routing too.
    assert.equal((await queues(dir)).greetings?.visible, 2);
    const again = await run(["init", dir]);
    assert.equal(again.code, 1);
    assert.match(again.err, /already holds a Sluice app/);
  });

  test("invoke --json prints the whole response", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["invoke", "greet", "--event", '{"name":"Bo"}', "--json", "--dir", dir]);
    assert.equal(result.code, 0, result.err);
    const response = JSON.parse(result.out) as Record<string, unknown>;
    assert.equal(response.async, false);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.requestId), /^[0-9a-f-]{36}$/);
    assert.deepEqual(JSON.parse(String(response.payload)), { greeting: "hi Bo" });
  });

  test("invoking a failing function exits 1 and prints Lambda's error payload", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["invoke", "broken", "--dir", dir]);
    assert.equal(result.code, 1);
    const payload = JSON.parse(result.out) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(payload.errorType, "TypeError");
    assert.equal(payload.errorMessage, "broken on purpose");
    assert.ok(Array.isArray(payload.trace) && payload.trace[0]?.startsWith("TypeError: broken on purpose"));
  });

  test("invoke --async stores the event for the next dev and prints its request id", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["invoke", "greet", "--async", "--dir", dir]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^accepted: request [0-9a-f-]{36}$/);
    const { spec, stateDir } = await loadApp(dir);
    const cloud = new LocalCloud({
      spec,
      stateDir,
      clock: new ManualClock(),
      background: false,
      code: () => {
        throw new Error("nothing runs here");
      },
    });
    try {
      assert.deepEqual(cloud.asyncInvoke.depths(), { greet: 1 });
    } finally {
      await cloud.close();
    }
  });

  test("invoke reads the event from a file, and an unknown function exits 1 with Lambda's code and the known names", async (t) => {
    const dir = app(t, "cli");
    writeFileSync(join(dir, "event.json"), '{"name":"Cy"}');
    const fromFile = await run(["invoke", "greet", "--event", `@${join(dir, "event.json")}`, "--dir", dir]);
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.deepEqual(JSON.parse(fromFile.out), { greeting: "hi Cy" });
    const unknown = await run(["invoke", "nope", "--dir", dir]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.err,
      /^error: no function "nope" in this app\. Its functions: .*greet.* \(ResourceNotFoundException\)$/m,
    );
  });

  test("send writes to the state file, with attributes, groups and deduplication ids", async (t) => {
    const dir = app(t, "cli");
    const sent = await run([
      "send",
      "work",
      "hello",
      "--attr",
      "source=cli",
      "--attr",
      "n=1",
      "--json",
      "--dir",
      dir,
    ]);
    assert.equal(sent.code, 0, sent.err);
    const result = JSON.parse(sent.out) as {
      messageId: string;
      md5OfMessageBody: string;
      md5OfMessageAttributes: string;
    };
    assert.equal(result.md5OfMessageBody, createHash("md5").update("hello").digest("hex"));
    assert.match(result.md5OfMessageAttributes, /^[0-9a-f]{32}$/);
    const fifo = await run(["send", "ordered", "first", "--group", "g1", "--dedup", "d1", "--dir", dir]);
    assert.equal(fifo.code, 0, fifo.err);
    assert.match(fifo.out, /^sent [0-9a-f-]{36}$/);
    const duplicate = await run(["send", "ordered", "again", "--group", "g1", "--dedup", "d1", "--dir", dir]);
    assert.equal(duplicate.code, 0, duplicate.err);
    const delayed = await run(["send", "work", "later", "--delay", "60", "--dir", dir]);
    assert.equal(delayed.code, 0, delayed.err);
    const stats = await queues(dir);
    assert.equal(stats.work?.visible, 1);
    assert.equal(stats.ordered?.visible, 1, "deduplicated within 5 minutes");
    const table = await run(["queues", "--dir", dir]);
    assert.match(table.out, /^QUEUE\s+VISIBLE\s+IN FLIGHT\s+DELAYED\s+DLQ\s+OLDEST$/m);
    assert.match(table.out, /^work\s+1\s+0\s+1\s+0\s/m);
    const fifoWithoutGroup = await run(["send", "ordered", "x", "--dir", dir]);
    assert.equal(fifoWithoutGroup.code, 1);
    assert.match(fifoWithoutGroup.err, /MessageGroupId/);
  });

  test("redrive moves a dead-letter queue's messages back to their source", async (t) => {
    const dir = app(t, "cli");
    // Dead-letter a message in the app's state file, as a consumer failing it would.
    const { spec, stateDir } = await loadApp(dir);
    const db = openStore(join(stateDir, STATE_FILE));
    const sqs = createQueueService({
      db,
      clock: new ManualClock(Date.now()),
      region: spec.region,
      accountId: spec.accountId,
    });
    sqs.ensureQueues(Object.values(spec.queues));
    sqs.sendMessage("work", { body: "poison" });
    await sqs.receiveMessages("work", { visibilityTimeoutSeconds: 0 });
    await sqs.receiveMessages("work");
    sqs.close();
    db.close();
    assert.equal((await queues(dir)).work?.deadLetterDepth, 1);

    const moved = await run(["redrive", "work-dlq", "--json", "--dir", dir]);
    assert.equal(moved.code, 0, moved.err);
    assert.deepEqual(JSON.parse(moved.out), { moved: 1 });
    const stats = await queues(dir);
    assert.equal(stats.work?.visible, 1);
    assert.equal(stats.work?.deadLetterDepth, 0);
    const none = await run(["redrive", "work-dlq", "--dir", dir]);
    assert.equal(none.out, "moved 0 messages");
    const unknown = await run(["redrive", "nope", "--dir", dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /error: .*"nope".*\(QueueDoesNotExist\)/);
  });
});

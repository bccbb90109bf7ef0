import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type AsyncInvoker, Router } from "../../src/local/routing/router.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import { openStore } from "../../src/local/store/store.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

const spec = normaliseApp({
  name: "routes",
  queues: {
    jobs: {},
    ordered: { fifo: true },
    hashed: { fifo: true, contentBasedDeduplication: true },
    audit: {},
  },
  functions: {
    source: { handler: "src/source.handler" },
    worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
    sequencer: { handler: "src/sequencer.handler", consumes: { queue: "ordered" } },
    hasher: { handler: "src/hasher.handler", consumes: { queue: "hashed" } },
    notify: { handler: "src/notify.handler" },
  },
});

/** Records what the router hands to Lambda's async queue. */
class RecordingInvoker implements AsyncInvoker {
  readonly calls: { functionName: string; payload: string }[] = [];
  enqueue(functionName: string, payload: string): { requestId: string } {
    this.calls.push({ functionName, payload });
    return { requestId: `async-${this.calls.length}` };
  }
}

function setup(t: TestContext): {
  router: Router;
  sqs: QueueService;
  invoker: RecordingInvoker;
  clock: ManualClock;
} {
  const temp = tempDir("sluice-router-");
  const clock = new ManualClock();
  const db = openStore(join(temp.dir, "state.sqlite"));
  const sqs = createQueueService({ db, clock, region: spec.region, accountId: spec.accountId });
  sqs.ensureQueues(Object.values(spec.queues));
  const invoker = new RecordingInvoker();
  t.after(() => {
    sqs.close();
    db.close();
    temp.cleanup();
  });
  return { router: new Router(spec, sqs, invoker), sqs, invoker, clock };
}

const from = (requestId: string) => ({ from: "source", requestId });

async function drain(sqs: QueueService, queue: string) {
  return sqs.receiveMessages(queue, { maxNumberOfMessages: 10 });
}

describe("Router", () => {
  test("a route to a function that consumes a queue goes through that queue", async (t) => {
    const { router, sqs, invoker } = setup(t);
    router.deliver([{ to: "worker", data: { page: 1 } }], from("r1"));
    const [message] = await drain(sqs, "jobs");
    assert.equal(message?.body, '{"page":1}');
    assert.deepEqual(invoker.calls, []);
  });

  test("a list route delivers the result to each target", async (t) => {
    const { router, sqs, invoker } = setup(t);
    router.deliver(
      [
        { to: "worker", data: 7 },
        { to: "notify", data: 7 },
        { to: "audit", data: 7 },
      ],
      from("r1"),
    );
    assert.deepEqual(
      (await drain(sqs, "jobs")).map((m) => m.body),
      ["7"],
    );
    assert.deepEqual(
      (await drain(sqs, "audit")).map((m) => m.body),
      ["7"],
    );
    assert.deepEqual(invoker.calls, [{ functionName: "notify", payload: "7" }]);
  });

  test("into a FIFO queue: the route's groupId is the group and <requestId>-<index> the deduplication id", async (t) => {
    const { router, sqs } = setup(t);
    const deliveries = [
      { to: "sequencer", data: "first", groupId: "site-a" },
      { to: "sequencer", data: "second", groupId: "site-a" },
    ];
    router.deliver(deliveries, from("req-1"));
    // The same invocation delivering again (a retried attempt) is deduplicated by SQS.
    router.deliver(deliveries, from("req-1"));
    const messages = await drain(sqs, "ordered");
    assert.deepEqual(
      messages.map((m) => [m.body, m.attributes.MessageGroupId, m.attributes.MessageDeduplicationId]),
      [
        ['"first"', "site-a", "req-1-0"],
        ['"second"', "site-a", "req-1-1"],
      ],
    );
  });

  test("into a FIFO queue with content-based deduplication, the body decides the deduplication id", async (t) => {
    const { router, sqs } = setup(t);
    router.deliver([{ to: "hasher", data: { same: true }, groupId: "g" }], from("req-1"));
    router.deliver([{ to: "hasher", data: { same: true }, groupId: "g" }], from("req-2"));
    const messages = await drain(sqs, "hashed");
    assert.equal(messages.length, 1, "the same content from another invocation is a duplicate");
    const sha256 = createHash("sha256").update('{"same":true}').digest("hex");
    assert.equal(messages[0]?.attributes.MessageDeduplicationId, sha256);
    assert.equal(messages[0]?.attributes.MessageGroupId, "g");
  });

  test("honours a routing function's groupId, deduplicationId and delay", async (t) => {
    const { router, sqs, clock } = setup(t);
    router.deliver(
      [
        { to: "sequencer", data: 1, groupId: "site-a", deduplicationId: "page-1" },
        { to: "hasher", data: 2, groupId: "site-b", deduplicationId: "explicit" },
        { to: "worker", data: 3, delay: 30 },
      ],
      from("req-9"),
    );
    const [ordered] = await drain(sqs, "ordered");
    assert.equal(ordered?.attributes.MessageGroupId, "site-a");
    assert.equal(ordered?.attributes.MessageDeduplicationId, "page-1");
    const [hashed] = await drain(sqs, "hashed");
    assert.equal(hashed?.attributes.MessageDeduplicationId, "explicit");
    assert.equal(sqs.stats("jobs").delayed, 1);
    assert.deepEqual(await drain(sqs, "jobs"), []);
    await clock.advance(30_000);
    assert.deepEqual(
      (await drain(sqs, "jobs")).map((m) => m.body),
      ["3"],
    );
  });

  test("a delay into a FIFO queue fails the delivery with SQS's InvalidParameterValue, as on AWS", (t) => {
    const { router, sqs } = setup(t);
    assert.throws(
      () => router.deliver([{ to: "sequencer", data: 1, groupId: "g", delay: 5 }], from("req-3")),
      (error: unknown) => (error as { code?: string }).code === "InvalidParameterValue",
    );
    assert.equal(sqs.stats("ordered").visible + sqs.stats("ordered").delayed, 0);
  });

  test("a route to a function without a queue is an asynchronous invocation with the data as its event", async (t) => {
    const { router, sqs, invoker } = setup(t);
    router.deliver([{ to: "notify", data: { to: "ops" } }], from("r1"));
    router.deliver([{ to: "notify", data: undefined }], from("r2"));
    assert.deepEqual(invoker.calls, [
      { functionName: "notify", payload: '{"to":"ops"}' },
      { functionName: "notify", payload: "null" },
    ]);
    for (const q of sqs.listQueues()) assert.equal(sqs.stats(q.name).visible, 0);
  });

  test("a route to a queue name sends to that queue", async (t) => {
    const { router, sqs } = setup(t);
    router.deliver([{ to: "audit", data: "entry" }], from("r1"));
    assert.deepEqual(
      (await drain(sqs, "audit")).map((m) => m.body),
      ['"entry"'],
    );
  });

  test("a target that is neither a function nor a queue fails with SLUICE_UNKNOWN_ROUTE_TARGET", (t) => {
    const { router } = setup(t);
    assert.throws(() => router.deliver([{ to: "nowhere", data: 1 }], from("r1")), {
      code: "SLUICE_UNKNOWN_ROUTE_TARGET",
      message:
        /source routed to "nowhere", which is neither a function nor a queue of routes \(it has: source, worker, .*\); route to one of those names/,
    });
  });
});

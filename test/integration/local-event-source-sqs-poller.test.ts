import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ConsumesSpec } from "../../src/model/app-spec.ts";
import {
  body,
  bundleHandlers,
  type HandlerBundle,
  idsOf,
  Rig,
  recordsOf,
} from "../support/event-source-rig.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { handlerSpec, queueSpec } from "../support/specs.ts";

let bundle: HandlerBundle;
before(async () => {
  bundle = await bundleHandlers();
});
after(() => bundle.cleanup());

const consumes = (queue: string, overrides: Partial<ConsumesSpec> = {}): ConsumesSpec => ({
  queue,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  reportBatchItemFailures: false,
  ...overrides,
});

const receiveCount = (record: Record<string, unknown> | undefined) =>
  (record?.attributes as Record<string, string> | undefined)?.ApproximateReceiveCount;

function busy(rig: Rig, fn: string): number {
  return rig.lambda.stats().find((s) => s.functionName === fn)?.busy ?? -1;
}

describe("SQS event source mapping: delete, redeliver, partial batches", { timeout: 60_000 }, () => {
  test("deletes a batch once the function succeeds", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [handlerSpec("worker", "consume", { consumes: consumes("jobs") })],
    });
    try {
      for (const id of ["a", "b", "c"]) rig.sqs.sendMessage("jobs", { body: body(id) });
      rig.poll("worker");
      const [first] = await rig.invocations("worker", 1);
      assert.ok(first);
      assert.deepEqual(idsOf(first), ["a", "b", "c"]);
      await rig.clock.advance(31_000); // past the visibility timeout: nothing comes back
      assert.equal(rig.results.items.length, 1);
      assert.deepEqual(
        { visible: rig.sqs.stats("jobs").visible, inFlight: rig.sqs.stats("jobs").inFlight },
        { visible: 0, inFlight: 0 },
      );
    } finally {
      await rig.close();
    }
  });

  test("leaves a failed batch in flight and redelivers it when the visibility timeout expires", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs", { visibilityTimeoutSeconds: 30 })],
      functions: [handlerSpec("worker", "consume", { consumes: consumes("jobs") })],
    });
    try {
      const start = rig.clock.now();
      const sent = rig.sqs.sendMessage("jobs", { body: body("bad", { failBelow: 2 }) });
      rig.poll("worker");
      const [first] = await rig.invocations("worker", 1);
      assert.equal(first?.result.functionError, "Unhandled");
      await rig.events.until(
        (events) => events.some((e) => e.type === "batch-failed" && e.messageIds.includes(sent.messageId)),
        "the batch-failed event",
      );
      assert.equal(rig.sqs.stats("jobs").inFlight, 1);
      await rig.clock.advance(29_999);
      assert.equal(rig.results.items.length, 1, "not redelivered before the visibility timeout");
      assert.equal(rig.sqs.stats("jobs").inFlight, 1);
      await rig.clock.advance(1);
      const [, second] = await rig.invocations("worker", 2);
      assert.ok(second);
      assert.equal(second.at, start + 30_000);
      assert.equal(receiveCount(recordsOf(second)[0]), "2");
    } finally {
      await rig.close();
    }
  });

  test("with reportBatchItemFailures, deletes the rest and redelivers only the failed records", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [
        handlerSpec("picker", "partial", { consumes: consumes("jobs", { reportBatchItemFailures: true }) }),
      ],
    });
    try {
      rig.sqs.sendMessage("jobs", { body: body("a") });
      const failing = rig.sqs.sendMessage("jobs", { body: body("b", { fail: true }) });
      rig.sqs.sendMessage("jobs", { body: body("c") });
      rig.poll("picker");
      const [first] = await rig.invocations("picker", 1);
      assert.ok(first);
      assert.deepEqual(idsOf(first), ["a", "b", "c"]);
      await rig.events.until(
        (events) => events.some((e) => e.type === "batch-failed" && e.messageIds.includes(failing.messageId)),
        "the failed record reported",
      );
      assert.equal(rig.sqs.stats("jobs").inFlight, 1, "only the failed record is left");
      await rig.clock.advance(30_000);
      const [, second] = await rig.invocations("picker", 2);
      assert.ok(second);
      assert.deepEqual(idsOf(second), ["b"]);
      assert.equal(receiveCount(recordsOf(second)[0]), "2");
    } finally {
      await rig.close();
    }
  });

  test("fails the whole batch when batchItemFailures names a message that is not in the batch", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [
        handlerSpec("picker", "partial", { consumes: consumes("jobs", { reportBatchItemFailures: true }) }),
      ],
    });
    try {
      rig.sqs.sendMessage("jobs", { body: body("a") });
      rig.sqs.sendMessage("jobs", { body: body("b", { bogus: true }) });
      rig.poll("picker");
      await rig.invocations("picker", 1);
      await rig.events.until(
        (events) => events.some((e) => e.type === "batch-failed" && e.messageIds.length === 2),
        "the whole batch failed",
      );
      const failed = rig.events.items.find((e) => e.type === "batch-failed");
      assert.match(failed?.type === "batch-failed" ? failed.reason : "", /not a message of this batch/);
      assert.equal(rig.sqs.stats("jobs").inFlight, 2);
      await rig.clock.advance(30_000);
      const [, second] = await rig.invocations("picker", 2);
      assert.ok(second);
      assert.deepEqual(idsOf(second).sort(), ["a", "b"]);
    } finally {
      await rig.close();
    }
  });

  test("ignores a batchItemFailures response unless reportBatchItemFailures is on", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [handlerSpec("picker", "partial", { consumes: consumes("jobs") })],
    });
    try {
      rig.sqs.sendMessage("jobs", { body: body("a", { fail: true }) });
      rig.poll("picker");
      await rig.invocations("picker", 1);
      await rig.settle();
      assert.equal(rig.sqs.stats("jobs").inFlight, 0);
      assert.equal(rig.sqs.stats("jobs").visible, 0);
    } finally {
      await rig.close();
    }
  });
});

describe("SQS event source mapping: concurrency", { timeout: 60_000 }, () => {
  let gate: HoldGate;
  before(async () => {
    gate = await HoldGate.open();
  });
  after(() => gate.close());

  test("never has more than maxConcurrency batches in flight", async () => {
    const local = await HoldGate.open();
    const rig = new Rig({
      bundle,
      gate: local,
      queues: [queueSpec("jobs")],
      functions: [
        handlerSpec("worker", "consume", {
          consumes: consumes("jobs", { batchSize: 1, maxConcurrency: 2 }),
        }),
      ],
    });
    try {
      const ids = ["h1", "h2", "h3", "h4", "h5", "h6"];
      for (const id of ids) rig.sqs.sendMessage("jobs", { body: body(id, { hold: true }) });
      rig.poll("worker");
      for (let done = 0; done < ids.length; done++) {
        await local.arrived(Math.min(ids.length, done + 2));
        await rig.settle();
        assert.ok(local.held.length <= 2, `held ${local.held.join(",")}`);
        assert.ok(busy(rig, "worker") <= 2, `busy ${busy(rig, "worker")}`);
        assert.ok(
          rig.sqs.stats("jobs").inFlight <= 2,
          `${rig.sqs.stats("jobs").inFlight} messages in flight`,
        );
        local.release(local.held[0] ?? "");
        await rig.invocations("worker", done + 1);
      }
      assert.equal(local.maxWaiting, 2, "two batches did run at once");
      assert.equal(rig.sqs.stats("jobs").visible + rig.sqs.stats("jobs").inFlight, 0);
    } finally {
      await rig.close();
      await local.close();
    }
  });

  test("without maxConcurrency, runs at most five batches at once", async () => {
    const local = await HoldGate.open();
    const rig = new Rig({
      bundle,
      gate: local,
      queues: [queueSpec("jobs")],
      functions: [handlerSpec("worker", "consume", { consumes: consumes("jobs", { batchSize: 1 }) })],
    });
    try {
      for (let i = 0; i < 7; i++) rig.sqs.sendMessage("jobs", { body: body(`h${i}`, { hold: true }) });
      rig.poll("worker");
      await local.arrived(5);
      await rig.settle();
      assert.equal(rig.sqs.stats("jobs").inFlight, 5);
      assert.equal(rig.sqs.stats("jobs").visible, 2);
      assert.equal(busy(rig, "worker"), 5);
      local.open();
      await rig.invocations("worker", 7);
      assert.equal(local.maxWaiting, 5);
    } finally {
      await rig.close();
      await local.close();
    }
  });

  test("reserved concurrency 0: the mapping never receives, so receive counts stay 0", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [handlerSpec("worker", "consume", { reservedConcurrency: 0, consumes: consumes("jobs") })],
    });
    try {
      rig.sqs.sendMessage("jobs", { body: body("a") });
      rig.sqs.sendMessage("jobs", { body: body("b") });
      const poller = rig.poll("worker");
      await rig.clock.advance(60_000);
      const throttled = rig.events.items.filter((e) => e.type === "throttled").length;
      assert.ok(throttled >= 1 && throttled <= 61, `${throttled} throttled polls in a minute: it backs off`);
      assert.equal(rig.results.items.length, 0);
      assert.equal(rig.sqs.stats("jobs").visible, 2);
      assert.equal(rig.sqs.stats("jobs").inFlight, 0);
      await poller.stop();
      const messages = await rig.sqs.receiveMessages("jobs", { maxNumberOfMessages: 10 });
      assert.deepEqual(
        messages.map((m) => m.attributes.ApproximateReceiveCount),
        ["1", "1"],
      );
    } finally {
      await rig.close();
    }
  });

  test("backs off while the function is throttled, keeping the batch in flight, then invokes it", async () => {
    const rig = new Rig({
      bundle,
      gate,
      queues: [queueSpec("jobs", { visibilityTimeoutSeconds: 60 })],
      functions: [
        handlerSpec("worker", "consume", {
          reservedConcurrency: 1,
          consumes: consumes("jobs", { batchSize: 1 }),
        }),
      ],
    });
    try {
      rig.poll("worker"); // has capacity: it long-polls
      await rig.settle();
      const direct = rig.lambda.invoke("worker", {
        payload: JSON.stringify({ Records: [{ body: body("direct", { hold: true }) }] }),
      });
      await gate.arrived(1); // the only environment the function may have is busy now
      const start = rig.clock.now();
      rig.sqs.sendMessage("jobs", { body: body("queued") });
      await rig.settle();
      await rig.clock.advance(2_000);
      const throttledAt = rig.events.items.filter((e) => e.type === "throttled").map((e) => e.at - start);
      assert.deepEqual(throttledAt, [0, 100, 300, 800, 1800]);
      assert.equal(rig.sqs.stats("jobs").inFlight, 1, "the batch stays hidden while throttled");
      assert.equal(rig.results.items.length, 0);
      gate.release("direct");
      await direct;
      await rig.clock.advance(800); // the next try, 1 s after the last
      const [invocation] = await rig.invocations("worker", 1);
      assert.ok(invocation);
      assert.equal(invocation.at, start + 2_800);
      assert.deepEqual(idsOf(invocation), ["queued"]);
      assert.equal(receiveCount(recordsOf(invocation)[0]), "1", "the same receive, not a redelivery");
      assert.equal(rig.sqs.stats("jobs").inFlight + rig.sqs.stats("jobs").visible, 0);
    } finally {
      await rig.close();
    }
  });

  test("gives a throttled batch up when its visibility timeout expires, counted from its receive", async () => {
    const rig = new Rig({
      bundle,
      gate,
      queues: [queueSpec("jobs", { visibilityTimeoutSeconds: 30 })],
      functions: [
        handlerSpec("worker", "consume", {
          reservedConcurrency: 1,
          consumes: consumes("jobs", { batchSize: 10, maximumBatchingWindowSeconds: 10 }),
        }),
      ],
    });
    try {
      rig.poll("worker");
      await rig.settle();
      const start = rig.clock.now();
      rig.sqs.sendMessage("jobs", { body: body("stale") });
      await rig.settle(); // received at `start`; the batching window runs until start + 10 s
      const direct = rig.lambda.invoke("worker", {
        payload: JSON.stringify({ Records: [{ body: body("capacity", { hold: true }) }] }),
      });
      await gate.arrived(gate.arrivals.items.length + 1);
      await rig.clock.advance(35_000); // throttled from start + 10 s; visible again at start + 30 s
      gate.release("capacity");
      await direct;
      await rig.clock.advance(11_000); // the next poll, then its batching window
      const [invocation] = await rig.invocations("worker", 1);
      assert.ok(invocation);
      assert.ok(invocation.at > start + 35_000);
      assert.equal(
        receiveCount(recordsOf(invocation)[0]),
        "2",
        "received again, not invoked with the batch whose visibility had expired",
      );
    } finally {
      await rig.close();
    }
  });

  test("FIFO: does not deliver a group's next message while one of its messages is in flight", async () => {
    const rig = new Rig({
      bundle,
      gate,
      queues: [queueSpec("orders", { fifo: true })],
      functions: [
        handlerSpec("worker", "consume", {
          consumes: consumes("orders", { batchSize: 1, maxConcurrency: 2 }),
        }),
      ],
    });
    const send = (id: string, group: string) =>
      rig.sqs.sendMessage("orders", {
        body: body(id, { hold: true }),
        messageGroupId: group,
        messageDeduplicationId: id,
      });
    try {
      const before = gate.arrivals.items.length;
      send("g1-first", "g1");
      send("g1-second", "g1");
      send("g2-only", "g2");
      rig.poll("worker");
      await gate.arrived(before + 2);
      await rig.settle();
      assert.deepEqual(gate.held.sort(), ["g1-first", "g2-only"]);
      gate.release("g2-only");
      await rig.invocations("worker", 1);
      await rig.settle();
      await rig.settle();
      assert.deepEqual(gate.held, ["g1-first"], "g1-second waits for g1-first");
      assert.equal(rig.sqs.stats("orders").inFlight, 1);
      assert.equal(rig.sqs.stats("orders").visible, 1);
      gate.release("g1-first");
      await gate.arrived(before + 3);
      assert.equal(gate.arrivals.items.at(-1), "g1-second");
      gate.release("g1-second");
      const invocations = await rig.invocations("worker", 3);
      assert.deepEqual(
        invocations.map((i) => idsOf(i)[0]),
        ["g2-only", "g1-first", "g1-second"],
      );
    } finally {
      await rig.close();
    }
  });
});

describe("SQS event source mapping: batching", { timeout: 60_000 }, () => {
  test("gathers records until the batching window ends on the clock", async () => {
    // Reserved concurrency 1 gives the mapping one poller, so a record sent during the window
    // can only join the batch being gathered.
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [
        handlerSpec("worker", "consume", {
          reservedConcurrency: 1,
          consumes: consumes("jobs", { batchSize: 10, maximumBatchingWindowSeconds: 10 }),
        }),
      ],
    });
    try {
      const start = rig.clock.now();
      rig.sqs.sendMessage("jobs", { body: body("a") });
      rig.sqs.sendMessage("jobs", { body: body("b") });
      rig.poll("worker");
      await rig.settle();
      assert.equal(rig.sqs.stats("jobs").inFlight, 2, "received into the batch");
      await rig.clock.advance(5_000);
      rig.sqs.sendMessage("jobs", { body: body("c") });
      await rig.clock.advance(4_999);
      assert.equal(rig.sqs.stats("jobs").inFlight, 3);
      assert.equal(busy(rig, "worker"), 0, "not invoked before the window ends");
      assert.equal(rig.results.items.length, 0);
      await rig.clock.advance(1);
      const [invocation] = await rig.invocations("worker", 1);
      assert.ok(invocation);
      assert.equal(invocation.at, start + 10_000);
      assert.deepEqual(idsOf(invocation), ["a", "b", "c"]);
    } finally {
      await rig.close();
    }
  });

  test("invokes as soon as the batch is full, without waiting for the window", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [
        handlerSpec("worker", "consume", {
          consumes: consumes("jobs", { batchSize: 3, maximumBatchingWindowSeconds: 60, maxConcurrency: 2 }),
        }),
      ],
    });
    try {
      const start = rig.clock.now();
      for (const id of ["a", "b", "c", "d"]) rig.sqs.sendMessage("jobs", { body: body(id) });
      rig.poll("worker");
      const [full] = await rig.invocations("worker", 1);
      assert.ok(full);
      assert.equal(full.at, start);
      assert.deepEqual(idsOf(full), ["a", "b", "c"]);
      await rig.clock.advance(59_999);
      assert.equal(rig.results.items.length, 1, "the partial batch waits for its window");
      await rig.clock.advance(1);
      const [, rest] = await rig.invocations("worker", 2);
      assert.ok(rest);
      assert.equal(rest.at, start + 60_000);
      assert.deepEqual(idsOf(rest), ["d"]);
    } finally {
      await rig.close();
    }
  });

  test("stopping during a batching window does not invoke, and makes the gathered records visible again", async () => {
    const rig = new Rig({
      bundle,
      queues: [queueSpec("jobs")],
      functions: [
        handlerSpec("worker", "consume", {
          consumes: consumes("jobs", { maximumBatchingWindowSeconds: 30 }),
        }),
      ],
    });
    try {
      rig.sqs.sendMessage("jobs", { body: body("a") });
      const poller = rig.poll("worker");
      await rig.settle();
      assert.equal(rig.sqs.stats("jobs").inFlight, 1);
      await poller.stop();
      assert.equal(rig.results.items.length, 0, "no invocation after stop");
      assert.equal(rig.sqs.stats("jobs").visible, 1);
      assert.equal(rig.sqs.stats("jobs").inFlight, 0);
    } finally {
      await rig.close();
    }
  });
});

describe("SQS event source mapping: dead-letter queue", { timeout: 60_000 }, () => {
  test("moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives", async () => {
    const rig = new Rig({
      bundle,
      queues: [
        queueSpec("jobs", {
          visibilityTimeoutSeconds: 30,
          deadLetter: { queue: "jobs-dlq", maxReceiveCount: 2 },
        }),
        queueSpec("jobs-dlq"),
      ],
      functions: [handlerSpec("worker", "consume", { consumes: consumes("jobs", { batchSize: 1 }) })],
    });
    try {
      const sent = rig.sqs.sendMessage("jobs", { body: body("poison", { fail: true }) });
      rig.poll("worker");
      await rig.invocations("worker", 1);
      await rig.clock.advance(30_000);
      await rig.invocations("worker", 2);
      await rig.clock.advance(30_000);
      await rig.settle();
      assert.equal(rig.sqs.stats("jobs").deadLetterDepth, 1);
      assert.equal(rig.sqs.stats("jobs").visible + rig.sqs.stats("jobs").inFlight, 0);
      await rig.clock.advance(60_000);
      assert.equal(rig.results.items.length, 2, "received exactly maxReceiveCount times");
      const [parked] = await rig.sqs.receiveMessages("jobs-dlq");
      assert.equal(parked?.messageId, sent.messageId);
    } finally {
      await rig.close();
    }
  });
});

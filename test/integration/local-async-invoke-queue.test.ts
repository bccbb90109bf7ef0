import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type AsyncInvokeEvent, AsyncInvokeQueue } from "../../src/local/async-invoke/async-invoke-queue.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { tooManyRequests } from "../../src/local/lambda/errors.ts";
import { createLambdaService } from "../../src/local/lambda/lambda-service.ts";
import type { InvokeResult, LambdaService } from "../../src/local/lambda/types.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";
import type { FunctionSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { ACCOUNT, bundleHandlers, type HandlerBundle, REGION } from "../support/event-source-rig.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { Recorder } from "../support/recorder.ts";
import { handlerSpec } from "../support/specs.ts";
import { tempDir } from "../support/temp.ts";

let bundle: HandlerBundle;
let gate: HoldGate;
before(async () => {
  bundle = await bundleHandlers();
  gate = await HoldGate.open();
});
after(async () => {
  bundle.cleanup();
  await gate.close();
});

interface Attempt {
  readonly at: number;
  readonly result: InvokeResult;
}

/** An async queue over a real Lambda service, on `file`; what it reports is recorded with clock times. */
function openQueue(
  file: string,
  clock: ManualClock,
  options: { fn?: FunctionSpec; wrap?: (lambda: LambdaService) => LambdaService } = {},
) {
  const fn = options.fn ?? handlerSpec("task", "task");
  const db: Db = openStore(file);
  const real = createLambdaService({
    functions: [fn],
    code: (f) => ({ file: bundle.file, exportName: f.handler.export }),
    clock,
    region: REGION,
    accountId: ACCOUNT,
    environment: () => ({ GATE_URL: gate.url }),
  });
  const lambda = options.wrap ? options.wrap(real) : real;
  const attempts = new Recorder<Attempt>();
  const events = new Recorder<AsyncInvokeEvent & { at: number }>();
  const queue = new AsyncInvokeQueue({
    db,
    clock,
    lambda,
    functionNames: [fn.name],
    onResult: (_name, result) => attempts.push({ at: clock.now(), result }),
    onEvent: (event) => events.push({ ...event, at: clock.now() }),
  });
  return {
    db,
    lambda,
    queue,
    attempts,
    events,
    close: async () => {
      queue.close();
      await lambda.close();
      db.close();
    },
  };
}

const retries = (events: readonly AsyncInvokeEvent[]) =>
  events.flatMap((e) => (e.type === "retry-scheduled" ? [e] : []));

describe("asynchronous invocation", { timeout: 60_000 }, () => {
  test("stores an event before enqueue returns: it survives a close and reopen of the file and runs after restart", async () => {
    const temp = tempDir("sluice-async-");
    const file = join(temp.dir, "state.sqlite");
    const clock = new ManualClock();
    const first = openQueue(file, clock);
    const { requestId } = first.queue.enqueue("task", JSON.stringify({ id: "kept" }));
    await first.close(); // before the queue could start it: the event lives only in the file now
    assert.equal(first.attempts.items.length, 0);

    const second = openQueue(file, clock);
    try {
      assert.deepEqual(second.queue.depths(), { task: 1 });
      second.queue.start();
      await second.attempts.until((a) => a.length === 1, "the stored event to run");
      const [attempt] = second.attempts.items;
      assert.equal(attempt?.result.requestId, requestId);
      assert.deepEqual(JSON.parse(attempt?.result.payload ?? ""), { done: "kept" });
      await clock.advance(0);
      assert.deepEqual(second.queue.depths(), {});
    } finally {
      await second.close();
      temp.cleanup();
    }
  });

  test("drops an event older than the 6-hour maximum event age instead of running it", async () => {
    const temp = tempDir("sluice-async-");
    const file = join(temp.dir, "state.sqlite");
    const clock = new ManualClock();
    const first = openQueue(file, clock);
    const young = first.queue.enqueue("task", JSON.stringify({ id: "young" }));
    await clock.advance(1);
    const old = first.queue.enqueue("task", JSON.stringify({ id: "old" }));
    await first.close();
    await clock.advance(6 * 3_600_000); // `dev` was not running meanwhile
    const second = openQueue(file, clock);
    try {
      second.queue.start();
      await second.events.until((e) => e.some((x) => x.type === "dropped"), "the old event to be dropped");
      await second.attempts.until((a) => a.length === 1, "the younger event to run");
      const dropped = second.events.items.find((e) => e.type === "dropped");
      assert.equal(dropped?.requestId, young.requestId, "created 6 h + 1 ms ago");
      assert.match(dropped?.type === "dropped" ? dropped.reason : "", /maximum age of 21600 seconds/);
      assert.equal(second.attempts.items[0]?.result.requestId, old.requestId, "created exactly 6 h ago");
    } finally {
      await second.close();
      temp.cleanup();
    }
  });

  test("retries a failing function twice, 1 and then 2 minutes later on the clock, then drops the event", async () => {
    const temp = tempDir("sluice-async-");
    const clock = new ManualClock();
    const q = openQueue(join(temp.dir, "state.sqlite"), clock);
    try {
      q.queue.start();
      const start = clock.now();
      const { requestId } = q.queue.enqueue("task", JSON.stringify({ id: "x", fail: true }));
      await q.events.until((e) => retries(e).length === 1, "the first retry to be scheduled");
      assert.equal(retries(q.events.items)[0]?.atMs, start + 60_000);
      assert.equal(retries(q.events.items)[0]?.attempt, 1);
      await clock.advance(59_999);
      assert.equal(q.attempts.items.length, 1, "no retry before a minute has passed");
      await clock.advance(1);
      await q.events.until((e) => retries(e).length === 2, "the second retry to be scheduled");
      assert.equal(retries(q.events.items)[1]?.atMs, start + 180_000);
      await clock.advance(119_999);
      assert.equal(q.attempts.items.length, 2, "no retry before two more minutes have passed");
      await clock.advance(1);
      await q.events.until((e) => e.some((x) => x.type === "dropped"), "the event to be dropped");
      const dropped = q.events.items.find((e) => e.type === "dropped");
      assert.equal(dropped?.requestId, requestId);
      assert.match(
        dropped?.type === "dropped" ? dropped.reason : "",
        /retries exhausted: Error: task x failed/,
      );
      assert.deepEqual(
        q.attempts.items.map((a) => a.at - start),
        [0, 60_000, 180_000],
      );
      assert.ok(
        q.attempts.items.every((a) => a.result.requestId === requestId),
        "retries keep the request id",
      );
      assert.deepEqual(q.queue.depths(), {});
      await clock.advance(600_000);
      assert.equal(q.attempts.items.length, 3);
    } finally {
      await q.close();
      temp.cleanup();
    }
  });

  test("an event waiting for concurrency is not charged an attempt", async () => {
    const temp = tempDir("sluice-async-");
    const clock = new ManualClock();
    const q = openQueue(join(temp.dir, "state.sqlite"), clock, {
      fn: handlerSpec("task", "task", { reservedConcurrency: 1 }),
    });
    try {
      q.queue.start();
      const held = q.lambda.invoke("task", { payload: JSON.stringify({ id: "sync-hold", hold: true }) });
      await gate.arrived(gate.arrivals.items.length + 1);
      q.queue.enqueue("task", JSON.stringify({ id: "late", fail: true }));
      await clock.advance(240_000); // longer than both retry delays together
      assert.equal(q.attempts.items.length, 0);
      assert.deepEqual(q.events.items, []);
      assert.deepEqual(q.queue.depths(), { task: 1 });
      gate.release("sync-hold");
      await held;
      await clock.advance(1_000);
      await q.events.until((e) => retries(e).length === 1, "the first real attempt to fail");
      assert.equal(retries(q.events.items)[0]?.attempt, 1);
    } finally {
      await q.close();
      temp.cleanup();
    }
  });

  test("a throttled invoke is tried again a second later and not counted as a retry", async () => {
    const temp = tempDir("sluice-async-");
    const clock = new ManualClock();
    // Stands for another caller taking the last environment between the capacity check and the invoke.
    const throttleTwice = (real: LambdaService): LambdaService => {
      let throttles = 2;
      return {
        invoke: (name, input) =>
          throttles-- > 0
            ? Promise.reject(tooManyRequests(name, "ReservedFunctionConcurrentInvocationLimitExceeded", 1))
            : real.invoke(name, input),
        hasCapacity: (name) => real.hasCapacity(name),
        stats: () => real.stats(),
        reload: () => real.reload(),
        onLog: (listener) => real.onLog(listener),
        close: () => real.close(),
      };
    };
    const q = openQueue(join(temp.dir, "state.sqlite"), clock, { wrap: throttleTwice });
    try {
      q.queue.start();
      const start = clock.now();
      q.queue.enqueue("task", JSON.stringify({ id: "t", fail: true }));
      await q.events.until((e) => retries(e).length === 1, "the first throttle");
      await clock.advance(1_000);
      await q.events.until((e) => retries(e).length === 2, "the second throttle");
      await clock.advance(1_000);
      await q.events.until((e) => retries(e).length === 3, "the first real attempt");
      await clock.advance(60_000);
      await q.events.until((e) => retries(e).length === 4, "the second real attempt");
      await clock.advance(120_000);
      await q.events.until((e) => e.some((x) => x.type === "dropped"), "the event to be dropped");
      assert.deepEqual(
        retries(q.events.items).map((e) => [e.attempt, e.atMs - start]),
        [
          [0, 1_000],
          [0, 2_000],
          [1, 62_000],
          [2, 182_000],
        ],
      );
      assert.match(retries(q.events.items)[0]?.reason ?? "", /Rate Exceeded/);
      assert.equal(q.attempts.items.length, 3, "three real attempts despite two throttles");
    } finally {
      await q.close();
      temp.cleanup();
    }
  });

  test("refuses an event over 1 MB with RequestEntityTooLargeException, and accepts one of exactly 1 MB", async () => {
    const temp = tempDir("sluice-async-");
    const clock = new ManualClock();
    const q = openQueue(join(temp.dir, "state.sqlite"), clock);
    q.queue.close(); // only acceptance is under test: nothing runs
    try {
      const event = (bytes: number) => JSON.stringify({ pad: "x".repeat(bytes - '{"pad":""}'.length) });
      assert.throws(() => q.queue.enqueue("task", event(1_048_577)), {
        code: "RequestEntityTooLargeException",
        statusCode: 413,
        message: "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)",
      });
      assert.deepEqual(q.queue.depths(), {});
      q.queue.enqueue("task", event(1_048_576));
      assert.deepEqual(q.queue.depths(), { task: 1 });
    } finally {
      await q.close();
      temp.cleanup();
    }
  });
});

describe("asynchronous invocation in the local cloud", { timeout: 60_000 }, () => {
  test("delivers the routing of an asynchronous invocation's result", async () => {
    const temp = tempDir("sluice-async-cloud-");
    const spec = normaliseApp({
      name: "events",
      queues: { sink: {} },
      functions: { routed: { handler: "handlers.routed", routes: "sink" } },
    });
    const cloud = new LocalCloud({
      spec,
      stateDir: temp.dir,
      clock: new ManualClock(),
      code: (fn) => ({ file: bundle.file, exportName: fn.handler.export }),
    });
    try {
      cloud.start();
      cloud.invokeAsync("routed", JSON.stringify({ id: "r1" }));
      await cloud.sqs.waitForMessages("sink", AbortSignal.timeout(20_000));
      const [message] = await cloud.sqs.receiveMessages("sink");
      assert.deepEqual(JSON.parse(message?.body ?? "null"), { from: "routed", id: "r1" });
    } finally {
      await cloud.close();
      temp.cleanup();
    }
  });

  test("with background work off (one-shot commands), an accepted event is stored but not run", async () => {
    const temp = tempDir("sluice-async-cloud-");
    const spec = normaliseApp({ name: "events", functions: { routed: { handler: "handlers.routed" } } });
    const clock = new ManualClock();
    const cloud = new LocalCloud({
      spec,
      stateDir: temp.dir,
      clock,
      background: false,
      code: (fn) => ({ file: bundle.file, exportName: fn.handler.export }),
    });
    try {
      cloud.start();
      cloud.invokeAsync("routed", JSON.stringify({ id: "later" }));
      await clock.advance(0);
      assert.equal(cloud.lambda.stats()[0]?.busy, 0, "no invocation started");
      await clock.advance(60_000);
      assert.equal(cloud.lambda.stats()[0]?.busy, 0, "none later either");
      assert.deepEqual(cloud.asyncInvoke.depths(), { routed: 1 }, "kept for the next dev");
    } finally {
      await cloud.close();
      temp.cleanup();
    }
  });

  test("a delivery that cannot be made fails the attempt, which is retried", async () => {
    const temp = tempDir("sluice-async-cloud-");
    // The handler routes to "sink", which this definition does not have.
    const spec = normaliseApp({ name: "events", functions: { routed: { handler: "handlers.routed" } } });
    const events = new Recorder<{ type: string; reason?: string }>();
    const cloud = new LocalCloud({
      spec,
      stateDir: temp.dir,
      clock: new ManualClock(),
      code: (fn) => ({ file: bundle.file, exportName: fn.handler.export }),
      onEvent: (event) => {
        if (event.type !== "log") events.push(event);
      },
    });
    try {
      cloud.start();
      cloud.invokeAsync("routed", JSON.stringify({ id: "r2" }));
      await events.until((e) => e.some((x) => x.type === "retry-scheduled"), "the failed delivery");
      assert.match(
        events.items[0]?.reason ?? "",
        /routed routed to "sink", which is neither a function nor a queue/,
      );
    } finally {
      await cloud.close();
      temp.cleanup();
    }
  });
});

/**
 * LocalCloud.pendingWork(): the work that progresses without the clock moving, which a test kit
 * waits on between timers (slice T8). Real Lambda workers, real SQLite, a ManualClock.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/index.ts";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import { openRig, type Rig, retries } from "../support/async-invoke-rig.ts";
import { bundleHandlers, type HandlerBundle } from "../support/event-source-rig.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { eventually } from "../support/poll.ts";

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

const CONSUMER = {
  queues: { jobs: { visibilityTimeout: "30 seconds" } },
  functions: { consume: { handler: "handlers.consume", consumes: { queue: "jobs" } } },
};
const ASYNC_TASK = { functions: { task: { handler: "handlers.task" } } };

/** Waits (in real time, bounded) until the cloud has nothing that can progress without the clock. */
async function quiet(cloud: LocalCloud): Promise<void> {
  await eventually(() => (cloud.pendingWork() === 0 ? true : undefined), "no pending work", {
    timeoutMs: 30_000,
    intervalMs: 5,
  });
}

/** What a test kit's settle hook does: turns of the event loop until nothing is pending. */
function settleHook(cloud: () => LocalCloud): () => Promise<void> {
  return async () => {
    const deadline = Date.now() + 30_000;
    while (cloud().pendingWork() > 0) {
      if (Date.now() > deadline) throw new Error("the cloud did not settle");
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
}

async function withRig(
  definition: Record<string, unknown>,
  run: (rig: Rig) => Promise<void>,
  clock?: ManualClock,
) {
  const rig = openRig(bundle, definition, { gate, ...(clock ? { clock } : {}) });
  try {
    await rig.cloud.activated;
    await quiet(rig.cloud);
    await run(rig);
  } finally {
    await rig.close();
  }
}

describe("LocalCloud.pendingWork", { timeout: 120_000 }, () => {
  test("a message sent to a consumed queue is pending until the consumer's invocation finishes, then nothing is", async () => {
    await withRig(CONSUMER, async (rig) => {
      assert.equal(rig.cloud.pendingWork(), 0, "an idle cloud with a polling consumer has nothing pending");
      rig.cloud.sqs.sendMessage("jobs", { body: JSON.stringify({ id: "held", hold: true }) });
      assert.ok(
        rig.cloud.pendingWork() > 0,
        "pending as soon as SendMessage returns, before the poller has run",
      );
      await gate.arrived(1);
      assert.ok(rig.cloud.pendingWork() > 0, "pending while the invocation runs");
      gate.release("held");
      await quiet(rig.cloud);
      const stats = rig.cloud.sqs.stats("jobs");
      assert.deepEqual([stats.visible, stats.inFlight], [0, 0], "the batch succeeded and was deleted");
    });
  });

  test("a message whose function fails is hidden for its visibility timeout and is not pending until the clock moves", async () => {
    await withRig(CONSUMER, async (rig) => {
      const arrivals = gate.arrivals.items.length;
      rig.cloud.sqs.sendMessage("jobs", { body: JSON.stringify({ id: "failing", hold: true, fail: true }) });
      await gate.arrived(arrivals + 1);
      gate.release("failing");
      await quiet(rig.cloud);
      assert.equal(rig.cloud.sqs.stats("jobs").inFlight, 1, "the failed message is invisible, not deleted");
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(rig.cloud.pendingWork(), 0, "still nothing pending: only the clock brings it back");
      await rig.clock.advance(30_000);
      await gate.arrived(arrivals + 2);
      assert.ok(rig.cloud.pendingWork() > 0, "redelivered after the visibility timeout: pending again");
      gate.release("failing");
      await quiet(rig.cloud);
      assert.equal(rig.cloud.sqs.stats("jobs").inFlight, 1);
    });
  });

  test("an asynchronous invocation is pending while it runs; its retry, scheduled a minute later, is not", async () => {
    await withRig(ASYNC_TASK, async (rig) => {
      const arrivals = gate.arrivals.items.length;
      rig.cloud.invokeAsync("task", JSON.stringify({ id: "async", hold: true, fail: true }));
      assert.ok(rig.cloud.pendingWork() > 0, "pending as soon as the event is accepted");
      await gate.arrived(arrivals + 1);
      assert.ok(rig.cloud.pendingWork() > 0, "pending while the attempt runs");
      gate.release("async");
      await quiet(rig.cloud);
      const [retry] = retries(rig.events.items);
      assert.ok(retry && retry.atMs > rig.clock.now(), "a retry is scheduled in the future");
      assert.deepEqual(rig.cloud.asyncInvoke.depths(), { task: 1 }, "the event waits for its retry");
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(rig.cloud.pendingWork(), 0);
    });
  });

  test("a ManualClock whose settle hook waits on pendingWork returns from advance with the work its timers started finished", async () => {
    let cloud: LocalCloud | undefined;
    const clock = new ManualClock(Date.UTC(2026, 0, 1), { settle: settleHook(() => cloud as LocalCloud) });
    await withRig(
      ASYNC_TASK,
      async (rig) => {
        cloud = rig.cloud;
        rig.cloud.invokeAsync("task", JSON.stringify({ id: "settled", fail: true }));
        await quiet(rig.cloud);
        assert.equal(retries(rig.events.items).length, 1, "the first attempt failed: one retry scheduled");
        // Lambda retries after a minute, then after two more: both attempts run and fail inside this advance.
        await clock.advance(60_000 + 120_000);
        assert.equal(
          retries(rig.events.items).length,
          2,
          "the second attempt ran and failed before advance returned",
        );
        assert.equal(
          rig.events.items.filter((e) => e.type === "dropped").length,
          1,
          "the third was its last",
        );
        assert.equal(rig.cloud.pendingWork(), 0);
      },
      clock,
    );
  });
});

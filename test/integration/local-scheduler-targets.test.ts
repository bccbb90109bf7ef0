import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type Bundle,
  bundleAsyncHandlers,
  nextJson,
  nextMessage,
  openRig,
} from "../support/async-invoke-rig.ts";

let bundle: Bundle;
before(async () => {
  bundle = await bundleAsyncHandlers();
});
after(() => bundle.cleanup());

describe("schedule targets in the local cloud", { timeout: 60_000 }, () => {
  test("invokes a function asynchronously with the schedule's input", async () => {
    const rig = openRig(bundle, {
      queues: { seen: {} },
      functions: { record: { handler: "handlers.record" } },
      schedules: {
        nightly: {
          expression: "cron(0 2 * * ? *)",
          target: { function: "record", input: { report: "daily" } },
        },
      },
    });
    try {
      await rig.clock.advance(2 * 3_600_000);
      assert.deepEqual(await nextJson(rig, "seen"), { report: "daily" });
    } finally {
      await rig.close();
    }
  });

  test("sends {} to a queue when the schedule has no input, text input as-is, one message group per schedule on FIFO", async () => {
    const rig = openRig(bundle, {
      queues: { inbox: {}, ordered: { fifo: true } },
      functions: { record: { handler: "handlers.record" } },
      schedules: {
        plain: { expression: "rate(5 minutes)", target: { queue: "inbox" } },
        fifo: { expression: "rate(5 minutes)", target: { queue: "ordered", input: "tick" } },
      },
    });
    try {
      await rig.clock.advance(10 * 60_000);
      assert.equal((await nextMessage(rig, "inbox")).body, "{}");
      assert.equal((await nextMessage(rig, "inbox")).body, "{}");
      const [fifo] = await rig.cloud.sqs.receiveMessages("ordered");
      assert.equal(fifo?.body, "tick");
      assert.equal(fifo?.attributes.MessageGroupId, "fifo");
    } finally {
      await rig.close();
    }
  });

  test("puts an event on a bus, whose rules deliver it, with the input as its detail", async () => {
    const rig = openRig(bundle, {
      queues: { seen: {} },
      functions: { record: { handler: "handlers.record" } },
      rules: { forward: { pattern: { source: ["sluice.scheduler"] }, targets: [{ queue: "seen" }] } },
      schedules: { hourly: { expression: "rate(1 hour)", target: { bus: "default", input: { n: 1 } } } },
    });
    try {
      await rig.clock.advance(3_600_000);
      const event = (await nextJson(rig, "seen")) as Record<string, unknown>;
      assert.equal(event.source, "sluice.scheduler");
      assert.equal(event["detail-type"], "Scheduled Event");
      assert.deepEqual(event.detail, { n: 1 });
    } finally {
      await rig.close();
    }
  });
});

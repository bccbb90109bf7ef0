import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService, ReceivedMessage } from "../../src/local/sqs/types.ts";
import { openStore } from "../../src/local/store/store.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

// Fair queues: a tenant (MessageGroupId on a standard queue) with more than 10% of the queue's
// in-flight messages and at least 30 of its own is a noisy neighbour; while quiet tenants'
// messages are waiting, consumers get those first; among noisy tenants, the one with the fewest
// in flight first. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html

const spec = normaliseApp({
  name: "fair",
  queues: { work: {}, ordered: { fifo: true } },
  functions: { f: { handler: "src/f.handler" } },
});
const QUEUE = "fair-work";

function setup(t: TestContext): { sqs: QueueService; clock: ManualClock } {
  const temp = tempDir("sluice-fair-");
  const db = openStore(join(temp.dir, "state.sqlite"));
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const sqs = createQueueService({ db, clock, region: spec.region, accountId: spec.accountId });
  sqs.ensureQueues(Object.values(spec.queues));
  t.after(() => {
    sqs.close();
    db.close();
    temp.cleanup();
  });
  return { sqs, clock };
}

async function send(sqs: QueueService, clock: ManualClock, count: number, group?: string, queue = QUEUE) {
  for (let i = 0; i < count; i++) {
    sqs.sendMessage(queue, {
      body: `${group ?? "none"}-${i}`,
      ...(group === undefined ? {} : { messageGroupId: group }),
      ...(queue === QUEUE ? {} : { messageDeduplicationId: `${group}-${i}` }),
    });
    await clock.advance(1); // distinct SentTimestamps: age order is send order
  }
}

/** Receives `count` messages ten at a time (they stay in flight). */
async function receive(sqs: QueueService, count: number, queue = QUEUE): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  while (out.length < count) {
    const batch = await sqs.receiveMessages(queue, { maxNumberOfMessages: Math.min(10, count - out.length) });
    if (batch.length === 0) break;
    out.push(...batch);
  }
  return out;
}

const tenants = (messages: readonly ReceivedMessage[]) => messages.map((m) => m.body.split("-")[0]);

describe("SQS fair queues (MessageGroupId on a standard queue)", () => {
  test("a tenant with over 10% of the in-flight messages and at least 30 of its own waits behind quiet tenants", async (t) => {
    const { sqs, clock } = setup(t);
    await send(sqs, clock, 60, "noisy");
    assert.equal((await receive(sqs, 30)).length, 30, "30 noisy messages in flight");
    await send(sqs, clock, 3, "quiet");
    await send(sqs, clock, 2);
    const next = await receive(sqs, 10);
    assert.deepEqual(tenants(next), [
      "quiet",
      "quiet",
      "quiet",
      "none",
      "none",
      "noisy",
      "noisy",
      "noisy",
      "noisy",
      "noisy",
    ]);
  });

  test("below 30 in flight a tenant is not noisy: the oldest messages come first", async (t) => {
    const { sqs, clock } = setup(t);
    await send(sqs, clock, 60, "busy");
    await receive(sqs, 29);
    await send(sqs, clock, 2, "quiet");
    assert.deepEqual(tenants(await receive(sqs, 3)), ["busy", "busy", "busy"]);
  });

  test("several noisy tenants: the one with the fewest in flight first, after the quiet ones", async (t) => {
    const { sqs, clock } = setup(t);
    await send(sqs, clock, 40, "a");
    await receive(sqs, 40);
    await send(sqs, clock, 40, "b");
    await receive(sqs, 30);
    await send(sqs, clock, 5, "a");
    await send(sqs, clock, 1, "quiet");
    // In flight: a 40, b 30 (each over 10% of 70 and at least 30). Waiting: b 10, a 5, quiet 1.
    assert.deepEqual(tenants(await receive(sqs, 12)), ["quiet", ...Array(10).fill("b"), "a"]);
  });

  test("once the noisy tenant's in-flight messages are deleted, age order returns", async (t) => {
    const { sqs, clock } = setup(t);
    await send(sqs, clock, 40, "noisy");
    const inFlight = await receive(sqs, 30);
    await send(sqs, clock, 2, "quiet");
    for (const m of inFlight) sqs.deleteMessage(QUEUE, m.receiptHandle);
    assert.deepEqual(tenants(await receive(sqs, 3)), ["noisy", "noisy", "noisy"]);
  });

  test("FIFO queues keep their group order: fairness is for standard queues", async (t) => {
    const { sqs, clock } = setup(t);
    await send(sqs, clock, 3, "g", "fair-ordered.fifo");
    assert.deepEqual(
      (await receive(sqs, 3, "fair-ordered.fifo")).map((m) => m.body),
      ["g-0", "g-1", "g-2"],
    );
  });
});

/**
 * A transformed input that is not JSON cannot be a Lambda payload: Lambda's Invoke answers 400
 * InvalidRequestContentException, which EventBridge does not retry, so the event goes to the
 * target's dead-letter queue or is dropped (eb-rule-dlq: client errors are not retried). A queue
 * takes any text.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { EventBusService } from "../../src/local/events/event-bus-service.ts";
import type { EventBusEvent } from "../../src/local/events/event-delivery.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function rig(targets: unknown[]) {
  const spec = normaliseApp({
    name: "shop",
    queues: { audit: {}, dlq: {} },
    functions: { bill: { handler: "src/bill.handler" } },
    rules: { placed: { pattern: { source: ["shop"] }, targets } },
  });
  const dir = mkdtempSync(join(tmpdir(), "sluice-events-payload-"));
  dirs.push(dir);
  const db = openStore(join(dir, "state.sqlite"));
  const clock = new ManualClock();
  const sqs = createQueueService({ db, clock, region: spec.region, accountId: spec.accountId });
  sqs.ensureQueues(Object.values(spec.queues));
  const invoked: string[] = [];
  const events: EventBusEvent[] = [];
  const bus = new EventBusService({
    db,
    clock,
    spec,
    sqs,
    invokeAsync: (_name, payload) => invoked.push(payload),
    random: () => 0.5,
    onEvent: (e) => events.push(e),
  });
  bus.start();
  bus.putEvents([{ Source: "shop", DetailType: "order placed", Detail: JSON.stringify({ id: "a-1" }) }]);
  return {
    bus,
    sqs,
    invoked,
    events,
    settle: () => clock.advance(0),
    close: () => {
      bus.close();
      db.close();
    },
  };
}

const textTransformer = { inputPathsMap: { id: "$.detail.id" }, inputTemplate: "order <id> placed" };

describe("a transformed input that is not JSON", () => {
  test("is not delivered to a function, and is dropped without retries", async () => {
    const r = rig([{ function: "bill", inputTransformer: textTransformer }]);
    await r.settle();
    assert.deepEqual(r.invoked, []);
    assert.deepEqual(
      r.events.map((e) => e.type),
      ["event-dropped"],
    );
    assert.deepEqual(r.bus.dropped(), { "placed/function-bill": 1 });
    r.close();
  });

  test("goes to the function target's dead-letter queue with a client-error code", async () => {
    const r = rig([{ function: "bill", inputTransformer: textTransformer, deadLetter: "dlq" }]);
    await r.settle();
    assert.deepEqual(r.invoked, []);
    const [message] = await r.sqs.receiveMessages("dlq");
    assert.equal(message?.messageAttributes?.ERROR_CODE?.stringValue, "SDK_CLIENT_ERROR");
    assert.equal(message?.messageAttributes?.EXHAUSTED_RETRY_CONDITION, undefined);
    r.close();
  });

  test("is delivered to a queue as text", async () => {
    const r = rig([{ queue: "audit", inputTransformer: textTransformer }]);
    await r.settle();
    const [message] = await r.sqs.receiveMessages("audit");
    assert.equal(message?.body, "order a-1 placed");
    r.close();
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { EventBusService } from "../../src/local/events/event-bus-service.ts";
import type { EventBusEvent } from "../../src/local/events/event-delivery.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService, SendMessageInput } from "../../src/local/sqs/types.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Rig {
  readonly bus: EventBusService;
  readonly clock: ManualClock;
  readonly sqs: QueueService;
  readonly invoked: { name: string; payload: string }[];
  readonly events: EventBusEvent[];
  readonly db: Db;
  /** Makes the next `n` sends to `queue` fail with `error`. */
  failNext(queue: string, n: number, error?: Error): void;
  close(): void;
}

function definition(rules: Record<string, unknown>): Record<string, unknown> {
  return {
    name: "shop",
    queues: { audit: {}, dlq: {} },
    functions: { bill: { handler: "src/bill.handler" } },
    buses: { orders: {} },
    rules,
  };
}

function openRig(
  spec: AppSpec,
  options: { dir?: string; clock?: ManualClock; random?: () => number } = {},
): Rig {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "sluice-events-"));
  if (!options.dir) dirs.push(dir);
  const db = openStore(join(dir, "state.sqlite"));
  const clock = options.clock ?? new ManualClock();
  const sqs = createQueueService({ db, clock, region: spec.region, accountId: spec.accountId });
  sqs.ensureQueues(Object.values(spec.queues));
  const failures = new Map<string, { n: number; error: Error }>();
  const flaky: Pick<QueueService, "sendMessage"> = {
    sendMessage: (queue: string, input: SendMessageInput) => {
      const f = failures.get(queue);
      if (f && f.n > 0) {
        f.n--;
        throw f.error;
      }
      return sqs.sendMessage(queue, input);
    },
  };
  const invoked: { name: string; payload: string }[] = [];
  const events: EventBusEvent[] = [];
  const bus = new EventBusService({
    db,
    clock,
    spec,
    sqs: flaky,
    invokeAsync: (name, payload) => invoked.push({ name, payload }),
    random: options.random ?? (() => 0.5),
    onEvent: (e) => events.push(e),
  });
  bus.start();
  return {
    bus,
    clock,
    sqs,
    invoked,
    events,
    db,
    failNext: (queue, n, error = Object.assign(new Error("target unavailable"), { statusCode: 500 })) =>
      failures.set(queue, { n, error }),
    close: () => {
      bus.close();
      db.close();
    },
  };
}

const entry = (detail: object, more: object = {}) => ({
  Source: "shop",
  DetailType: "order placed",
  Detail: JSON.stringify(detail),
  ...more,
});

async function settle(clock: ManualClock): Promise<void> {
  await clock.advance(0);
}

describe("EventBridge bus", () => {
  test("delivers a matching event to a function in EventBridge's envelope, valid for Powertools' schema", async () => {
    const spec = normaliseApp(
      definition({ placed: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }] } }),
    );
    const rig = openRig(spec);
    const result = rig.bus.putEvents([
      entry({ id: 1 }, { Resources: ["arn:aws:s3:::b"] }),
      entry({ id: 2 }, { Source: "other" }),
    ]);
    assert.equal(result.FailedEntryCount, 0);
    await settle(rig.clock);
    assert.equal(rig.invoked.length, 1);
    const event = JSON.parse(rig.invoked[0]?.payload ?? "{}");
    EventBridgeSchema.parse(event);
    assert.deepEqual(
      { ...event, id: "x" },
      {
        version: "0",
        id: "x",
        "detail-type": "order placed",
        source: "shop",
        account: "000000000000",
        time: "2026-01-01T00:00:00Z",
        region: "us-east-1",
        resources: ["arn:aws:s3:::b"],
        detail: { id: 1 },
      },
    );
    assert.equal(event.id, (result.Entries[0] as { EventId: string }).EventId);
    rig.close();
  });

  test("fails bad entries alone with EventBridge's error codes, and refuses more than 10 entries", () => {
    const spec = normaliseApp(definition({}));
    const rig = openRig(spec);
    const result = rig.bus.putEvents([
      entry({ ok: true }),
      { Source: "shop", DetailType: "x", Detail: "[1]" },
      { Source: "shop", Detail: "{}" },
      entry({}, { EventBusName: "nope" }),
      entry({}, { Source: "aws.s3" }),
    ]);
    assert.equal(result.FailedEntryCount, 4);
    assert.deepEqual(
      result.Entries.slice(1).map((e) => ("ErrorCode" in e ? e.ErrorCode : "ok")),
      ["MalformedDetail", "InvalidArgument", "NotFoundException", "NotAuthorizedForSourceException"],
    );
    assert.throws(() => rig.bus.putEvents(Array.from({ length: 11 }, () => entry({}))), {
      code: "ValidationException",
    });
    const big = "x".repeat(1024 * 1024);
    assert.throws(() => rig.bus.putEvents([entry({ big })]), { code: "ValidationException" });
    rig.close();
  });

  test("applies inputPath, a constant input and an input transformer per target", async () => {
    const spec = normaliseApp(
      definition({
        placed: {
          pattern: { source: ["shop"] },
          targets: [
            { function: "bill", inputPath: "$.detail.order" },
            {
              queue: "audit",
              inputTransformer: {
                inputPathsMap: { id: "$.detail.order.id", t: "$.detail-type" },
                inputTemplate: '{"id": <id>, "what": "<t>!", "rule": "<aws.events.rule-name>"}',
              },
            },
            { queue: "dlq", input: { fixed: [1, 2] } },
          ],
        },
      }),
    );
    const rig = openRig(spec);
    rig.bus.putEvents([entry({ order: { id: 7, total: 3 } })]);
    await settle(rig.clock);
    assert.deepEqual(JSON.parse(rig.invoked[0]?.payload ?? ""), { id: 7, total: 3 });
    const [audit] = await rig.sqs.receiveMessages("audit");
    assert.deepEqual(JSON.parse(audit?.body ?? ""), { id: 7, what: "order placed!", rule: "shop-placed" });
    const [constant] = await rig.sqs.receiveMessages("dlq");
    assert.equal(constant?.body, '{"fixed":[1,2]}');
    rig.close();
  });

  test("delivers to a FIFO queue in the target's message group, in order; a standard queue's group names a tenant", async () => {
    const spec = normaliseApp({
      ...definition({
        placed: { pattern: { source: ["shop"] }, targets: [{ queue: "ordered" }] },
        paid: { pattern: { source: ["pay"] }, targets: [{ queue: "audit", messageGroupId: "tenant-a" }] },
      }),
      queues: { audit: {}, dlq: {}, ordered: { fifo: true, contentBasedDeduplication: true } },
    });
    const rig = openRig(spec);
    // Two events with the same detail: different ids, so content-based deduplication keeps both.
    rig.bus.putEvents([
      entry({ n: 1 }),
      entry({ n: 2 }),
      entry({ n: 2 }),
      entry({ n: 3 }, { Source: "pay" }),
    ]);
    await settle(rig.clock);
    const ordered = await rig.sqs.receiveMessages("ordered", { maxNumberOfMessages: 10 });
    assert.deepEqual(
      ordered.map((m) => [JSON.parse(m.body).detail.n, m.attributes.MessageGroupId]),
      [
        [1, "placed"],
        [2, "placed"],
        [2, "placed"],
      ],
    );
    const [audit] = await rig.sqs.receiveMessages("audit");
    assert.equal(audit?.attributes.MessageGroupId, "tenant-a");
    rig.close();
  });

  test("forwards to another bus, whose rules then match the same event", async () => {
    const spec = normaliseApp(
      definition({
        fanout: { pattern: { source: ["shop"] }, targets: [{ bus: "orders" }] },
        onOrders: { bus: "orders", pattern: { detail: { id: [5] } }, targets: [{ function: "bill" }] },
      }),
    );
    const rig = openRig(spec);
    rig.bus.putEvents([entry({ id: 5 }), entry({ id: 6 })]);
    await settle(rig.clock);
    assert.deepEqual(
      rig.invoked.map((i) => JSON.parse(i.payload).detail.id),
      [5],
    );
    rig.close();
  });

  test("retries with exponential back-off and jitter, then dead-letters with EventBridge's attributes", async () => {
    const spec = normaliseApp(
      definition({
        placed: {
          pattern: { source: ["shop"] },
          targets: [{ queue: "audit", retryPolicy: { maximumRetryAttempts: 3 }, deadLetter: "dlq" }],
        },
      }),
    );
    const rig = openRig(spec, { random: () => 0 });
    rig.failNext("audit", 10);
    rig.bus.putEvents([entry({ id: 1 })]);
    await settle(rig.clock);
    const retries = () => rig.events.filter((e) => e.type === "event-retry-scheduled");
    assert.equal(retries().length, 1);
    // random() = 0 draws the lower half of each window: 0.5 s, 1 s, 2 s.
    await rig.clock.advance(499);
    assert.equal(retries().length, 1);
    await rig.clock.advance(1);
    assert.equal(retries().length, 2);
    await rig.clock.advance(1000);
    assert.equal(retries().length, 3);
    assert.equal((await rig.sqs.receiveMessages("dlq")).length, 0);
    await rig.clock.advance(2000);
    const [message] = await rig.sqs.receiveMessages("dlq");
    assert.ok(message);
    assert.equal(JSON.parse(message.body).detail.id, 1);
    const attrs = Object.fromEntries(
      Object.entries(message.messageAttributes ?? {}).map(([k, v]) => [k, v.stringValue]),
    );
    assert.deepEqual(attrs, {
      ERROR_CODE: "INTERNAL_ERROR",
      ERROR_MESSAGE: "target unavailable",
      EXHAUSTED_RETRY_CONDITION: "MaximumRetryAttempts",
      RETRY_ATTEMPTS: "3",
      RULE_ARN: "arn:aws:events:us-east-1:000000000000:rule/shop-placed",
      TARGET_ARN: "arn:aws:sqs:us-east-1:000000000000:shop-audit",
    });
    rig.close();
  });

  test("gives up when the event outlives its maximum age, and counts a drop when there is no DLQ", async () => {
    const spec = normaliseApp(
      definition({
        placed: {
          pattern: { source: ["shop"] },
          targets: [{ queue: "audit", retryPolicy: { maximumEventAge: "1 minute" } }],
        },
      }),
    );
    const rig = openRig(spec, { random: () => 0.99 });
    rig.failNext("audit", 1000);
    rig.bus.putEvents([entry({ id: 1 })]);
    await rig.clock.advance(59_000);
    assert.equal(rig.bus.pending(), 1);
    await rig.clock.advance(60_000);
    assert.equal(rig.bus.pending(), 0);
    const dropped = rig.events.find((e) => e.type === "event-dropped");
    assert.ok(dropped);
    assert.deepEqual(rig.bus.dropped(), { "placed/queue-audit": 1 });
    rig.close();
  });

  test("sends a non-retriable failure to the DLQ at once, without EXHAUSTED_RETRY_CONDITION", async () => {
    const spec = normaliseApp(
      definition({
        placed: { pattern: { source: ["shop"] }, targets: [{ queue: "audit", deadLetter: "dlq" }] },
      }),
    );
    const rig = openRig(spec);
    rig.failNext(
      "audit",
      1,
      Object.assign(new Error("too big"), { code: "InvalidParameterValue", statusCode: 400 }),
    );
    rig.bus.putEvents([entry({ id: 1 })]);
    await settle(rig.clock);
    const [message] = await rig.sqs.receiveMessages("dlq");
    assert.equal(message?.messageAttributes?.ERROR_CODE?.stringValue, "SDK_CLIENT_ERROR");
    assert.equal(message?.messageAttributes?.RETRY_ATTEMPTS?.stringValue, "0");
    assert.equal(message?.messageAttributes?.EXHAUSTED_RETRY_CONDITION, undefined);
    rig.close();
  });

  test("reports a target that no longer exists as NO_RESOURCE", async () => {
    const spec = normaliseApp(
      definition({
        placed: { pattern: { source: ["shop"] }, targets: [{ queue: "audit", deadLetter: "dlq" }] },
      }),
    );
    const rig = openRig(spec);
    rig.failNext(
      "audit",
      1,
      Object.assign(new Error("gone"), { code: "QueueDoesNotExist", statusCode: 400 }),
    );
    rig.bus.putEvents([entry({ id: 1 })]);
    await settle(rig.clock);
    const [message] = await rig.sqs.receiveMessages("dlq");
    assert.equal(message?.messageAttributes?.ERROR_CODE?.stringValue, "NO_RESOURCE");
    rig.close();
  });

  test("keeps accepted events across a crash and delivers them after a restart", async () => {
    const spec = normaliseApp(
      definition({ placed: { pattern: { source: ["shop"] }, targets: [{ queue: "audit" }] } }),
    );
    const dir = mkdtempSync(join(tmpdir(), "sluice-events-"));
    dirs.push(dir);
    const clock = new ManualClock();
    const first = openRig(spec, { dir, clock });
    first.failNext("audit", 1);
    first.bus.putEvents([entry({ id: 9 })]);
    await settle(clock);
    first.close();
    const second = openRig(spec, { dir, clock });
    await clock.advance(60_000);
    const [message] = await second.sqs.receiveMessages("audit");
    assert.equal(JSON.parse(message?.body ?? "{}").detail.id, 9);
    second.close();
  });

  test("TestEventPattern answers true or false, and rejects an invalid pattern as EventBridge does", () => {
    const rig = openRig(normaliseApp(definition({})));
    const event = JSON.stringify({
      id: "1",
      account: "000000000000",
      source: "shop",
      time: "2026-01-01T00:00:00Z",
      region: "us-east-1",
      "detail-type": "x",
      detail: { n: 5 },
    });
    assert.equal(rig.bus.testEventPattern('{"detail":{"n":[{"numeric":[">",3]}]}}', event), true);
    assert.equal(rig.bus.testEventPattern('{"source":["other"]}', event), false);
    assert.throws(() => rig.bus.testEventPattern('{"source":"shop"}', event), {
      code: "InvalidEventPatternException",
    });
    rig.close();
  });
});

/**
 * EventBridge's trace hops (issue 20), on real SQLite and a real SQS engine: a `put` hop per
 * accepted event, a `match` hop per delivery attempt, `dead-letter` or `drop` as the retry policy
 * ends; targets (the async invocation, the SQS message, the DLQ's message) carry the trace header.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-related-service-xray.html
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { EventBusService } from "../../src/local/events/event-bus-service.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService, SendMessageInput } from "../../src/local/sqs/types.ts";
import { openStore } from "../../src/local/store/store.ts";
import { traceRootOf } from "../../src/local/traces/index.ts";
import type { HopInput } from "../../src/local/traces/types.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const ROOT = "1-67891233-abcdef012345678912345678";
const CALLER = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0;Lineage=a87bd80c:1`;

interface Invoked {
  readonly name: string;
  readonly payload: string;
  readonly traceHeader: string | undefined;
  readonly source: string | undefined;
}

interface Rig {
  readonly bus: EventBusService;
  readonly clock: ManualClock;
  readonly sqs: QueueService;
  readonly hops: HopInput[];
  readonly invoked: Invoked[];
  failAudit(n: number): void;
}

function openRig(t: TestContext, rules: Record<string, unknown>): Rig {
  const spec = normaliseApp({
    name: "shop",
    queues: { audit: {}, dlq: {} },
    functions: { bill: { handler: "src/bill.handler" } },
    buses: { orders: {} },
    rules,
  });
  const dir = mkdtempSync(join(tmpdir(), "sluice-events-trace-"));
  const db = openStore(join(dir, "state.sqlite"));
  const clock = new ManualClock();
  const hops: HopInput[] = [];
  const tracer = { record: (hop: HopInput) => hops.push(hop) };
  const sqs = createQueueService({ db, clock, region: spec.region, accountId: spec.accountId, tracer });
  sqs.ensureQueues(Object.values(spec.queues));
  let failures = 0;
  const flaky: Pick<QueueService, "sendMessage"> = {
    sendMessage: (queue: string, input: SendMessageInput) => {
      if (queue === "audit" && failures > 0) {
        failures--;
        throw Object.assign(new Error("target unavailable"), { statusCode: 500 });
      }
      return sqs.sendMessage(queue, input);
    },
  };
  const invoked: Invoked[] = [];
  const bus = new EventBusService({
    db,
    clock,
    spec,
    sqs: flaky,
    invokeAsync: (name, payload, traceHeader, source) => invoked.push({ name, payload, traceHeader, source }),
    random: () => 0,
    tracer,
  });
  bus.start();
  t.after(() => {
    bus.close();
    sqs.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { bus, clock, sqs, hops, invoked, failAudit: (n) => (failures = n) };
}

const entry = (more: object = {}) => ({
  Source: "shop",
  DetailType: "order placed",
  Detail: '{"id":1}',
  ...more,
});

describe("EventBridge trace hops", () => {
  test("a put hop per accepted event continues the request's header; a match hop per target delivery", async (t) => {
    const rig = openRig(t, {
      placed: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }, { queue: "audit" }] },
    });
    const result = rig.bus.putEvents([entry(), entry({ Source: "" })], {
      traceHeader: CALLER,
      source: "function:ingest",
    });
    const eventId = (result.Entries[0] as { EventId: string }).EventId;
    const puts = rig.hops.filter((h) => h.kind === "put");
    assert.equal(puts.length, 1, "the refused entry has no hop");
    const [put] = puts;
    assert.equal(put?.source, "function:ingest");
    assert.equal(put?.target, "bus:default");
    assert.equal(put?.parentHeader, CALLER);
    assert.equal(put?.requestId, eventId);
    assert.equal(JSON.parse(put?.payload ?? "{}").id, eventId);
    assert.equal(traceRootOf(put?.header), ROOT);

    await rig.clock.advance(0);
    const matches = rig.hops.filter((h) => h.kind === "match");
    assert.deepEqual(matches.map((h) => [h.source, h.target, h.outcome, h.attempt]).sort(), [
      ["rule:default.placed", "function:bill", "success", 1],
      ["rule:default.placed", "queue:audit", "success", 1],
    ]);
    for (const match of matches) assert.equal(match.parentHeader, put?.header, "each match follows the put");

    const toFunction = matches.find((h) => h.target === "function:bill");
    assert.equal(rig.invoked[0]?.traceHeader, toFunction?.header, "the async invocation continues the match");
    assert.equal(rig.invoked[0]?.source, "rule:default.placed");
    assert.doesNotMatch(
      rig.invoked[0]?.payload ?? "",
      /Root=/,
      "the event delivered does not contain the header",
    );

    const toQueue = matches.find((h) => h.target === "queue:audit");
    const send = rig.hops.find((h) => h.kind === "send" && h.target === "queue:audit");
    assert.equal(send?.source, "rule:default.placed");
    assert.equal(send?.parentHeader, toQueue?.header);
    const [message] = await rig.sqs.receiveMessages("audit");
    assert.equal(message?.attributes.AWSTraceHeader, toQueue?.header);
  });

  test("Lineage does not count through EventBridge: the target's header keeps the trace, not the loop count", async (t) => {
    // Lambda detects loops only through SQS, S3 and SNS (invocation-recursion.html).
    const rig = openRig(t, { placed: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }] } });
    rig.bus.putEvents([entry()], { traceHeader: CALLER, source: "function:ingest" });
    await rig.clock.advance(0);
    const put = rig.hops.find((h) => h.kind === "put");
    assert.equal(traceRootOf(put?.header), ROOT);
    assert.doesNotMatch(put?.header ?? "", /Lineage=/);
    assert.equal(traceRootOf(rig.invoked[0]?.traceHeader), ROOT);
    assert.doesNotMatch(rig.invoked[0]?.traceHeader ?? "", /Lineage=/);
  });

  test("an entry's TraceHeader overrides the request's; an event without either starts a trace", (t) => {
    const rig = openRig(t, {});
    const own = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0123456789abcdef;Sampled=1";
    rig.bus.putEvents([entry({ TraceHeader: own })], { traceHeader: CALLER });
    rig.bus.putEvents([entry({ EventBusName: "shop-orders" })]);
    const [first, second] = rig.hops;
    assert.equal(first?.parentHeader, own);
    assert.equal(traceRootOf(first?.header), "1-5759e988-bd862e3fe1be46a994272793");
    assert.equal(second?.source, "client");
    assert.equal(second?.target, "bus:orders");
    assert.equal(second?.parentHeader, undefined);
    assert.ok(traceRootOf(second?.header));
  });

  test("failed attempts are failed match hops; the last is followed by a dead-letter hop and the DLQ's message", async (t) => {
    const rig = openRig(t, {
      placed: {
        pattern: { source: ["shop"] },
        targets: [{ queue: "audit", retryPolicy: { maximumRetryAttempts: 1 }, deadLetter: "dlq" }],
      },
    });
    rig.failAudit(10);
    rig.bus.putEvents([entry()], { traceHeader: CALLER });
    await rig.clock.advance(0);
    await rig.clock.advance(1000);
    const attempts = rig.hops.filter((h) => h.kind === "match");
    assert.deepEqual(
      attempts.map((h) => [h.outcome, h.attempt]),
      [
        ["error", 1],
        ["error", 2],
      ],
    );
    assert.match(attempts[0]?.detail ?? "", /target unavailable/);
    const dead = rig.hops.find((h) => h.kind === "dead-letter");
    assert.ok(dead);
    assert.equal(dead.source, "rule:default.placed");
    assert.equal(dead.target, "queue:dlq");
    assert.equal(dead.parentHeader, attempts[1]?.header);
    assert.match(dead.detail ?? "", /MaximumRetryAttempts/);
    assert.equal(traceRootOf(dead.header), ROOT);
    const [message] = await rig.sqs.receiveMessages("dlq");
    assert.equal(message?.attributes.AWSTraceHeader, dead.header, "the DLQ's SendMessage carries the trace");
  });

  test("with no dead-letter queue the end of the retry policy is a drop hop", async (t) => {
    const rig = openRig(t, {
      placed: {
        pattern: { source: ["shop"] },
        targets: [{ queue: "audit", retryPolicy: { maximumRetryAttempts: 0 } }],
      },
    });
    rig.failAudit(1);
    rig.bus.putEvents([entry()]);
    await rig.clock.advance(0);
    const drop = rig.hops.find((h) => h.kind === "drop");
    assert.ok(drop);
    assert.equal(drop.outcome, "dropped");
    assert.equal(drop.target, "queue:audit");
    assert.equal(drop.attempt, 1);
  });
});

/**
 * SQS's trace hops and headers (issue 20), on a real SQLite file: every message keeps a trace
 * header of its own, AWSTraceHeader shows only what the sender gave (its system attribute, else its
 * request's X-Amzn-Trace-Id), and the tracer gets a `send` hop per accepted message and a
 * `dead-letter` hop per message maxReceiveCount moves.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import { openStore } from "../../src/local/store/store.ts";
import { parentOf, traceRootOf } from "../../src/local/traces/index.ts";
import type { HopInput } from "../../src/local/traces/types.ts";
import { queueSpec } from "../support/specs.ts";

const ROOT = "1-67891233-abcdef012345678912345678";
const SENDER = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0;Lineage=a87bd80c:1`;

const queues = [
  queueSpec("jobs", { visibilityTimeoutSeconds: 10, deadLetter: { queue: "jobs-dlq", maxReceiveCount: 1 } }),
  queueSpec("jobs-dlq", { generated: true }),
];

interface Rig {
  readonly sqs: QueueService;
  readonly clock: ManualClock;
  readonly hops: HopInput[];
  reopen(): Rig;
}

function openRig(t: TestContext): Rig {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sqs-trace-"));
  const clock = new ManualClock();
  const hops: HopInput[] = [];
  let close = () => {};
  const open = (): Rig => {
    const db = openStore(join(dir, "app.db"));
    const sqs = createQueueService({
      db,
      clock,
      region: "eu-west-1",
      accountId: "123456789012",
      tracer: { record: (hop) => hops.push(hop) },
    });
    sqs.ensureQueues(queues);
    close = () => {
      sqs.close();
      db.close();
    };
    return {
      sqs,
      clock,
      hops,
      reopen: () => {
        close();
        return open();
      },
    };
  };
  t.after(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });
  return open();
}

describe("SQS trace headers and hops", () => {
  test("a message sent without a header starts a trace of its own, but receivers see no AWSTraceHeader", async (t) => {
    const { sqs, hops } = openRig(t);
    const sent = sqs.sendMessage("jobs", { body: "plain" });
    assert.equal(hops.length, 1);
    const [hop] = hops;
    assert.equal(hop?.kind, "send");
    assert.equal(hop?.source, "client");
    assert.equal(hop?.target, "queue:jobs");
    assert.equal(hop?.payload, "plain");
    assert.equal(hop?.requestId, sent.messageId);
    assert.equal(hop?.outcome, "success");
    assert.equal(hop?.parentHeader, undefined, "a new trace: the send is its first hop");
    assert.ok(traceRootOf(hop?.header), "the hop runs under a header with a Root");

    const [received] = await sqs.receiveMessages("jobs");
    assert.equal(received?.attributes.AWSTraceHeader, undefined, "AWS shows only a header the sender gave");
    assert.equal(received?.traceHeader, hop?.header, "local pollers continue the send hop");
  });

  test("a request's X-Amzn-Trace-Id becomes AWSTraceHeader, and the send hop is its child", async (t) => {
    const { sqs, hops } = openRig(t);
    sqs.sendMessage("jobs", { body: "traced", traceHeader: SENDER, source: "function:ingest" });
    const [hop] = hops;
    assert.equal(hop?.source, "function:ingest");
    assert.equal(hop?.parentHeader, SENDER);
    assert.equal(traceRootOf(hop?.header), ROOT, "the same trace");
    assert.notEqual(parentOf(hop?.header), parentOf(SENDER), "a segment of its own");

    const [received] = await sqs.receiveMessages("jobs");
    assert.equal(received?.attributes.AWSTraceHeader, SENDER);
    assert.equal(received?.traceHeader, hop?.header);
  });

  test("a send linked to a trace AWS would not pass on (a schedule's) continues it locally, receivers see no AWSTraceHeader", async (t) => {
    const { sqs, hops } = openRig(t);
    sqs.sendMessage("jobs", { body: "scheduled", linkedTraceHeader: SENDER, source: "schedule:nightly" });
    const [hop] = hops;
    assert.equal(hop?.parentHeader, SENDER);
    assert.equal(traceRootOf(hop?.header), ROOT, "the same trace locally");
    const [received] = await sqs.receiveMessages("jobs");
    assert.equal(received?.attributes.AWSTraceHeader, undefined, "AWS shows none");
    assert.equal(received?.traceHeader, hop?.header, "local pollers continue the send hop");
  });

  test("the AWSTraceHeader system attribute overrides the request's header", async (t) => {
    const { sqs, hops } = openRig(t);
    const attribute = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0123456789abcdef;Sampled=1`;
    sqs.sendMessage("jobs", {
      body: "both",
      traceHeader: SENDER,
      messageSystemAttributes: { AWSTraceHeader: { dataType: "String", stringValue: attribute } },
    });
    assert.equal(hops[0]?.parentHeader, attribute);
    assert.equal(traceRootOf(hops[0]?.header), "1-5759e988-bd862e3fe1be46a994272793");
    const [received] = await sqs.receiveMessages("jobs");
    assert.equal(received?.attributes.AWSTraceHeader, attribute);
  });

  test("SendMessageBatch records a send hop per accepted entry, none for a refused one", async (t) => {
    const { sqs, hops } = openRig(t);
    const result = sqs.sendMessageBatch("jobs", [
      { id: "a", body: "one", traceHeader: SENDER },
      { id: "b", body: "" },
      { id: "c", body: "three", source: "function:ingest" },
    ]);
    assert.equal(result.failed.length, 1);
    assert.deepEqual(
      hops.map((h) => [h.kind, h.payload, h.source, h.requestId]),
      result.successful.map((s, i) => [
        "send",
        ["one", "three"][i],
        ["client", "function:ingest"][i],
        s.messageId,
      ]),
    );
    assert.equal(traceRootOf(hops[0]?.header), ROOT);
    assert.notEqual(traceRootOf(hops[1]?.header), ROOT, "an entry without a header starts its own trace");
  });

  test("a FIFO duplicate is accepted without a hop: nothing was stored", async (t) => {
    const { sqs, hops } = openRig(t);
    sqs.ensureQueues([...queues, queueSpec("orders", { fifo: true })]);
    const input = { body: "once", messageGroupId: "g", messageDeduplicationId: "d" };
    sqs.sendMessage("orders", input);
    sqs.sendMessage("orders", input);
    assert.equal(hops.length, 1);
    assert.equal(hops[0]?.target, "queue:orders");
  });

  test("maxReceiveCount moving a message records a dead-letter hop, and the DLQ's receivers continue it", async (t) => {
    const { sqs, clock, hops } = openRig(t);
    const sent = sqs.sendMessage("jobs", { body: "poison", traceHeader: SENDER });
    const [first] = await sqs.receiveMessages("jobs");
    assert.ok(first);
    await clock.advance(10_000);
    assert.deepEqual(await sqs.receiveMessages("jobs"), [], "the second receive moves it");

    const dead = hops.find((h) => h.kind === "dead-letter");
    assert.ok(dead, `a dead-letter hop among ${hops.map((h) => h.kind).join(", ")}`);
    assert.equal(dead.source, "queue:jobs");
    assert.equal(dead.target, "queue:jobs-dlq");
    assert.equal(dead.attempt, 1, "the receive count");
    assert.equal(dead.payload, "poison");
    assert.equal(dead.requestId, sent.messageId);
    assert.equal(dead.parentHeader, first.traceHeader, "it follows the send hop");
    assert.equal(traceRootOf(dead.header), ROOT);
    assert.match(dead.detail ?? "", /maxReceiveCount 1/);

    const [parked] = await sqs.receiveMessages("jobs-dlq");
    assert.equal(parked?.traceHeader, dead.header);
    assert.equal(parked?.attributes.AWSTraceHeader, SENDER, "the sender's header stays what receivers see");
  });

  test("a redriven message keeps its trace, and the header survives a restart", async (t) => {
    let rig = openRig(t);
    rig.sqs.sendMessage("jobs", { body: "again", traceHeader: SENDER });
    await rig.sqs.receiveMessages("jobs");
    await rig.clock.advance(10_000);
    await rig.sqs.receiveMessages("jobs");
    const dead = rig.hops.find((h) => h.kind === "dead-letter");
    assert.ok(dead?.header);
    rig = rig.reopen();
    assert.equal(rig.sqs.redrive("jobs-dlq"), 1);
    const count = rig.hops.length;
    const [back] = await rig.sqs.receiveMessages("jobs");
    assert.equal(back?.traceHeader, dead.header);
    assert.equal(rig.hops.length, count, "redrive records no hop");
  });
});

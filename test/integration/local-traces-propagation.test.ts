/**
 * Traces across hops inside the local cloud (issue 20, slice T2): an invocation's trace header goes
 * with its route deliveries (a message's trace, an event's TraceHeader), an SQS mapping continues
 * its messages' traces, a failing consumer's retries and the dead-letter move stay in the message's
 * trace, and each schedule firing starts a trace of its own.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import type { TraceHop } from "../../src/local/traces/index.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { bundleFixture } from "../support/fixture-bundle.ts";
import { eventually } from "../support/poll.ts";
import { tempDir } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/trace-chain/handlers.mjs", import.meta.url));
const ROOT = /Root=([^;]+)/;

const DEFINITION = {
  name: "chain",
  queues: {
    work: {},
    seen: {},
    failures: {},
    jobs: { visibilityTimeout: "30 seconds", deadLetter: { maxReceiveCount: 2 } },
  },
  buses: { flow: {} },
  functions: {
    start: { handler: "handlers.start", routes: "work" },
    middle: { handler: "handlers.middle", consumes: { queue: "work" }, routes: "flow" },
    last: { handler: "handlers.last", routes: "seen" },
    flaky: { handler: "handlers.flaky", consumes: { queue: "jobs", batchSize: 1 } },
    tick: { handler: "handlers.tick", routes: "seen" },
    fan: { handler: "handlers.fan", routes: "worker" },
    worker: { handler: "handlers.worker", async: { maximumRetryAttempts: 1, onFailure: "failures" } },
    lost: { handler: "handlers.worker", async: { maximumRetryAttempts: 0 } },
  },
  rules: {
    relay: { bus: "flow", pattern: { source: ["sluice.chain.middle"] }, targets: [{ function: "last" }] },
  },
  schedules: { nightly: { expression: "cron(0 2 * * ? *)", target: { function: "tick" } } },
};

let bundleFile: string;
let cleanupBundle: () => void;
let cloud: LocalCloud;
let clock: ManualClock;
let cleanupState: () => void;

before(async () => {
  ({ file: bundleFile, cleanup: cleanupBundle } = await bundleFixture(FIXTURE, "sluice-trace-chain-"));
  const state = tempDir("sluice-trace-state-");
  cleanupState = state.cleanup;
  clock = new ManualClock();
  cloud = new LocalCloud({
    spec: normaliseApp(DEFINITION),
    stateDir: state.dir,
    clock,
    code: (fn) => ({ file: bundleFile, exportName: fn.handler.export }),
  });
  cloud.start();
});

after(async () => {
  await cloud?.close();
  cleanupState?.();
  cleanupBundle?.();
});

const rootOf = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : ROOT.exec(header)?.[1];

/** The trace's hops once `done` holds for them (the background work runs on its own). */
function hopsWhen(traceId: string, done: (hops: readonly TraceHop[]) => boolean, what: string) {
  return eventually(
    () => {
      const hops = cloud.traces.timeline(traceId)?.hops;
      return hops !== undefined && done(hops) ? hops : undefined;
    },
    what,
    { detail: () => JSON.stringify(cloud.traces.timeline(traceId)?.hops.map(brief)) },
  );
}

const brief = (h: TraceHop) => `${h.kind} ${h.source}→${h.target} #${h.attempt} ${h.hopId}<${h.parentId}`;

/** The hops from `hop` back to the trace's first, following each hop's parent. */
function ancestry(hops: readonly TraceHop[], hop: TraceHop): TraceHop[] {
  const byId = new Map(hops.map((h) => [h.hopId, h]));
  const chain = [hop];
  for (let at = hop; at.parentId !== undefined; ) {
    const parent = byId.get(at.parentId);
    if (parent === undefined) break;
    chain.push(parent);
    at = parent;
  }
  return chain;
}

describe("traces across a chain of hops", { timeout: 120_000 }, () => {
  test("function → queue → consumer → bus → rule → function is one trace, each hop the child of its cause", async () => {
    const result = await cloud.invoke("start", JSON.stringify({ id: "chain-1" }));
    const traceId = rootOf(result.traceHeader);
    assert.ok(traceId, `the invocation reports its header: ${result.traceHeader}`);
    assert.equal(rootOf(JSON.parse(result.payload).startTrace), traceId, "A ran under the header it reports");

    const [seen] = await eventually(async () => {
      const messages = await cloud.sqs.receiveMessages("seen");
      return messages.length > 0 ? messages : undefined;
    }, "C's routed message");
    const last = JSON.parse(seen?.body ?? "{}");
    assert.equal(rootOf(last.lastTrace), traceId, "C's _X_AMZN_TRACE_ID has A's Root");

    const hops = await hopsWhen(
      traceId,
      (hs) => hs.some((h) => h.kind === "send" && h.target === "queue:seen"),
      "the chain's last hop",
    );
    assert.ok(hops.every((h) => h.traceId === traceId));
    const ids = new Set(hops.map((h) => h.hopId));
    for (const hop of hops.slice(1)) {
      assert.ok(
        hop.parentId !== undefined && ids.has(hop.parentId),
        `${brief(hop)} has its cause in the trace`,
      );
    }
    const invokeC = hops.find((h) => h.kind === "invoke" && h.target === "function:last");
    assert.ok(invokeC, "C's invocation is in the trace");
    const path = ancestry(hops, invokeC).map((h) => `${h.kind} ${h.target}`);
    // C ← (the rule's delivery) ← put on flow ← B ← the message on work ← A.
    const expected = ["put bus:flow", "invoke function:middle", "send queue:work", "invoke function:start"];
    assert.deepEqual(
      path.filter((p) => expected.includes(p)),
      expected,
      `C's ancestry: ${path.join(" ← ")}`,
    );
    assert.equal(hops.find((h) => h.kind === "put")?.source, "function:middle", "B put the event");
    const invokeB = hops.find((h) => h.kind === "invoke" && h.target === "function:middle");
    assert.equal(invokeB?.source, "queue:work");
    const sendWork = hops.find((h) => h.kind === "send" && h.target === "queue:work");
    assert.equal(sendWork?.source, "function:start");
    assert.equal(invokeB?.parentId, sendWork?.hopId, "B's invocation is the child of the message's send");
  });

  test("a failing consumer's retries count up and the dead-letter move stays in the message's trace", async () => {
    const sent = cloud.sqs.sendMessage("jobs", { body: JSON.stringify({ id: "poison" }) });
    const summary = await eventually(
      () => cloud.traces.list({ resource: "queue:jobs" }).find((s) => s.hops > 0),
      "the message's trace",
    );
    const traceId = summary.traceId;
    const invokes = (hs: readonly TraceHop[]) =>
      hs.filter((h) => h.kind === "invoke" && h.target === "function:flaky");
    await hopsWhen(traceId, (hs) => invokes(hs).length >= 1, "the first attempt");
    await clock.advance(30_000);
    await hopsWhen(traceId, (hs) => invokes(hs).length >= 2, "the second attempt");
    await clock.advance(30_000);
    const hops = await hopsWhen(
      traceId,
      (hs) => hs.some((h) => h.kind === "dead-letter"),
      "the dead-letter hop",
    );
    assert.deepEqual(
      invokes(hops).map((h) => [h.attempt, h.outcome, h.source]),
      [
        [1, "error", "queue:jobs"],
        [2, "error", "queue:jobs"],
      ],
    );
    const send = hops.find((h) => h.kind === "send" && h.requestId === sent.messageId);
    assert.ok(send, "the send hop is the trace's");
    for (const invoke of invokes(hops)) assert.equal(invoke.parentId, send.hopId);
    const moved = hops.find((h) => h.kind === "dead-letter");
    assert.equal(moved?.target, "queue:jobs-dlq");
  });

  test("a triggered schedule starts a trace whose invocation is the schedule hop's child, leaving its next times", async () => {
    const before = cloud.scheduler.upcoming("nightly", 2);
    const { traceId } = cloud.scheduler.trigger("nightly");
    assert.deepEqual(cloud.scheduler.upcoming("nightly", 2), before, "next due times unchanged");
    const hops = await hopsWhen(
      traceId,
      (hs) => hs.some((h) => h.kind === "invoke" && h.target === "function:tick"),
      "the scheduled invocation",
    );
    const fired = hops.find((h) => h.kind === "schedule");
    assert.equal(fired?.source, "schedule:nightly");
    assert.equal(fired?.target, "function:tick");
    const invoke = hops.find((h) => h.kind === "invoke" && h.target === "function:tick");
    assert.equal(invoke?.source, "schedule:nightly");
    assert.equal(invoke?.parentId, fired?.hopId);
    assert.throws(() => cloud.scheduler.trigger("nope"), /SLUICE_UNKNOWN_SCHEDULE|no schedule "nope"/);
  });

  test("an async invocation's retries, its on-failure record and the message it becomes stay in the router's trace", async () => {
    const result = await cloud.invoke("fan", JSON.stringify({ id: "async-1" }));
    const traceId = rootOf(result.traceHeader) as string;
    const attempts = (hs: readonly TraceHop[]) =>
      hs.filter((h) => h.kind === "invoke" && h.target === "function:worker");
    await hopsWhen(traceId, (hs) => attempts(hs).length >= 1, "the first attempt");
    await clock.advance(60_000);
    const hops = await hopsWhen(
      traceId,
      (hs) => hs.some((h) => h.kind === "send" && h.target === "queue:failures"),
      "the on-failure record's message",
    );
    const fan = hops.find((h) => h.kind === "invoke" && h.target === "function:fan");
    assert.deepEqual(
      attempts(hops).map((h) => [h.attempt, h.outcome, h.source, h.parentId]),
      [
        [1, "error", "function:fan", fan?.hopId],
        [2, "error", "function:fan", fan?.hopId],
      ],
    );
    const destination = hops.find((h) => h.kind === "destination");
    assert.equal(destination?.source, "function:worker");
    assert.equal(destination?.target, "queue:failures");
    assert.equal(destination?.parentId, attempts(hops)[1]?.hopId, "the record reports the last attempt");
    const sent = hops.find((h) => h.kind === "send" && h.target === "queue:failures");
    assert.equal(sent?.source, "function:worker");
    assert.equal(sent?.parentId, destination?.hopId);
  });

  test("an async event with nowhere to go after its retries is a drop hop", async () => {
    const { requestId } = cloud.invokeAsync("lost", JSON.stringify({ id: "lost-1" }));
    const summary = await eventually(
      () =>
        cloud.traces.list({ resource: "function:lost" }).find((s) => s.outcome === "error" && s.hops >= 2),
      "the dropped event's trace",
    );
    const hops = await hopsWhen(summary.traceId, (hs) => hs.some((h) => h.kind === "drop"), "the drop hop");
    const drop = hops.find((h) => h.kind === "drop");
    const invoke = hops.find((h) => h.kind === "invoke");
    assert.equal(drop?.outcome, "dropped");
    assert.equal(drop?.requestId, requestId);
    assert.match(drop?.detail ?? "", /retries exhausted/);
    assert.equal(drop?.parentId, invoke?.hopId);
    assert.equal(invoke?.source, "client");
  });
});

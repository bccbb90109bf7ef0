import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { recordInvocation } from "../../src/local/lambda/invoke-hop.ts";
import type { InvokeResult } from "../../src/local/lambda/types.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import {
  childHeader,
  dropStateTraces,
  type HopInput,
  newTraceHeader,
  parentOf,
  TRACE_DETAIL_MAX_BYTES,
  TRACE_PAYLOAD_MAX_BYTES,
  TRACES_FILE,
  type TraceHop,
  TraceStore,
  traceRootOf,
} from "../../src/local/traces/index.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

const T0 = Date.UTC(2026, 0, 1);

let temp: TempDir;
/** The test's own connection to the traces file, beside the store's two (its reads, its writer's). */
let db: Db;
let file: string;
let clock: ManualClock;
let store: TraceStore;

beforeEach(() => {
  temp = tempDir("sluice-traces-");
  file = join(temp.dir, TRACES_FILE);
  clock = new ManualClock(T0);
  store = new TraceStore({ file, clock });
  db = openStore(file);
});

afterEach(() => {
  store.close();
  db.close();
  temp.cleanup();
});

function hop(header: string, fields: Partial<HopInput> = {}): HopInput {
  return {
    header,
    kind: "invoke",
    source: "client",
    target: "function:publish",
    startMs: T0,
    durationMs: 5,
    outcome: "success",
    payload: "{}",
    ...fields,
  };
}

/** A trace of three hops: client → queue:pages → function:publish → bus:default. */
function chain(startMs: number, outcome: HopInput["outcome"] = "success"): string {
  const send = newTraceHeader(startMs);
  const invoke = childHeader(send);
  const put = childHeader(invoke);
  store.record(hop(send, { kind: "send", target: "queue:pages", startMs, durationMs: 1 }));
  store.record(
    hop(invoke, {
      parentHeader: send,
      source: "queue:pages",
      startMs: startMs + 10,
      durationMs: 20,
      outcome,
      requestId: `req-${startMs}`,
    }),
  );
  store.record(
    hop(put, {
      parentHeader: invoke,
      kind: "put",
      source: "function:publish",
      target: "bus:default",
      startMs: startMs + 15,
      durationMs: 1,
    }),
  );
  return traceRootOf(send) as string;
}

describe("the trace store", () => {
  test("a trace's summary names its first hop and spans from its start to its last hop's end", () => {
    const invoke = newTraceHeader(T0);
    const send = childHeader(invoke);
    // The invocation's hop is recorded when it ends, after the send it made while running.
    store.record(
      hop(send, {
        parentHeader: invoke,
        kind: "send",
        source: "function:publish",
        target: "queue:pages",
        startMs: T0 + 3,
        durationMs: 1,
      }),
    );
    store.record(hop(invoke, { startMs: T0, durationMs: 40 }));
    const [summary, ...rest] = store.list();
    assert.equal(rest.length, 0);
    assert.equal(summary?.traceId, traceRootOf(invoke));
    assert.equal(summary?.source, "client");
    assert.equal(summary?.target, "function:publish");
    assert.equal(summary?.startMs, T0);
    assert.equal(summary?.durationMs, 40);
    assert.equal(summary?.hops, 2);
    assert.equal(summary?.outcome, "success");
    assert.deepEqual(summary?.resources, ["client", "function:publish", "queue:pages"]);
    assert.equal(summary?.lastSeq, store.latestSeq());
  });

  test("lists the newest traces first, the default 50 of them, at most 1000", () => {
    const ids = [];
    for (let i = 0; i < 1100; i++) {
      const header = newTraceHeader(T0 + i);
      store.record(hop(header, { startMs: T0 + i }));
      ids.push(traceRootOf(header));
    }
    const listed = store.list();
    assert.equal(listed.length, 50);
    assert.deepEqual(
      listed.slice(0, 3).map((s) => s.traceId),
      [ids[1099], ids[1098], ids[1097]],
    );
    assert.equal(store.list({ limit: 5000 }).length, 1000);
    assert.equal(store.list({ limit: 2 }).length, 2);
  });

  test("a trace with a failed hop, a dead-letter or a drop lists as an error, and --failed lists only those", () => {
    const ok = chain(T0);
    const failed = chain(T0 + 1000, "timeout");
    const dead = newTraceHeader(T0 + 2000);
    store.record(
      hop(dead, {
        kind: "dead-letter",
        source: "queue:pages",
        target: "queue:pages-dlq",
        detail: "maxReceiveCount 3",
      }),
    );
    const outcomes = new Map(store.list().map((s) => [s.traceId, s.outcome]));
    assert.equal(outcomes.get(ok), "success");
    assert.equal(outcomes.get(failed), "error");
    assert.equal(outcomes.get(traceRootOf(dead) as string), "error");
    assert.deepEqual(
      store
        .list({ failed: true })
        .map((s) => s.traceId)
        .sort(),
      [failed, traceRootOf(dead)].sort(),
    );
  });

  test("filters by a resource exactly as kind:name, or by a bare name of any kind", () => {
    const viaQueue = chain(T0);
    const direct = newTraceHeader(T0 + 50);
    store.record(hop(direct, { target: "function:pages", startMs: T0 + 50 }));
    const other = newTraceHeader(T0 + 60);
    store.record(hop(other, { target: "function:render", startMs: T0 + 60 }));
    const ids = (resource: string) =>
      store
        .list({ resource })
        .map((s) => s.traceId)
        .sort();
    assert.deepEqual(ids("queue:pages"), [viaQueue]);
    assert.deepEqual(ids("pages"), [viaQueue, traceRootOf(direct)].sort());
    assert.deepEqual(ids("function:render"), [traceRootOf(other)]);
    assert.deepEqual(ids("queue:render"), []);
  });

  test("filters by start time and by what is newer than a seq", () => {
    const first = chain(T0);
    const seq = store.latestSeq();
    const second = chain(T0 + 5000);
    assert.deepEqual(
      store.list({ sinceMs: T0 + 1 }).map((s) => s.traceId),
      [second],
    );
    assert.deepEqual(
      store.list({ untilMs: T0 + 1 }).map((s) => s.traceId),
      [first],
    );
    assert.deepEqual(
      store.list({ afterSeq: seq }).map((s) => s.traceId),
      [second],
    );
    // A trace that gains a hop is new again.
    store.record(
      hop(childHeader(newTraceHeader(T0).replace(/Root=[^;]+/, `Root=${first}`)), { startMs: T0 + 9000 }),
    );
    assert.deepEqual(
      store
        .list({ afterSeq: seq })
        .map((s) => s.traceId)
        .sort(),
      [first, second].sort(),
    );
  });

  test("a timeline has the trace's hops in time order, each with its parent, and its invocations' logs", () => {
    const traceId = chain(T0);
    store.log({ functionName: "publish", requestId: `req-${T0}`, text: "START", timestamp: T0 + 10 });
    store.log({ functionName: "publish", requestId: `req-${T0}`, text: "hello", timestamp: T0 + 11 });
    store.log({
      functionName: "publish",
      requestId: "another",
      text: "not this trace's",
      timestamp: T0 + 11,
    });
    store.log({ functionName: "publish", text: "INIT_REPORT without a request id", timestamp: T0 + 11 });
    const timeline = store.timeline(traceId);
    assert.ok(timeline);
    assert.deepEqual(
      timeline.hops.map((h) => h.kind),
      ["send", "invoke", "put"],
    );
    const [send, invoke, put] = timeline.hops as TraceHop[];
    assert.equal(send?.parentId, undefined);
    assert.equal(invoke?.parentId, send?.hopId);
    assert.equal(put?.parentId, invoke?.hopId);
    assert.equal(invoke?.requestId, `req-${T0}`);
    assert.equal(invoke?.attempt, 1);
    assert.deepEqual(timeline.logs, {
      [`req-${T0}`]: [
        { timestamp: T0 + 10, text: "START" },
        { timestamp: T0 + 11, text: "hello" },
      ],
    });
    assert.equal(store.timeline("1-00000000-000000000000000000000000"), undefined);
  });

  test("after a reopen, a new invocation's lines never show under an older invocation that logged nothing", () => {
    // A throttled invoke has a request id (and a log key) but no lines.
    const throttled = newTraceHeader(T0);
    store.record(hop(throttled, { outcome: "throttled", requestId: "throttled" }));
    store.close();
    store = new TraceStore({ file, clock });
    const later = newTraceHeader(T0 + 1);
    store.record(hop(later, { requestId: "later", startMs: T0 + 1 }));
    store.log({ functionName: "publish", requestId: "later", text: "START", timestamp: T0 + 1 });
    assert.deepEqual(store.timeline(traceRootOf(throttled) as string)?.logs.throttled ?? [], []);
    assert.deepEqual(store.timeline(traceRootOf(later) as string)?.logs, {
      later: [{ timestamp: T0 + 1, text: "START" }],
    });
  });

  test("a hop is found by its trace and id with its payload, and an unknown one is not", () => {
    const header = newTraceHeader(T0);
    store.record(
      hop(header, { payload: '{"site":"example.com"}', detail: "Error: boom", outcome: "error", attempt: 3 }),
    );
    const found = store.hop(traceRootOf(header) as string, parentOf(header) as string);
    assert.equal(found?.payload, '{"site":"example.com"}');
    assert.equal(found?.truncated, false);
    assert.equal(found?.detail, "Error: boom");
    assert.equal(found?.attempt, 3);
    assert.equal(store.hop(traceRootOf(header) as string, "0000000000000000"), undefined);
  });

  test("a payload over 256 KiB is cut on a character boundary and marked truncated", () => {
    const header = newTraceHeader(T0);
    // "é" is 2 bytes: an odd cut point would split one.
    const payload = `x${"é".repeat(TRACE_PAYLOAD_MAX_BYTES)}`;
    store.record(hop(header, { payload }));
    const found = store.hop(traceRootOf(header) as string, parentOf(header) as string);
    assert.equal(found?.truncated, true);
    assert.equal(Buffer.byteLength(found?.payload ?? ""), TRACE_PAYLOAD_MAX_BYTES - 1);
    assert.ok(payload.startsWith(found?.payload ?? "-"));
    assert.ok(!found?.payload.includes("\ufffd"), "no broken character");
    const exact = newTraceHeader(T0);
    store.record(hop(exact, { payload: "a".repeat(TRACE_PAYLOAD_MAX_BYTES) }));
    assert.equal(store.hop(traceRootOf(exact) as string, parentOf(exact) as string)?.truncated, false);
  });

  test("a hop's detail (a function's error message, of any size) is cut too", () => {
    const header = newTraceHeader(T0);
    store.record(hop(header, { outcome: "error", detail: `Error: ${"x".repeat(6 * 1024 * 1024)}` }));
    const found = store.hop(traceRootOf(header) as string, parentOf(header) as string);
    assert.equal(Buffer.byteLength(found?.detail ?? ""), TRACE_DETAIL_MAX_BYTES);
    assert.ok(found?.detail?.startsWith("Error: xxx"));
  });

  test("a hop whose header has no Root is still recorded, in a trace of its own", () => {
    store.record(hop("Sampled=1"));
    const [summary] = store.list();
    assert.match(summary?.traceId ?? "", /^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(store.timeline(summary?.traceId ?? "")?.hops[0]?.hopId.length, 16);
  });

  test("counts invocations and errors per function; a throttled invoke is neither", () => {
    chain(T0);
    chain(T0 + 1, "error");
    chain(T0 + 2, "timeout");
    store.record(hop(newTraceHeader(T0), { outcome: "throttled" }));
    store.record(hop(newTraceHeader(T0), { kind: "send", target: "queue:pages" }));
    assert.deepEqual([...store.invocationCounts()], [["publish", { invocations: 3, errors: 2 }]]);
  });

  test("an invocation an SQS batch runs for several traces counts once, as Lambda counts it", () => {
    const batch = newTraceHeader(T0);
    const linked = newTraceHeader(T0);
    const invocation = hop(childHeader(batch), {
      parentHeader: batch,
      source: "queue:pages",
      outcome: "error",
    });
    recordInvocation(
      {
        tracer: store,
        functionName: "publish",
        input: { payload: "{}", source: "queue:pages", traceHeader: batch, linkedHeaders: [linked] },
        header: invocation.header,
        startMs: T0,
        endMs: T0 + 5,
      },
      { requestId: "r1", payload: '{"errorType":"Error"}', functionError: "Unhandled" } as InvokeResult,
    );
    assert.equal(store.list().length, 2, "recorded in both traces");
    assert.deepEqual([...store.invocationCounts()], [["publish", { invocations: 1, errors: 1 }]]);
  });

  test("listeners hear of each hop once it is stored, with its seq, until they unsubscribe", () => {
    const heard: TraceHop[] = [];
    const stop = store.onHop((h) => heard.push(h));
    store.onHop(() => {
      throw new Error("a broken listener");
    });
    const header = newTraceHeader(T0);
    store.record(hop(header, { requestId: "r1" }));
    assert.equal(heard.length, 0, "not before it is stored");
    store.flush();
    assert.equal(heard.length, 1);
    assert.equal(heard[0]?.seq, store.latestSeq());
    assert.equal(heard[0]?.traceId, traceRootOf(header));
    assert.equal(heard[0]?.hopId, parentOf(header));
    assert.equal(heard[0]?.requestId, "r1");
    assert.equal(store.failures, 1, "the broken listener is counted, not thrown");
    stop();
    store.record(hop(newTraceHeader(T0)));
    store.flush();
    assert.equal(heard.length, 1);
  });

  test("queued hops are written a moment later without a read", async () => {
    const heard: TraceHop[] = [];
    store.onHop((h) => heard.push(h));
    store.record(hop(newTraceHeader(T0)));
    await new Promise<void>((resolve, reject) => {
      // The store's flush timer is unref'd (it never keeps a process alive), so this one keeps the
      // test's event loop alive until the write, and fails the test if none comes.
      const guard = setTimeout(() => reject(new Error("the queued hop was not written within 5 s")), 5000);
      const stop = store.onHop(() => {
        clearTimeout(guard);
        stop();
        resolve();
      });
    });
    assert.equal(heard.length, 1);
  });

  test("recording never throws into the service: a failure is counted and reported once", () => {
    const errors: unknown[] = [];
    const failing = new TraceStore({ file, clock, onError: (error) => errors.push(error) });
    db.exec("DROP TABLE trace_summaries");
    failing.record(hop(newTraceHeader(T0)));
    failing.record(hop(newTraceHeader(T0)));
    assert.doesNotThrow(() => failing.flush());
    failing.record(hop(newTraceHeader(T0)));
    assert.doesNotThrow(() => failing.flush());
    assert.equal(failing.failures, 3);
    assert.equal(errors.length, 1);
  });

  test("the trace tables an earlier Sluice kept in state.sqlite are dropped once; the rest stays", () => {
    const state = openStore(join(temp.dir, "state.sqlite"));
    try {
      state.exec(`CREATE TABLE schema_versions (surface TEXT PRIMARY KEY, version INTEGER NOT NULL);
        INSERT INTO schema_versions VALUES ('traces', 6), ('sqs', 3);
        CREATE TABLE trace_hops (seq INTEGER PRIMARY KEY); CREATE TABLE trace_logs (k);
        CREATE TABLE trace_summaries (k); CREATE TABLE trace_resources (k); CREATE TABLE queues (k);`);
      const tables = () =>
        (
          state.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
            name: string;
          }[]
        ).map((row) => row.name);
      dropStateTraces(state);
      assert.deepEqual(tables(), ["queues", "schema_versions"]);
      assert.deepEqual(state.prepare("SELECT surface FROM schema_versions").all(), [{ surface: "sqs" }]);
      dropStateTraces(state);
      assert.deepEqual(tables(), ["queues", "schema_versions"]);
    } finally {
      state.close();
    }
  });

  test("what was recorded survives a reopen, and seqs go on from there", () => {
    const traceId = chain(T0);
    const seq = store.latestSeq();
    store.close();
    store = new TraceStore({ file, clock });
    assert.equal(store.latestSeq(), seq);
    assert.equal(store.timeline(traceId)?.hops.length, 3);
    chain(T0 + 1);
    assert.equal(store.latestSeq(), seq + 3);
  });

  test("records after close are ignored", () => {
    store.close();
    store.record(hop(newTraceHeader(T0)));
    store.log({ functionName: "publish", requestId: "r", text: "late", timestamp: T0 });
    assert.equal(store.failures, 0);
    assert.equal(db.prepare("SELECT COUNT(*) AS n FROM trace_hops").get()?.constructor === Object, true);
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM trace_hops").get() as { n: number }).n, 0);
  });
});

/**
 * How the trace store writes (trace-writes.ts, trace-schema.ts): a payload two hops of one trace
 * share is stored once, a batch's hops fold into one summary row per trace exactly as hops taken
 * one at a time would, log lines of one invocation written in several batches read back in order,
 * and a file SQLite cannot read (damaged, or from an older Sluice) does not stop the store.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import {
  childHeader,
  type HopInput,
  newTraceHeader,
  parentOf,
  TRACES_FILE,
  type TraceHop,
  TraceStore,
  traceRootOf,
} from "../../src/local/traces/index.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

const T0 = Date.UTC(2026, 0, 1);
/** An API request's event: long enough to be shared, as a real one is. */
const EVENT = JSON.stringify({
  version: "2.0",
  routeKey: "GET /hello",
  rawPath: "/hello",
  headers: { a: "b" },
});

let temp: TempDir;
let file: string;
const opened: { close(): void }[] = [];

beforeEach(() => {
  temp = tempDir("sluice-trace-writes-");
  file = join(temp.dir, TRACES_FILE);
});

afterEach(() => {
  for (const handle of opened.splice(0)) handle.close();
  temp.cleanup();
});

function storeAt(path: string): TraceStore {
  const store = new TraceStore({ file: path, clock: new ManualClock(T0) });
  opened.push(store);
  return store;
}

function connection(path: string): Db {
  const db = openStore(path);
  opened.push(db);
  return db;
}

function hop(header: string, fields: Partial<HopInput> = {}): HopInput {
  return {
    header,
    kind: "invoke",
    source: "api:GET /hello",
    target: "function:hello",
    startMs: T0,
    durationMs: 2,
    outcome: "success",
    payload: EVENT,
    ...fields,
  };
}

/** An HTTP API request as the gateway records it: the invocation first, then the request around it. */
function request(store: TraceStore, startMs: number, payload = EVENT): { request: string; invoke: string } {
  const outer = newTraceHeader(startMs);
  const inner = childHeader(outer);
  store.record(hop(inner, { parentHeader: outer, startMs, payload, requestId: `r-${startMs}` }));
  store.record(hop(outer, { kind: "request", source: "client", target: "api:GET /hello", startMs, payload }));
  return { request: outer, invoke: inner };
}

describe("trace writes", () => {
  test("an API request and its invocation store their one event once; every read gives each hop its payload", () => {
    const store = storeAt(file);
    const heard: TraceHop[] = [];
    store.onHop((h) => heard.push(h));
    const { request: outer, invoke: inner } = request(store, T0);
    const traceId = traceRootOf(outer) as string;
    const timeline = store.timeline(traceId);
    assert.deepEqual(
      timeline?.hops.map((h) => [h.kind, h.payload]),
      [
        ["invoke", EVENT],
        ["request", EVENT],
      ],
    );
    // The request, recorded after its invocation but starting in its millisecond, names the trace.
    const [summary] = store.list();
    assert.deepEqual([summary?.source, summary?.target, summary?.hops], ["client", "api:GET /hello", 2]);
    assert.equal(store.hop(traceId, parentOf(outer) as string)?.payload, EVENT);
    assert.equal(store.hop(traceId, parentOf(inner) as string)?.payload, EVENT);
    assert.deepEqual(
      heard.map((h) => h.payload),
      [EVENT, EVENT],
    );
    const db = connection(file);
    const rows = db.prepare("SELECT payload, payload_seq FROM trace_hops ORDER BY seq").all();
    assert.deepEqual(rows, [
      { payload: EVENT, payload_seq: null },
      { payload: null, payload_seq: 1 },
    ]);
  });

  test("a payload is shared only within its trace and its batch, and only when it is the same text", () => {
    const store = storeAt(file);
    // Two traces with the same event: each keeps its own copy (traces are pruned one by one).
    request(store, T0);
    request(store, T0 + 1);
    store.flush();
    // The same trace's hops in two batches: the second batch's hop holds its own copy.
    const outer = newTraceHeader(T0 + 2);
    store.record(hop(childHeader(outer), { parentHeader: outer, startMs: T0 + 2 }));
    store.flush();
    store.record(
      hop(outer, { kind: "request", source: "client", target: "api:GET /hello", startMs: T0 + 2 }),
    );
    // Another text in one batch is its own.
    request(store, T0 + 3, `${EVENT} `);
    const other = newTraceHeader(T0 + 4);
    store.record(hop(childHeader(other), { parentHeader: other, startMs: T0 + 4 }));
    store.record(hop(other, { kind: "request", startMs: T0 + 4, payload: `${EVENT}x` }));
    store.flush();
    // Its hops written in two batches name the trace as one batch does.
    const split = store.list().find((t) => t.traceId === traceRootOf(outer));
    assert.deepEqual([split?.source, split?.target, split?.hops], ["client", "api:GET /hello", 2]);
    const db = connection(file);
    const held = db.prepare("SELECT COUNT(*) FROM trace_hops WHERE payload IS NOT NULL").pluck().get();
    const shared = db.prepare("SELECT COUNT(*) FROM trace_hops WHERE payload IS NULL").pluck().get();
    // Shared: the first two requests' and the fourth's (same text, same batch). Held: the rest.
    assert.equal(shared, 3);
    assert.equal(held, 7);
    for (const summary of store.list()) {
      for (const h of store.timeline(summary.traceId)?.hops ?? []) {
        assert.ok(h.payload.startsWith(EVENT), `${h.kind} of ${summary.traceId} has its payload`);
      }
    }
  });

  test("a trace's summary is the same whether its hops were written in one batch or one at a time", () => {
    const oneBatch = storeAt(file);
    const oneAtATime = storeAt(join(temp.dir, "one-at-a-time.sqlite"));
    // A deterministic mix: hops of three traces, out of time order, some naming the trace
    // (earlier, or in the same millisecond ending where the trace began), some failing.
    const roots = [newTraceHeader(T0), newTraceHeader(T0 + 100), newTraceHeader(T0 + 200)];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const targets = ["function:a", "queue:q", "bus:default", "api:GET /x", "client"];
    for (let i = 0; i < 60; i++) {
      const root = roots[next(3)] as string;
      const input = hop(childHeader(root), {
        parentHeader: root,
        source: targets[next(5)] as string,
        target: targets[next(5)] as string,
        startMs: T0 + next(300),
        durationMs: next(50),
        outcome: next(10) === 0 ? "error" : "success",
      });
      oneBatch.record(input);
      oneAtATime.record(input);
      oneAtATime.flush();
    }
    const summaries = oneBatch.list();
    assert.equal(summaries.length, 3);
    assert.deepEqual(summaries, oneAtATime.list());
    assert.ok(summaries.some((s) => s.outcome === "error"));
  });

  test("an invocation's log lines written over several batches read back in order", () => {
    const store = storeAt(file);
    const { request: outer } = request(store, T0);
    const line = (text: string, at: number) =>
      store.log({ functionName: "hello", requestId: `r-${T0}`, text, timestamp: T0 + at });
    line("START", 0);
    line("one", 1);
    store.flush();
    line("two", 2);
    line("END", 3);
    store.flush();
    line("REPORT", 4);
    const logs = store.timeline(traceRootOf(outer) as string)?.logs[`r-${T0}`];
    assert.deepEqual(
      logs?.map((l) => [l.timestamp - T0, l.text]),
      [
        [0, "START"],
        [1, "one"],
        [2, "two"],
        [3, "END"],
        [4, "REPORT"],
      ],
    );
  });

  test("a traces file SQLite cannot read is set aside and a new one begun", () => {
    const garbage = "not a database, whatever a crash left here ".repeat(100);
    writeFileSync(file, garbage);
    const store = storeAt(file);
    const { request: outer } = request(store, T0);
    assert.equal(store.timeline(traceRootOf(outer) as string)?.hops.length, 2);
    assert.equal(readFileSync(`${file}.damaged`, "utf8"), garbage);
    assert.equal(store.failures, 0);
  });

  test("a file an earlier Sluice wrote (version 1 tables) is upgraded: its traces dropped, recording goes on", () => {
    const old = connection(file);
    old.exec(`CREATE TABLE schema_versions (surface TEXT PRIMARY KEY, version INTEGER NOT NULL);
      INSERT INTO schema_versions VALUES ('traces', 7);
      CREATE TABLE trace_hops (seq INTEGER PRIMARY KEY, trace_id TEXT, payload TEXT NOT NULL);
      CREATE TABLE trace_summaries (trace_id TEXT PRIMARY KEY);
      CREATE TABLE trace_resources (name TEXT, resource TEXT, trace_id TEXT);
      CREATE TABLE trace_logs (log_key INTEGER, line INTEGER, text TEXT);
      INSERT INTO trace_hops VALUES (1, '1-00000000-000000000000000000000001', 'old');`);
    const store = storeAt(file);
    assert.equal(store.latestSeq(), 0);
    request(store, T0);
    assert.equal(store.list().length, 1);
    assert.equal(existsSync(`${file}.damaged`), false);
  });
});

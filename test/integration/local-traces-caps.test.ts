import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import {
  childHeader,
  type HopInput,
  newTraceHeader,
  TRACE_LOG_BYTES_PER_REQUEST,
  TRACE_LOG_LINES_PER_REQUEST,
  TRACE_MAX_HOPS,
  TRACES_FILE,
  TraceStore,
  traceRootOf,
} from "../../src/local/traces/index.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

const T0 = Date.UTC(2026, 0, 1);

let temp: TempDir;
let db: Db;
let store: TraceStore;

beforeEach(() => {
  temp = tempDir("sluice-trace-caps-");
  const file = join(temp.dir, TRACES_FILE);
  store = new TraceStore({ file, clock: new ManualClock(T0) });
  db = openStore(file);
});

afterEach(() => {
  store.close();
  db.close();
  temp.cleanup();
});

function invoke(header: string, requestId: string, startMs = T0): HopInput {
  return {
    header,
    kind: "invoke",
    source: "client",
    target: "function:chatty",
    startMs,
    durationMs: 1,
    outcome: "success",
    payload: "{}",
    requestId,
  };
}

function logsOf(traceId: string, requestId: string): readonly { text: string }[] {
  return store.timeline(traceId)?.logs[requestId] ?? [];
}

describe("the trace store's caps", () => {
  test("keeps at most 200 log lines of an invocation, the last saying the rest were dropped", () => {
    const header = newTraceHeader(T0);
    for (let i = 0; i < 250; i++)
      store.log({ functionName: "chatty", requestId: "r1", text: `line ${i}`, timestamp: T0 });
    store.record(invoke(header, "r1"));
    const lines = logsOf(traceRootOf(header) as string, "r1");
    assert.equal(lines.length, TRACE_LOG_LINES_PER_REQUEST);
    assert.equal(lines[0]?.text, "line 0");
    assert.equal(lines[198]?.text, "line 198");
    assert.match(lines[199]?.text ?? "", /not kept/);
    // Another invocation is capped on its own.
    store.log({ functionName: "chatty", requestId: "r2", text: "hello", timestamp: T0 });
    const other = newTraceHeader(T0);
    store.record(invoke(other, "r2"));
    assert.deepEqual(
      logsOf(traceRootOf(other) as string, "r2").map((l) => l.text),
      ["hello"],
    );
  });

  test("keeps at most 64 KiB of an invocation's log, cutting the line that crosses it on a character", () => {
    const header = newTraceHeader(T0);
    const line = "é".repeat(5000); // 10,000 bytes
    for (let i = 0; i < 10; i++)
      store.log({ functionName: "chatty", requestId: "r1", text: line, timestamp: T0 });
    store.record(invoke(header, "r1"));
    const lines = logsOf(traceRootOf(header) as string, "r1");
    const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l.text), 0);
    assert.ok(bytes <= TRACE_LOG_BYTES_PER_REQUEST, `${bytes} bytes`);
    assert.ok(bytes > TRACE_LOG_BYTES_PER_REQUEST - 400, `nearly all the room is used: ${bytes} bytes`);
    assert.match(lines.at(-1)?.text ?? "", /not kept/);
    const cut = lines.at(-2)?.text ?? "";
    assert.ok(cut.length < line.length && line.startsWith(cut), "the crossing line is cut");
    assert.ok(!cut.includes("\ufffd"));
  });

  test("an async retry's lines, under the same request id, share its cap and its place in the timeline", () => {
    const first = newTraceHeader(T0);
    for (let i = 0; i < 150; i++)
      store.log({ functionName: "chatty", requestId: "r1", text: `try 1: ${i}`, timestamp: T0 });
    store.record(invoke(first, "r1"));
    for (let i = 0; i < 150; i++)
      store.log({ functionName: "chatty", requestId: "r1", text: `try 2: ${i}`, timestamp: T0 + 60_000 });
    store.record({ ...invoke(childHeader(first), "r1", T0 + 60_000), attempt: 2 });
    const lines = logsOf(traceRootOf(first) as string, "r1");
    assert.equal(lines.length, TRACE_LOG_LINES_PER_REQUEST);
    assert.equal(lines[150]?.text, "try 2: 0");
  });

  test(`beyond ${TRACE_MAX_HOPS} hops the oldest traces are deleted whole, with their log lines, a batch at a time`, () => {
    // The oldest trace gains a hop at the very end: it still goes whole, that hop too.
    const oldest = newTraceHeader(T0);
    store.log({ functionName: "chatty", requestId: "old", text: "from the oldest", timestamp: T0 });
    store.record(invoke(oldest, "old"));
    const PER_TRACE = 10;
    for (let h = 1; h < PER_TRACE; h++)
      store.record({ ...invoke(childHeader(oldest), "old"), kind: "send", target: "queue:q" });
    let recorded = PER_TRACE;
    let newest = "";
    for (let t = 1; recorded < TRACE_MAX_HOPS; t++) {
      const header = newTraceHeader(T0 + t);
      newest = traceRootOf(header) as string;
      for (let h = 0; h < PER_TRACE && recorded < TRACE_MAX_HOPS; h++, recorded++) {
        store.record({
          ...invoke(childHeader(header), `r${t}`, T0 + t),
          kind: h === 0 ? "invoke" : "send",
          target: "queue:q",
        });
      }
    }
    store.flush();
    const count = () => (db.prepare("SELECT COUNT(*) AS n FROM trace_hops").get() as { n: number }).n;
    assert.equal(count(), TRACE_MAX_HOPS, "at the cap, nothing is pruned");
    store.record(invoke(childHeader(oldest), "old-2", T0 + 1));
    store.flush();
    const left = count();
    assert.ok(left < TRACE_MAX_HOPS - 1000, `pruned in a batch: ${left} hops left`);
    assert.equal(left % PER_TRACE, 0, "whole traces only");
    assert.equal(store.timeline(traceRootOf(oldest) as string), undefined);
    assert.equal(
      (db.prepare("SELECT COUNT(*) AS n FROM trace_logs WHERE request_id = 'old'").get() as { n: number }).n,
      0,
    );
    assert.equal(store.timeline(newest)?.hops.length, PER_TRACE, "the newest trace is whole");
    const summaries = (db.prepare("SELECT SUM(hops) AS n FROM trace_summaries").get() as { n: number }).n;
    assert.equal(summaries, left, "the summaries count what is left");
    assert.equal(store.list({ resource: "client" }).length, 50);
  });
});

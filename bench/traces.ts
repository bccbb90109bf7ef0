/**
 * `npm run bench -- traces`: the trace store (src/local/traces/) on a file with the store's pragmas.
 * 1. Recording: what one warm invocation costs the store (an `invoke` hop and its three platform
 *    log lines, START, END and REPORT), queued and handed to the writer thread in batches as the
 *    cloud does: the main thread's share (what a service pays) and the time until all is written,
 *    against a baseline of plain prepared INSERTs of the same rows into tables without indexes, one
 *    transaction per batch, on the main thread.
 * 2. Writing at the hop cap: what the writer thread spends per HTTP API request (a request hop and
 *    its invocation's hop carrying one event, START/END/REPORT), past TRACE_MAX_HOPS so pruning
 *    runs, against a baseline of plain INSERTs of the same rows (both payloads) without indexes.
 * 3. Reading with 10,000 traces (30,000 hops) recorded: `list` (newest 50, failed, by resource,
 *    by bare name) and `timeline`, against a plain SELECT of the same rows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../src/local/clock/clock.ts";
import { openStore } from "../src/local/store/index.ts";
import {
  childHeader,
  newTraceHeader,
  TRACE_MAX_HOPS,
  TraceStore,
  traceRootOf,
} from "../src/local/traces/index.ts";
import { threadCpuUs } from "./process-cpu.ts";
import { median } from "./stats.ts";

const RECORDED = 20_000;
const TRACES = 10_000;
const READS = 200;
const T0 = Date.UTC(2026, 0, 1);
const PAYLOAD = JSON.stringify({ hello: "world", n: 42 });
const LINES = [
  "START RequestId: 6f1c2d3e-0000-4000-8000-000000000000 Version: $LATEST",
  "END RequestId: 6f1c2d3e-0000-4000-8000-000000000000",
  "REPORT RequestId: 6f1c2d3e-0000-4000-8000-000000000000\tDuration: 0.21 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
];

function timeEach(n: number, fn: (i: number) => void): number[] {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

function µs(ms: number): string {
  return `${(ms * 1000).toFixed(1)} µs`;
}

function recording(dir: string): void {
  const db = openStore(join(dir, "plain.sqlite"), { exclusive: true });
  const store = new TraceStore({ file: join(dir, "record.sqlite"), clock: new ManualClock(T0) });
  db.exec(`CREATE TABLE plain_hops (trace_id, hop_id, kind, source, target, start_ms, duration_ms, outcome, payload, request_id);
    CREATE TABLE plain_logs (request_id, function, ts, text);`);
  const hop = db.prepare("INSERT INTO plain_hops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const log = db.prepare("INSERT INTO plain_logs VALUES (?, ?, ?, ?)");
  const batch = db.transaction((rows: number) => {
    for (let i = 0; i < rows; i++) {
      const requestId = `r${i}`;
      hop.run("1-x", "h", "invoke", "client", "function:f0", T0, 0, "success", PAYLOAD, requestId);
      for (const text of LINES) log.run(requestId, "f0", T0, text);
    }
  });
  const ROUNDS = 5;
  const plain: number[] = [];
  const traced: number[] = [];
  const written: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    for (let i = 0; i < RECORDED; i += 400) batch(400);
    plain.push((performance.now() - started) / RECORDED);
    started = performance.now();
    for (let i = 0; i < RECORDED; i++) {
      const requestId = `${round}-${i}`;
      for (const text of LINES) store.log({ functionName: "f0", requestId, text, timestamp: T0 });
      // A clock that moves as a busy dev's does: a few invocations per millisecond.
      const now = T0 + round * RECORDED + i / 4;
      store.record({
        header: newTraceHeader(now),
        kind: "invoke",
        source: "client",
        target: "function:f0",
        startMs: now,
        durationMs: 0,
        outcome: "success",
        payload: PAYLOAD,
        requestId,
      });
      // What a 20 ms window holds at ~50 µs per warm invoke; latestSeq hands the queue over.
      if (i % 400 === 399) store.latestSeq();
    }
    store.latestSeq();
    traced.push((performance.now() - started) / RECORDED);
    store.flush();
    written.push((performance.now() - started) / RECORDED);
  }
  console.log(
    `recording one warm invocation (1 hop + 3 log lines), median of ${ROUNDS} rounds of ${RECORDED}`,
  );
  console.log(`baseline  plain INSERTs, no indexes       ${µs(median(plain))}`);
  console.log(
    `sluice    record + log + flush, main thread ${µs(median(traced))}   ratio ${(median(traced) / median(plain)).toFixed(2)}×`,
  );
  console.log(
    `sluice    … until the writer has written    ${µs(median(written))}   ratio ${(median(written) / median(plain)).toFixed(2)}×`,
  );
  store.close();
  db.close();
}

/** An HTTP API event as the gateway builds it (~900 bytes). */
const EVENT = JSON.stringify({
  version: "2.0",
  routeKey: "GET /hello",
  rawPath: "/hello",
  rawQueryString: "",
  headers: { host: "127.0.0.1:3000", "user-agent": "bench", accept: "*/*", "x-forwarded-proto": "http" },
  requestContext: {
    accountId: "000000000000",
    apiId: "52skf30dvk",
    domainName: "127.0.0.1:3000",
    http: { method: "GET", path: "/hello", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" },
    requestId: "ssiGsWFDWGt5JNA=",
    routeKey: "GET /hello",
    stage: "$default",
    time: "07/Dec/2026:04:09:02 +0000",
    timeEpoch: 1796616542539,
  },
  isBase64Encoded: false,
});

function writing(dir: string): void {
  const WARM = TRACE_MAX_HOPS / 2;
  const MEASURED = 30_000;
  const store = new TraceStore({ file: join(dir, "write.sqlite"), clock: new ManualClock(T0) });
  const record = (i: number) => {
    const now = T0 + i / 4;
    const outer = newTraceHeader(now);
    const inner = childHeader(outer);
    const requestId = `w-${i}`;
    for (const text of LINES) store.log({ functionName: "hello", requestId, text, timestamp: now });
    const hop = { startMs: now, durationMs: 1, outcome: "success", payload: EVENT } as const;
    store.record({
      ...hop,
      header: inner,
      parentHeader: outer,
      kind: "invoke",
      source: "api:GET /hello",
      target: "function:hello",
      requestId,
    });
    store.record({ ...hop, header: outer, kind: "request", source: "client", target: "api:GET /hello" });
    // What a 20 ms window holds at a few thousand requests a second.
    if (i % 80 === 79) store.latestSeq();
  };
  for (let i = 0; i < WARM; i++) record(i);
  store.flush();
  const cpu = process.cpuUsage();
  const main = threadCpuUs(process.pid, process.pid);
  for (let i = WARM; i < WARM + MEASURED; i++) record(i);
  store.flush();
  const all = process.cpuUsage(cpu);
  const mainAfter = threadCpuUs(process.pid, process.pid);
  store.close();
  const writer = (all.user + all.system - ((mainAfter ?? 0) - (main ?? 0))) / MEASURED;
  // The baseline: the same rows, both payloads, plain INSERTs in batches of 80 requests.
  const db = openStore(join(dir, "write-plain.sqlite"), { exclusive: true });
  db.exec(`CREATE TABLE plain_hops (trace_id, hop_id, kind, source, target, start_ms, duration_ms, outcome, payload, request_id);
    CREATE TABLE plain_logs (request_id, function, ts, text);`);
  const hop = db.prepare("INSERT INTO plain_hops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const log = db.prepare("INSERT INTO plain_logs VALUES (?, ?, ?, ?)");
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + 80; i++) {
      const requestId = `w-${i}`;
      hop.run("1-x", "h1", "invoke", "api:GET /hello", "function:hello", T0, 1, "success", EVENT, requestId);
      hop.run("1-x", "h0", "request", "client", "api:GET /hello", T0, 1, "success", EVENT, "r");
      for (const text of LINES) log.run(requestId, "hello", T0, text);
    }
  });
  const plainCpu = process.cpuUsage();
  for (let i = 0; i < MEASURED; i += 80) batch(i);
  const plainAll = process.cpuUsage(plainCpu);
  db.close();
  const plain = (plainAll.user + plainAll.system) / MEASURED;
  console.log(
    `\nwriting at the hop cap (${TRACE_MAX_HOPS} hops; pruning runs), ${MEASURED} HTTP API requests measured`,
  );
  console.log(`baseline  plain INSERTs of the rows, no indexes   ${plain.toFixed(1)} µs CPU per request`);
  console.log(
    `sluice    writer thread (and V8's), per request     ${writer.toFixed(1)} µs CPU per request   ratio ${(writer / plain).toFixed(2)}×`,
  );
}

function reading(dir: string): void {
  const file = join(dir, "read.sqlite");
  const store = new TraceStore({ file, clock: new ManualClock(T0) });
  // The baseline's own connection to the same file (the store's is not shared).
  const db = openStore(file);
  const ids: string[] = [];
  for (let i = 0; i < TRACES; i++) {
    const startMs = T0 + i * 1000;
    const send = newTraceHeader(startMs);
    const invoke = childHeader(send);
    const queue = `queue:q${i % 20}`;
    store.record({
      header: send,
      kind: "send",
      source: "client",
      target: queue,
      startMs,
      durationMs: 1,
      outcome: "success",
      payload: PAYLOAD,
    });
    store.record({
      header: invoke,
      parentHeader: send,
      kind: "invoke",
      source: queue,
      target: `function:f${i % 20}`,
      startMs: startMs + 5,
      durationMs: 20,
      outcome: i % 50 === 0 ? "error" : "success",
      payload: PAYLOAD,
      requestId: `r${i}`,
    });
    store.record({
      header: childHeader(invoke),
      parentHeader: invoke,
      kind: "put",
      source: `function:f${i % 20}`,
      target: "bus:default",
      startMs: startMs + 10,
      durationMs: 1,
      outcome: "success",
      payload: PAYLOAD,
    });
    for (const text of LINES)
      store.log({ functionName: `f${i % 20}`, requestId: `r${i}`, text, timestamp: startMs + 5 });
    ids.push(traceRootOf(send) as string);
  }
  store.list({ limit: 1 });
  const newest = db.prepare("SELECT * FROM trace_summaries ORDER BY start_ms DESC LIMIT 50");
  const hops = db.prepare("SELECT * FROM trace_hops WHERE trace_id = ?");
  const cases: [string, () => unknown, () => unknown][] = [
    ["list() newest 50", () => store.list(), () => newest.all()],
    ["list({ failed }) 50", () => store.list({ failed: true }), () => newest.all()],
    ["list({ resource: queue:q3 }) 50", () => store.list({ resource: "queue:q3" }), () => newest.all()],
    ["list({ resource: q3 }) 50", () => store.list({ resource: "q3" }), () => newest.all()],
    [
      "list({ afterSeq: last - 30 })",
      () => store.list({ afterSeq: store.latestSeq() - 30 }),
      () => newest.all(),
    ],
    [
      "timeline(id) 3 hops + logs",
      () => store.timeline(ids[Math.floor(Math.random() * TRACES)] as string),
      () => hops.all(ids[Math.floor(Math.random() * TRACES)]),
    ],
  ];
  console.log(`\nreading with ${TRACES} traces (${TRACES * 3} hops) recorded, median of ${READS}`);
  console.log("query                              sluice      baseline (plain SELECT of the rows)  ratio");
  for (const [name, traced, plain] of cases) {
    const a = median(timeEach(READS, traced));
    const b = median(timeEach(READS, plain));
    console.log(
      `${name.padEnd(34)} ${µs(a).padStart(10)}  ${µs(b).padStart(10)}                          ${(a / b).toFixed(2)}×`,
    );
  }
  store.close();
  db.close();
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-traces-"));
  try {
    recording(dir);
    writing(dir);
    reading(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

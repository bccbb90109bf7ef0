/**
 * The trace store: every hop the local cloud's services record, and the log lines of the
 * invocations among them, in a SQLite file of their own beside the app's state (traces.sqlite).
 * Recording is on every service's hot path (a warm invoke costs tens of microseconds), so `record`
 * and `log` only queue rows in memory; every few milliseconds (TRACE_FLUSH_DELAY_MS) they are
 * handed to the writer thread (trace-writer.ts), which writes each batch in one transaction. Seqs
 * are given here, as hops are recorded, so listeners hear of hops without waiting for the writer;
 * a read (list, timeline, hop) waits for the batches before it, on its own connection.
 * Traces are diagnostics, not acknowledged data: their file is apart from the state the cloud
 * holds with an exclusive lock, so two connections can use it.
 * Recording never throws into the service: a failure is counted and reported once (`onError`).
 * Caps (trace-limits.ts): payloads cut at 256 KiB, at most 100,000 hops (the oldest traces are
 * deleted whole, a batch at a time), 200 lines / 64 KiB of log per invocation.
 */

import { join } from "node:path";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { Mutable } from "../../model/mutable.ts";
import type { Clock } from "../clock/index.ts";
import { distScriptPath } from "../dist-script.ts";
import type { Db } from "../store/index.ts";
import { LogCaps } from "./log-caps.ts";
import { RecentPayloads } from "./recent-payloads.ts";
import { newTraceHeader, parentOf, traceRootOf } from "./trace-header.ts";
import {
  TRACE_DETAIL_MAX_BYTES,
  TRACE_FLUSH_DELAY_MS,
  TRACE_FLUSH_MAX_ROWS,
  TRACE_PAYLOAD_MAX_BYTES,
  TRACE_WRITE_WAIT_MS,
} from "./trace-limits.ts";
import { TraceQueries } from "./trace-query.ts";
import { HIGHEST_LOG_KEY, openTraceFile } from "./trace-schema.ts";
import {
  type TraceWriteFailure,
  type TraceWriterInit,
  type TraceWriterMessage,
  WRITTEN_SLOT,
} from "./trace-writer-protocol.ts";
import { HOP, HOP_COLUMNS, LOG_COLUMNS, type TraceRows } from "./trace-writes.ts";
import type {
  HopInput,
  HopKind,
  HopOutcome,
  TraceHop,
  TraceQuery,
  Tracer,
  TraceSummary,
  TraceTimeline,
} from "./types.ts";
import { cutUtf8 } from "./utf8-cut.ts";

export interface TraceStoreOptions {
  /**
   * The traces' SQLite file; created with its tables when missing.
   * @example file: join(stateDir, TRACES_FILE)
   */
  readonly file: string;
  /** The cloud's clock: a hop whose header has no Root starts a trace dated by it. */
  readonly clock: Clock;
  /**
   * Told of the first failure to record (a full disk, a closed file), once; later ones are only
   * counted (`failures`). Recording never throws into the service that records.
   * @default failures are only counted
   * @example onError: (error) => console.error("traces are not being recorded:", error)
   */
  readonly onError?: (error: unknown) => void;
}

/** A log line as the Lambda service emits it (LogLine of local/lambda). */
export interface TraceLogInput {
  readonly functionName: string;
  /** Lines without one (an environment's INIT_REPORT) belong to no invocation and are not kept. */
  readonly requestId?: string | undefined;
  readonly text: string;
  readonly timestamp: number;
}

export interface InvocationCount {
  readonly invocations: number;
  readonly errors: number;
}

const FUNCTION_PREFIX = "function:";
/** The trace store's file in a state folder, beside the cloud's state.sqlite. */
export const TRACES_FILE = "traces.sqlite";
const WRITER_SCRIPT = join("dist", "local", "traces", "trace-writer.js");

export class TraceStore implements Tracer {
  private readonly clock: Clock;
  /** The main thread's connection: migrations and reads; the writer thread has its own. */
  private readonly db: Db;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly queries: TraceQueries;
  /** Started with the first batch: a cloud that records nothing starts no thread. */
  private writer: Worker | undefined;
  private readonly file: string;
  private readonly progress = new Int32Array(new SharedArrayBuffer(4));
  private readonly failurePort: MessagePort;
  /** The failure port's other end, given to the writer when it starts. */
  private readonly writerPort: MessagePort;
  /** The number of the last batch handed to the writer. */
  private batch = 0;
  /** The writer did not answer in time once: reads stop waiting for it. */
  private writerLost = false;
  private readonly caps: LogCaps;
  private readonly listeners = new Set<(hop: TraceHop) => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly counts = new Map<string, { invocations: number; errors: number }>();
  private pendingHops: TraceRows = [];
  private pendingLogs: TraceRows = [];
  /** The payloads of the last hops queued in this batch, which a later hop of their trace may share. */
  private readonly recentPayloads = new RecentPayloads();
  private timer: NodeJS.Timeout | undefined;
  /** The segment id of the invoke hop counted last (its linked copies are not counted again). */
  private countedHop: string | undefined;
  private lastSeq: number;
  private closed = false;
  private reported = false;
  /** Hops and log lines that could not be recorded, and listeners that threw. */
  failures = 0;

  constructor(options: TraceStoreOptions) {
    this.clock = options.clock;
    this.onError = options.onError;
    this.db = openTraceFile(options.file);
    this.queries = new TraceQueries(this.db);
    // Hops hold keys too: one that logged nothing (a throttled invoke) would otherwise share its key
    // with the next invocation after a reopen, and show that invocation's lines as its own.
    const key = this.db.prepare(HIGHEST_LOG_KEY).get() as { key: number };
    this.caps = new LogCaps(key.key + 1);
    this.lastSeq = (
      this.db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM trace_hops").get() as { seq: number }
    ).seq;
    this.file = options.file;
    const failures = new MessageChannel();
    this.failurePort = failures.port1;
    this.writerPort = failures.port2;
  }

  record(input: HopInput): void {
    if (this.closed) return;
    try {
      const hopId = this.queueHop(input, this.lastSeq + 1);
      this.lastSeq += 1;
      // An invocation an SQS batch runs for messages of several traces is recorded in each, as
      // the same segment (invoke-hop.ts), one right after another: Lambda counts it once.
      if (input.kind === "invoke" && input.target.startsWith(FUNCTION_PREFIX) && hopId !== this.countedHop) {
        this.countedHop = hopId;
        this.count(input);
      }
      this.schedule();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Keeps a log line of an invocation (by its request id), within the per-invocation cap. */
  log(line: TraceLogInput): void {
    if (this.closed || line.requestId === undefined) return;
    try {
      const { requestId, functionName, timestamp } = line;
      const whole = this.caps.admitWhole(requestId, line.text);
      if (whole > 0) {
        const logKey = this.caps.keyOf(requestId);
        this.pendingLogs.push(logKey, whole, requestId, functionName, timestamp, line.text);
      } else {
        for (const { key, line: number, text } of this.caps.admit(requestId, line.text)) {
          this.pendingLogs.push(key, number, requestId, functionName, timestamp, text);
        }
      }
      this.schedule();
    } catch (error) {
      this.fail(error);
    }
  }

  /** The newest traces first, filtered as `query` asks. */
  list(query: TraceQuery = {}): TraceSummary[] {
    this.flush();
    return this.queries.list(query);
  }

  /** One trace's hops in time order and its invocations' log lines; undefined when unknown. */
  timeline(traceId: string): TraceTimeline | undefined {
    this.flush();
    return this.queries.timeline(traceId);
  }

  /** One hop with its whole stored payload (what a replay sends again). */
  hop(traceId: string, hopId: string): TraceHop | undefined {
    this.flush();
    return this.queries.hop(traceId, hopId);
  }

  /**
   * Invocations and errors per function since this store opened, as Lambda's metrics count them:
   * a throttled invocation is neither, a timeout is an error.
   * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
   */
  invocationCounts(): Map<string, InvocationCount> {
    return new Map([...this.counts].map(([name, count]) => [name, { ...count }]));
  }

  /**
   * The seq of the newest hop recorded (0 when none): the cursor of "what is new since". The
   * listeners have heard of every hop up to it.
   */
  latestSeq(): number {
    this.handOver();
    return this.lastSeq;
  }

  /** Calls `listener` with each hop once it is stored (with its seq). Returns the unsubscribe. */
  onHop(listener: (hop: TraceHop) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Calls `listener` once when the store closes (the cloud reloads or stops), so a waiter on
   * `onHop` answers then rather than waiting for a hop that will never come. Returns the unsubscribe.
   */
  onClose(listener: () => void): () => void {
    if (this.closed) {
      queueMicrotask(listener);
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => {
      this.closeListeners.delete(listener);
    };
  }

  /** Hands what is queued to the writer, then tells the listeners. */
  private handOver(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.takeFailures();
    if (this.pendingHops.length === 0 && this.pendingLogs.length === 0) return;
    const hops = this.pendingHops;
    const logs = this.pendingLogs;
    this.pendingHops = [];
    this.pendingLogs = [];
    // A payload is shared within its batch only: the batch is written (or fails) as a whole.
    this.recentPayloads.clear();
    this.batch += 1;
    const message: TraceWriterMessage = { batch: this.batch, hops, logs };
    try {
      this.startedWriter().postMessage(message);
    } catch (error) {
      this.failures += hops.length / HOP_COLUMNS + logs.length / LOG_COLUMNS - 1;
      this.fail(error);
      return;
    }
    if (this.listeners.size > 0) this.notify(hops);
  }

  /** Writes what is queued; later records are ignored. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    const close: TraceWriterMessage = { close: true };
    this.writer?.postMessage(close);
    this.failurePort.close();
    if (this.writer === undefined) this.writerPort.close();
    this.db.close();
    this.listeners.clear();
    const closing = [...this.closeListeners];
    this.closeListeners.clear();
    for (const listener of closing) {
      try {
        listener();
      } catch (error) {
        this.fail(error);
      }
    }
  }

  /**
   * Hands what is queued to the writer and blocks until it has written every batch so far, so a
   * read (here, or on a connection of the caller's own) sees every hop recorded before it. Batches
   * are small (TRACE_FLUSH_MAX_ROWS), so this is a few milliseconds at most; a writer that does not
   * answer in TRACE_WRITE_WAIT_MS is reported and not waited for again.
   */
  flush(): void {
    this.handOver();
    if (this.writerLost) return;
    const deadline = Date.now() + TRACE_WRITE_WAIT_MS;
    for (;;) {
      const written = Atomics.load(this.progress, WRITTEN_SLOT);
      if (written >= this.batch) break;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.writerLost = true;
        this.fail(new Error(`the trace writer did not answer in ${TRACE_WRITE_WAIT_MS} ms`));
        break;
      }
      Atomics.wait(this.progress, WRITTEN_SLOT, written, left);
    }
    this.takeFailures();
  }

  private startedWriter(): Worker {
    if (this.writer !== undefined) return this.writer;
    const init: TraceWriterInit = {
      file: this.file,
      progress: this.progress.buffer as SharedArrayBuffer,
      failures: this.writerPort,
    };
    const writer = new Worker(distScriptPath(WRITER_SCRIPT), {
      workerData: init,
      transferList: [this.writerPort],
    });
    // The writer never keeps a process alive: close() hands it what is queued and waits for it.
    writer.unref();
    writer.on("error", (error) => this.fail(error));
    writer.on("exit", () => {
      this.writerLost = true;
    });
    this.writer = writer;
    return writer;
  }

  /** The writer's failures so far (posted before it marks their batch written). */
  private takeFailures(): void {
    for (;;) {
      const received = receiveMessageOnPort(this.failurePort);
      if (received === undefined) return;
      const failure = received.message as TraceWriteFailure;
      this.failures += failure.rows - 1;
      this.fail(new Error(failure.error));
    }
  }

  private notify(hops: TraceRows): void {
    const payloads = new Map<number, string>();
    for (let at = 0; at < hops.length; at += HOP_COLUMNS) {
      const held = hops[at + HOP.payload];
      const payload =
        typeof held === "string" ? held : (payloads.get(hops[at + HOP.payloadSeq] as number) ?? "");
      if (typeof held === "string") payloads.set(hops[at + HOP.seq] as number, held);
      const hop = storedHop(hops, at, payload);
      for (const listener of this.listeners) {
        try {
          listener(hop);
        } catch (error) {
          this.fail(error);
        }
      }
    }
  }

  /** Queues a hop's row (HOP's columns); its segment id. */
  private queueHop(input: HopInput, seq: number): string {
    let traceId = traceRootOf(input.header);
    let hopId = parentOf(input.header);
    if (traceId === undefined || hopId === undefined) {
      // A malformed header still records the hop, in a trace of its own.
      const fresh = newTraceHeader(this.clock.now());
      traceId ??= traceRootOf(fresh) as string;
      hopId ??= parentOf(fresh) as string;
    }
    const parentId = traceRootOf(input.parentHeader) === traceId ? parentOf(input.parentHeader) : undefined;
    const payload = cutUtf8(input.payload, TRACE_PAYLOAD_MAX_BYTES);
    const { kind, outcome, requestId } = input;
    const sameAs = this.recentPayloads.find(traceId, payload.text);
    this.pendingHops.push(
      seq,
      traceId,
      hopId,
      parentId ?? null,
      kind,
      input.source,
      input.target,
      input.startMs,
      input.durationMs,
      outcome,
      input.attempt ?? 1,
      sameAs === undefined ? payload.text : null,
      sameAs ?? null,
      payload.cut ? 1 : 0,
      input.detail === undefined ? null : cutUtf8(input.detail, TRACE_DETAIL_MAX_BYTES).text,
      requestId ?? null,
      // Only an invocation has log lines; other hops' request ids are message and event ids.
      requestId === undefined || kind !== "invoke" ? null : this.caps.keyOf(requestId),
      outcome !== "success" || kind === "dead-letter" || kind === "drop" ? 1 : 0,
    );
    // Remembered once queued: a later hop may only point at a row this batch holds.
    if (sameAs === undefined) this.recentPayloads.add(traceId, seq, payload.text);
    return hopId;
  }

  private count(hop: HopInput): void {
    if (hop.outcome === "throttled") return;
    const name = hop.target.slice(FUNCTION_PREFIX.length);
    let count = this.counts.get(name);
    if (count === undefined) {
      count = { invocations: 0, errors: 0 };
      this.counts.set(name, count);
    }
    count.invocations += 1;
    if (hop.outcome !== "success") count.errors += 1;
  }

  private schedule(): void {
    if (
      this.pendingHops.length / HOP_COLUMNS + this.pendingLogs.length / LOG_COLUMNS >=
      TRACE_FLUSH_MAX_ROWS
    ) {
      this.handOver();
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.handOver(), TRACE_FLUSH_DELAY_MS);
    // Pending rows never keep a process alive; close() writes them.
    this.timer.unref();
  }

  private fail(error: unknown): void {
    this.failures += 1;
    if (this.reported || this.onError === undefined) return;
    this.reported = true;
    try {
      this.onError(error);
    } catch {
      // The reporter's own failure has nowhere left to go.
    }
  }
}

function storedHop(rows: TraceRows, at: number, payload: string): TraceHop {
  const hop: Mutable<TraceHop> = {
    seq: rows[at + HOP.seq] as number,
    traceId: rows[at + HOP.traceId] as string,
    hopId: rows[at + HOP.hopId] as string,
    kind: rows[at + HOP.kind] as HopKind,
    source: rows[at + HOP.source] as string,
    target: rows[at + HOP.target] as string,
    startMs: rows[at + HOP.startMs] as number,
    durationMs: rows[at + HOP.durationMs] as number,
    outcome: rows[at + HOP.outcome] as HopOutcome,
    attempt: rows[at + HOP.attempt] as number,
    payload,
    truncated: rows[at + HOP.truncated] === 1,
  };
  const parentId = rows[at + HOP.parentId];
  const detail = rows[at + HOP.detail];
  const requestId = rows[at + HOP.requestId];
  if (typeof parentId === "string") hop.parentId = parentId;
  if (typeof detail === "string") hop.detail = detail;
  if (typeof requestId === "string") hop.requestId = requestId;
  return hop;
}

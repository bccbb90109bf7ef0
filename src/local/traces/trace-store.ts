/**
 * The trace store: every hop the local cloud's services record, in the app's SQLite file, and the
 * log lines of the invocations among them. Recording is on every service's hot path (a warm invoke
 * costs tens of microseconds), so `record` and `log` only queue rows in memory; they are written in
 * one transaction a few milliseconds later (TRACE_FLUSH_DELAY_MS), before any read, and on close.
 * Recording never throws into the service: a failure is counted and reported once (`onError`).
 * Caps (trace-limits.ts): payloads cut at 256 KiB, at most 100,000 hops (the oldest traces are
 * deleted whole, a batch at a time), 200 lines / 64 KiB of log per invocation.
 */
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { LogCaps } from "./log-caps.ts";
import { newTraceHeader, parentOf, traceRootOf } from "./trace-header.ts";
import {
  TRACE_DETAIL_MAX_BYTES,
  TRACE_FLUSH_DELAY_MS,
  TRACE_FLUSH_MAX_ROWS,
  TRACE_MAX_HOPS,
  TRACE_PAYLOAD_MAX_BYTES,
  TRACE_PRUNE_BATCH_HOPS,
} from "./trace-limits.ts";
import { TraceQueries } from "./trace-query.ts";
import { migrateTraces } from "./trace-schema.ts";
import { type HopWrite, type LogWrite, TraceWrites } from "./trace-writes.ts";
import type { Mutable } from "../../model/mutable.ts";
import type {
  HopInput,
  HopKind,
  HopOutcome,
  TraceHop,
  TraceQuery,
  TraceSummary,
  TraceTimeline,
  Tracer,
} from "./types.ts";
import { cutUtf8 } from "./utf8-cut.ts";

export interface TraceStoreOptions {
  /** The app's SQLite file (the cloud's); the store creates and migrates its own tables. */
  readonly db: Db;
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

export class TraceStore implements Tracer {
  private readonly clock: Clock;
  private readonly db: Db;
  private readonly onError: ((error: unknown) => void) | undefined;
  private readonly writes: TraceWrites;
  private readonly queries: TraceQueries;
  private readonly caps: LogCaps;
  private readonly listeners = new Set<(hop: TraceHop) => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly counts = new Map<string, { invocations: number; errors: number }>();
  private pendingHops: HopWrite[] = [];
  private pendingLogs: LogWrite[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The segment id of the invoke hop counted last (its linked copies are not counted again). */
  private countedHop: string | undefined;
  private hopCount: number;
  private lastSeq: number;
  private closed = false;
  private reported = false;
  /** Hops and log lines that could not be recorded, and listeners that threw. */
  failures = 0;

  constructor(options: TraceStoreOptions) {
    this.clock = options.clock;
    this.db = options.db;
    this.onError = options.onError;
    migrateTraces(options.db);
    this.writes = new TraceWrites(options.db);
    this.queries = new TraceQueries(options.db);
    // Hops hold keys too: one that logged nothing (a throttled invoke) would otherwise share its key
    // with the next invocation after a reopen, and show that invocation's lines as its own.
    const key = options.db
      .prepare(
        "SELECT MAX((SELECT COALESCE(MAX(log_key), 0) FROM trace_logs), (SELECT COALESCE(MAX(log_key), 0) FROM trace_hops)) AS key",
      )
      .get() as { key: number };
    this.caps = new LogCaps(key.key + 1);
    const totals = options.db
      .prepare("SELECT COUNT(*) AS hops, COALESCE(MAX(seq), 0) AS seq FROM trace_hops")
      .get() as {
      hops: number;
      seq: number;
    };
    this.hopCount = totals.hops;
    this.lastSeq = totals.seq;
  }

  record(input: HopInput): void {
    if (this.closed) return;
    try {
      const hop = this.hopWrite(input);
      this.pendingHops.push(hop);
      // An invocation an SQS batch runs for messages of several traces is recorded in each, as
      // the same segment (invoke-hop.ts), one right after another: Lambda counts it once.
      if (hop.kind === "invoke" && hop.target.startsWith(FUNCTION_PREFIX) && hop.hopId !== this.countedHop) {
        this.countedHop = hop.hopId;
        this.count(hop);
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
        this.pendingLogs.push({ logKey, requestId, line: whole, functionName, timestamp, text: line.text });
      } else {
        for (const { key, line: number, text } of this.caps.admit(requestId, line.text)) {
          this.pendingLogs.push({ logKey: key, requestId, line: number, functionName, timestamp, text });
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

  /** The seq of the newest hop recorded (0 when none): the cursor of "what is new since". */
  latestSeq(): number {
    this.flush();
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

  /** Writes what is queued now, in one transaction, then tells the listeners. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pendingHops.length === 0 && this.pendingLogs.length === 0) return;
    const hops = this.pendingHops;
    this.pendingHops = [];
    let seqs: number[];
    const logs = this.pendingLogs;
    this.pendingLogs = [];
    try {
      seqs = this.writes.write(hops, logs);
      this.hopCount += hops.length;
      if (seqs.length) this.lastSeq = seqs[seqs.length - 1] ?? this.lastSeq;
      if (this.hopCount > TRACE_MAX_HOPS) {
        this.hopCount -= this.writes.pruneOldest(this.hopCount - (TRACE_MAX_HOPS - TRACE_PRUNE_BATCH_HOPS));
      }
    } catch (error) {
      this.failures += hops.length + logs.length - 1;
      this.fail(error);
      return;
    }
    if (this.listeners.size > 0) this.notify(hops, seqs);
  }

  /** Writes what is queued; later records are ignored. The database stays open (it is the cloud's). */
  close(): void {
    this.flush();
    this.closed = true;
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

  private notify(hops: readonly HopWrite[], seqs: readonly number[]): void {
    for (let i = 0; i < hops.length; i++) {
      const hop = storedHop(hops[i] as HopWrite, seqs[i] as number);
      for (const listener of this.listeners) {
        try {
          listener(hop);
        } catch (error) {
          this.fail(error);
        }
      }
    }
  }

  private hopWrite(input: HopInput): HopWrite {
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
    return {
      traceId,
      hopId,
      parentId: parentId ?? null,
      kind: input.kind,
      source: input.source,
      target: input.target,
      startMs: input.startMs,
      durationMs: input.durationMs,
      outcome: input.outcome,
      attempt: input.attempt ?? 1,
      payload: payload.text,
      truncated: payload.cut,
      detail: input.detail === undefined ? null : cutUtf8(input.detail, TRACE_DETAIL_MAX_BYTES).text,
      requestId: input.requestId ?? null,
      // Only an invocation has log lines; other hops' request ids are message and event ids.
      logKey:
        input.requestId === undefined || input.kind !== "invoke" ? null : this.caps.keyOf(input.requestId),
      failed: input.outcome !== "success" || input.kind === "dead-letter" || input.kind === "drop",
    };
  }

  private count(hop: HopWrite): void {
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
    // Not inside a service's own transaction (an SQS send records its hop there): its rollback
    // would take the hops with it after the listeners heard of them.
    if (this.pendingHops.length + this.pendingLogs.length >= TRACE_FLUSH_MAX_ROWS && !this.db.inTransaction) {
      this.flush();
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), TRACE_FLUSH_DELAY_MS);
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

function storedHop(write: HopWrite, seq: number): TraceHop {
  const hop: Mutable<TraceHop> = {
    seq,
    traceId: write.traceId,
    hopId: write.hopId,
    kind: write.kind as HopKind,
    source: write.source,
    target: write.target,
    startMs: write.startMs,
    durationMs: write.durationMs,
    outcome: write.outcome as HopOutcome,
    attempt: write.attempt,
    payload: write.payload,
    truncated: write.truncated,
  };
  if (write.parentId !== null) hop.parentId = write.parentId;
  if (write.detail !== null) hop.detail = write.detail;
  if (write.requestId !== null) hop.requestId = write.requestId;
  return hop;
}

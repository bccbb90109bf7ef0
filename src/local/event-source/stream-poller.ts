import { randomUUID } from "node:crypto";
import type { FunctionSpec, TableConsumesSpec } from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import { RETENTION_MS, type ShardInfo, type ShardRecord, type TableStreams } from "../dynamodb/index.ts";
import type { InvokeResult, LambdaService } from "../lambda/index.ts";
import type { QueueService } from "../sqs/index.ts";
import type { Db } from "../store/index.ts";
import { newTraceHeader, type TraceRef } from "../traces/index.ts";
import { compileFilters } from "./record-filter.ts";
import { readStreamOutcome, type StreamOutcome } from "./stream-batch-outcome.ts";
import { type Checkpoint, StreamCheckpoints } from "./stream-checkpoints.ts";
import { toStreamEvent, type WindowFields } from "./stream-event.ts";
import { type DiscardCondition, streamFailureRecord } from "./stream-failure-record.ts";

/**
 * Lambda passes a batch "in a single call, up to the payload limit for synchronous invocation
 * (6 MB)" (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html, BatchSize).
 * The limit is on the event's JSON, which is larger than the records' SizeBytes (type wrappers,
 * escapes, the envelope, a window's state): reads are first bounded by SizeBytes, then cut by JSON.
 */
const MAX_BATCH_BYTES = LIMITS.lambda.syncPayload.max;
const STATE_MAX_BYTES = LIMITS.dynamodbStreams.tumblingWindowStateBytes.max;
/**
 * Waits between retries of a failing batch. AWS publishes no schedule for stream retries; Sluice
 * backs off so a failing function with unlimited retries does not spin.
 */
const RETRY_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000, 30000] as const;

export type StreamPollerEvent =
  | {
      readonly type: "stream-batch-failed";
      readonly functionName: string;
      readonly sequenceNumbers: readonly string[];
      readonly reason: string;
    }
  | {
      readonly type: "stream-batch-discarded";
      readonly functionName: string;
      readonly condition: DiscardCondition;
      readonly sequenceNumbers: readonly string[];
    }
  | { readonly type: "stream-iterator-age"; readonly functionName: string; readonly ageMs: number }
  | { readonly type: "throttled"; readonly functionName: string };

export interface StreamPollerOptions {
  /** The consuming function; `fn.consumesTable` configures the mapping. */
  readonly fn: FunctionSpec;
  readonly functionArn: string;
  /** The table's current stream (LatestStreamArn): the event's eventSourceARN. */
  readonly streamArn: string;
  readonly streams: TableStreams;
  /** The app's database: the mapping's checkpoints live beside the stream. */
  readonly db: Db;
  readonly lambda: LambdaService;
  readonly clock: Clock;
  /** Receives the invocation record of each discarded batch on `consumesTable.onFailure`. */
  readonly sqs?: Pick<QueueService, "sendMessage">;
  /** Delivers the invocation's routing; throwing fails the batch. */
  readonly onResult: (result: InvokeResult) => void;
  readonly onEvent?: (event: StreamPollerEvent) => void;
}

interface LaneState {
  readonly shard: ShardInfo;
  readonly lane: number;
  checkpoint: Checkpoint;
  /** The window's state outgrew its limit: the next invoke ends the window early. */
  endWindowEarly?: boolean;
}

/**
 * A Lambda event source mapping on a DynamoDB stream. Each shard is read by
 * `parallelizationFactor` lanes; a lane takes the records of the items that hash to it, so one
 * item's changes stay in order, and carries one batch at a time. A batch is retried until it
 * succeeds, its retries or its records' age run out (then its description goes to the on-failure
 * queue and the lane moves on), or its records leave the stream after 24 hours. Positions are
 * checkpointed in SQLite after every batch.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export class StreamPoller {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  /** Loops waiting for a record of the stream. */
  private readonly waiters = new Set<() => void>();
  /** Every waiting loop: stop() wakes them all. */
  private readonly sleepers = new Set<() => void>();
  private readonly checkpoints: StreamCheckpoints;
  private readonly filter;
  private unsubscribe: (() => void) | undefined;
  private lastIteratorAgeMs = 0;

  constructor(private readonly options: StreamPollerOptions) {
    if (!options.fn.consumesTable) throw new Error(`${options.fn.name} consumes no table stream`);
    this.checkpoints = new StreamCheckpoints(options.db);
    this.filter = compileFilters(options.fn.consumesTable.filters);
  }

  private get consumes(): TableConsumesSpec {
    return this.options.fn.consumesTable as TableConsumesSpec;
  }

  /** The consuming function's name in the definition. */
  get functionName(): string {
    return this.options.fn.name;
  }

  /** Age of the last record of the last batch when it was processed (CloudWatch's IteratorAge), ms. */
  get iteratorAgeMs(): number {
    return this.lastIteratorAgeMs;
  }

  /**
   * Starts one loop per shard and lane; a new mapping starts at LATEST or TRIM_HORIZON, a known one
   * after its checkpoints (StreamCheckpoints.resume: a changed parallelizationFactor replays, never loses).
   */
  start(): void {
    const { fn, streams, streamArn } = this.options;
    this.unsubscribe = streams.onRecord((arn) => {
      if (arn === streamArn) this.wakeAll();
    });
    const lanes = this.consumes.parallelizationFactor;
    for (const shard of streams.shards(streamArn)) {
      const resumed = this.checkpoints.resume(fn.name, streamArn, shard.index, lanes);
      for (let lane = 0; lane < lanes; lane++) {
        const checkpoint = resumed?.[lane] ?? this.initialCheckpoint(shard, lane);
        const state: LaneState = { shard, lane, checkpoint };
        this.loops.push(this.loop(state));
      }
    }
  }

  /**
   * Work of this mapping that progresses without the clock moving (LocalCloud.pendingWork): each
   * lane awake, reading its unread records or carrying a batch (its invocation in flight, its
   * checkpoint). A lane asleep waits on the clock (the poll interval, a back-off, a batching or
   * tumbling window) or for a record; a new record wakes it (wakeAll) in a microtask after the write
   * commits, and counts until then (TableStreams.unannouncedRecords), so records unread by a
   * running mapping count from the moment they are written.
   */
  pendingWork(): number {
    if (this.stopped) return 0;
    const { streams, streamArn } = this.options;
    return this.loops.length - this.sleepers.size + (streams.unannouncedRecords(streamArn) > 0 ? 1 : 0);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.unsubscribe?.();
    for (const wake of [...this.sleepers]) wake();
    await Promise.allSettled(this.loops);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private initialCheckpoint(shard: ShardInfo, lane: number): Checkpoint {
    const { fn, streamArn, streams } = this.options;
    const laneSpec = { index: lane, count: this.consumes.parallelizationFactor };
    const checkpoint: Checkpoint = {
      afterSeq:
        this.consumes.startingPosition === "LATEST"
          ? streams.lastSeq(streamArn, shard.index, laneSpec)
          : Math.max(shard.startingSeq - 1, shard.trimmedThrough),
    };
    // Kept at once, so a restart before the first record still starts from here.
    this.checkpoints.save(fn.name, streamArn, shard.index, lane, laneSpec.count, checkpoint);
    return checkpoint;
  }

  private async loop(state: LaneState): Promise<void> {
    while (!this.stopped) {
      try {
        await this.step(state);
      } catch (error) {
        if (this.stopped) return;
        this.emit({
          type: "stream-batch-failed",
          functionName: this.options.fn.name,
          sequenceNumbers: [],
          reason: (error as Error).message,
        });
        await this.pause(RETRY_BACKOFF_MS[0]);
      }
    }
  }

  /** Reads the next batch of the lane (waiting for the batching window) and processes it. */
  private async step(state: LaneState): Promise<void> {
    const { clock } = this.options;
    const windowMs = (this.consumes.tumblingWindowSeconds ?? 0) * 1000;
    if (state.endWindowEarly) {
      await this.finishWindow(state, true);
      return;
    }
    let records = this.read(state);
    if (windowMs > 0 && state.checkpoint.windowStart !== undefined) {
      const end = state.checkpoint.windowStart + windowMs;
      const nextInWindow =
        records.length > 0 && windowOf(records[0] as ShardRecord, windowMs) === state.checkpoint.windowStart;
      if (!nextInWindow && (records.length > 0 || clock.now() >= end)) {
        await this.finishWindow(state, false);
        return;
      }
    }
    if (records.length === 0) {
      const windowEnd =
        windowMs > 0 && state.checkpoint.windowStart !== undefined
          ? state.checkpoint.windowStart + windowMs
          : Infinity;
      // Lambda polls an idle shard 4 times a second; here a record's commit wakes the lane at
      // once (onRecord), which such a poll would see within 250 ms, so an idle lane arms no
      // timer: a manual clock advanced by hours would otherwise fire 14,400 polls an hour a lane.
      await this.waitForRecords(windowEnd);
      return;
    }
    const batchingMs = this.consumes.maximumBatchingWindowSeconds * 1000;
    if (records.length < this.consumes.batchSize && batchingMs > 0) {
      const deadline = clock.now() + batchingMs;
      while (records.length < this.consumes.batchSize && clock.now() < deadline && !this.stopped) {
        await this.waitForRecords(deadline);
        records = this.read(state);
      }
      if (this.stopped) return;
    }
    if (windowMs > 0) {
      const window = windowOf(records[0] as ShardRecord, windowMs);
      records = records.filter((r) => windowOf(r, windowMs) === window);
      if (state.checkpoint.windowStart === undefined)
        state.checkpoint = { ...state.checkpoint, windowStart: window };
    }
    await this.process(state, records);
  }

  private read(state: LaneState): ShardRecord[] {
    const { streams, streamArn } = this.options;
    return streams.read(streamArn, state.shard.index, state.checkpoint.afterSeq, {
      limit: this.consumes.batchSize,
      maxBytes: MAX_BATCH_BYTES,
      lane: { index: state.lane, count: this.consumes.parallelizationFactor },
    });
  }

  /**
   * Takes one read batch to its checkpoint: filtered records are dropped, the rest invoked until
   * they succeed or are discarded. Bisection splits a failing batch in two without spending a
   * retry; each half then has its own retries
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
   */
  private async process(state: LaneState, taken: ShardRecord[]): Promise<void> {
    const read = this.fitPayload(state, taken);
    const last = read[read.length - 1] as ShardRecord;
    const matched = this.filter ? read.filter((r) => this.filter?.(r.record)) : read;
    const pending: ShardRecord[][] = matched.length > 0 ? [matched] : [];
    while (pending.length > 0) {
      const batch = pending.shift() as ShardRecord[];
      const done = await this.processOne(state, batch, pending);
      if (!done) return;
    }
    this.lastIteratorAgeMs = Math.max(0, this.options.clock.now() - last.createdAt);
    this.emit({
      type: "stream-iterator-age",
      functionName: this.options.fn.name,
      ageMs: this.lastIteratorAgeMs,
    });
    this.commit(state, { ...state.checkpoint, afterSeq: Math.max(state.checkpoint.afterSeq, last.seq) });
  }

  /**
   * The longest prefix of `read` whose matched records' event fits the synchronous payload limit
   * (always at least one record: one that alone is too big fails in processOne, never stalls).
   */
  private fitPayload(state: LaneState, read: ShardRecord[]): ShardRecord[] {
    const { streamArn } = this.options;
    let bytes = Buffer.byteLength(
      JSON.stringify(toStreamEvent([], streamArn, this.windowFields(state, false))),
    );
    let matched = 0;
    for (let i = 0; i < read.length; i++) {
      const r = read[i] as ShardRecord;
      if (this.filter && !this.filter(r.record)) continue;
      // JSON.stringify of an array joins its elements with commas: the event grows by exactly this.
      bytes +=
        Buffer.byteLength(JSON.stringify({ ...r.record, eventSourceARN: streamArn })) + (matched > 0 ? 1 : 0);
      if (bytes > MAX_BATCH_BYTES && matched > 0) return read.slice(0, i);
      matched++;
    }
    return read;
  }

  /** Returns false when the mapping stopped before the batch was settled. */
  private async processOne(
    state: LaneState,
    initial: ShardRecord[],
    pending: ShardRecord[][],
  ): Promise<boolean> {
    const { fn } = this.options;
    const consumes = this.consumes;
    let batch = initial;
    let retries = 0;
    let invokes = 0;
    let lastResult: InvokeResult | undefined;
    // DynamoDB streams carry no trace header: each batch starts a trace, its retries stay in it.
    const traceHeader = newTraceHeader(this.options.clock.now());
    for (;;) {
      if (this.stopped) return false;
      const expired = this.expiredPrefix(batch);
      if (expired.length > 0) {
        this.discard(state, expired, "RecordAgeExceeded", invokes, lastResult);
        batch = batch.slice(expired.length);
        if (batch.length === 0) return true;
      }
      const windowFields = this.windowFields(state, false);
      const payload = JSON.stringify(toStreamEvent(batch, this.options.streamArn, windowFields));
      let outcome: StreamOutcome;
      const bytes = Buffer.byteLength(payload);
      if (bytes > MAX_BATCH_BYTES) {
        // Only a record (or window state) too big on its own gets here. AWS documents no special
        // path for it; Lambda's Invoke would answer RequestTooLargeException, so it counts as a
        // failed invocation: retries, bisection and on-failure apply, and the lane moves on.
        outcome = {
          kind: "failed",
          reason: `RequestTooLargeException: the event is ${bytes} bytes, over Lambda's ${MAX_BATCH_BYTES}`,
        };
      } else {
        const result = await this.invokeThroughThrottles(payload, traceHeader, retries + 1);
        if (result === undefined) return false;
        invokes++;
        lastResult = result;
        outcome = readStreamOutcome(result, batch, consumes.reportBatchItemFailures);
        try {
          this.options.onResult(result);
        } catch (error) {
          outcome = { kind: "failed", reason: `routing failed: ${(error as Error).message}` };
        }
      }
      if (outcome.kind !== "failed" && windowFields) {
        const next = (outcome.response as { state?: unknown } | null)?.state;
        if (next === undefined)
          outcome = { kind: "failed", reason: "a tumbling window's response has no state" };
        else this.keepWindowState(state, next);
      }
      if (outcome.kind === "succeeded") {
        this.commit(state, { ...state.checkpoint, afterSeq: (batch[batch.length - 1] as ShardRecord).seq });
        return true;
      }
      this.emit({
        type: "stream-batch-failed",
        functionName: fn.name,
        sequenceNumbers: batch.map((r) => r.record.dynamodb.SequenceNumber),
        reason: outcome.kind === "failed" ? outcome.reason : "reported in batchItemFailures",
      });
      if (outcome.kind === "partial") {
        // Checkpoint before the first failure; only the rest is retried.
        if (outcome.failedIndex > 0) {
          this.commit(state, {
            ...state.checkpoint,
            afterSeq: (batch[outcome.failedIndex - 1] as ShardRecord).seq,
          });
          batch = batch.slice(outcome.failedIndex);
        }
      } else if (consumes.bisectBatchOnFunctionError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        pending.unshift(batch.slice(0, half), batch.slice(half));
        return true;
      }
      retries++;
      if (consumes.maximumRetryAttempts !== -1 && retries > consumes.maximumRetryAttempts) {
        this.discard(state, batch, "RetryAttemptsExhausted", invokes, lastResult);
        return true;
      }
      const wait = RETRY_BACKOFF_MS[Math.min(retries - 1, RETRY_BACKOFF_MS.length - 1)] ?? 30000;
      await this.pause(wait);
    }
  }

  /** Records (oldest first) past maximumRecordAgeSeconds, or past the stream's 24-hour retention. */
  private expiredPrefix(batch: readonly ShardRecord[]): ShardRecord[] {
    const now = this.options.clock.now();
    const maxAge = this.consumes.maximumRecordAgeSeconds;
    const limit = maxAge === -1 ? RETENTION_MS : Math.min(maxAge * 1000, RETENTION_MS);
    let n = 0;
    while (n < batch.length && now - (batch[n] as ShardRecord).createdAt > limit) n++;
    return batch.slice(0, n);
  }

  private discard(
    state: LaneState,
    records: readonly ShardRecord[],
    condition: DiscardCondition,
    invokes: number,
    lastResult: InvokeResult | undefined,
  ): void {
    const { fn, sqs, clock, functionArn, streamArn } = this.options;
    this.emit({
      type: "stream-batch-discarded",
      functionName: fn.name,
      condition,
      sequenceNumbers: records.map((r) => r.record.dynamodb.SequenceNumber),
    });
    const destination = this.consumes.onFailure;
    if (destination && sqs) {
      const body = streamFailureRecord({
        records,
        condition,
        functionArn,
        streamArn,
        shardId: state.shard.shardId,
        invokeCount: invokes,
        lastResult,
        requestId: randomUUID(),
        now: clock.now(),
      });
      sqs.sendMessage(destination, { body: JSON.stringify(body) });
    }
    this.commit(state, { ...state.checkpoint, afterSeq: (records[records.length - 1] as ShardRecord).seq });
  }

  /** The window's last invocation: the aggregated state, no new records; retried until it succeeds. */
  private async finishWindow(state: LaneState, early: boolean): Promise<void> {
    const traceHeader = newTraceHeader(this.options.clock.now());
    for (let attempt = 0; !this.stopped; attempt++) {
      const payload = JSON.stringify(
        toStreamEvent([], this.options.streamArn, this.windowFields(state, true, early)),
      );
      const result = await this.invokeThroughThrottles(payload, traceHeader, attempt + 1);
      if (result === undefined) return;
      let failed = result.functionError !== undefined;
      try {
        this.options.onResult(result);
      } catch {
        failed = true;
      }
      if (!failed) {
        const { windowStart: _start, windowState: _state, ...rest } = state.checkpoint;
        // Ended early, the same window goes on with a fresh state.
        this.commit(state, early && _start !== undefined ? { ...rest, windowStart: _start } : rest);
        state.endWindowEarly = false;
        return;
      }
      await this.pause(RETRY_BACKOFF_MS[Math.min(attempt, RETRY_BACKOFF_MS.length - 1)] ?? 30000);
    }
  }

  private windowFields(state: LaneState, final: boolean, early = false): WindowFields | undefined {
    const seconds = this.consumes.tumblingWindowSeconds;
    const start = state.checkpoint.windowStart;
    if (!seconds || start === undefined) return undefined;
    return {
      window: { start: isoSeconds(start), end: isoSeconds(start + seconds * 1000) },
      state: state.checkpoint.windowState === undefined ? {} : JSON.parse(state.checkpoint.windowState),
      shardId: state.shard.shardId,
      eventSourceARN: this.options.streamArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: early,
    };
  }

  private keepWindowState(state: LaneState, next: unknown): void {
    const text = JSON.stringify(next);
    state.checkpoint = { ...state.checkpoint, windowState: text };
    // Over 1 MB of state ends the window early: a final invoke now, then the window goes on afresh.
    if (Buffer.byteLength(text) > STATE_MAX_BYTES) state.endWindowEarly = true;
  }

  private commit(state: LaneState, checkpoint: Checkpoint): void {
    state.checkpoint = checkpoint;
    this.checkpoints.save(
      this.options.fn.name,
      this.options.streamArn,
      state.shard.index,
      state.lane,
      this.consumes.parallelizationFactor,
      checkpoint,
    );
  }

  /** Throttles are not the function's errors: retried with back-off, spending no retry. */
  private async invokeThroughThrottles(
    payload: string,
    traceHeader: string,
    retry: number,
  ): Promise<InvokeResult | undefined> {
    const { fn, lambda } = this.options;
    const source: TraceRef = `table:${fn.consumesTable?.table ?? this.options.streamArn}`;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        return await lambda.invoke(fn.name, {
          payload,
          serialized: true,
          traceHeader,
          source,
          attempt: retry,
        });
      } catch (error) {
        if ((error as { code?: string }).code !== "TooManyRequestsException") throw error;
        this.emit({ type: "throttled", functionName: fn.name });
        await this.pause(RETRY_BACKOFF_MS[Math.min(attempt, RETRY_BACKOFF_MS.length - 1)] ?? 30000);
      }
    }
    return undefined;
  }

  private emit(event: StreamPollerEvent): void {
    this.options.onEvent?.(event);
  }

  private wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  private pause(ms: number): Promise<void> {
    return this.sleepUntil(this.options.clock.now() + ms, false);
  }

  private waitForRecords(atMs: number): Promise<void> {
    return this.sleepUntil(atMs, true);
  }

  /** Resolves at `atMs` on the clock, on stop, or (when asked) on a new record of the stream. */
  private sleepUntil(atMs: number, onRecord: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: { cancel(): void } | undefined;
      const done = () => {
        timer?.cancel();
        this.waiters.delete(done);
        this.sleepers.delete(done);
        resolve();
      };
      if (atMs !== Number.POSITIVE_INFINITY) timer = this.options.clock.at(atMs, done);
      this.sleepers.add(done);
      if (onRecord) this.waiters.add(done);
    });
  }
}

function windowOf(record: ShardRecord, windowMs: number): number {
  return Math.floor(record.createdAt / windowMs) * windowMs;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

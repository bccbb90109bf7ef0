import type { FunctionSpec, QueueSpec } from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import type { InvokeInput, InvokeResult, LambdaService } from "../lambda/index.ts";
import type { QueueService, ReceivedMessage } from "../sqs/index.ts";
import { readBatchResponse } from "./batch-item-failures.ts";
import { compileFilters, sqsFilterView } from "./record-filter.ts";
import { SqsBatchPayload } from "./sqs-batch-payload.ts";
import { sqsBatchTrace } from "./sqs-batch-trace.ts";
import { toSqsEvent } from "./sqs-event.ts";

/**
 * Concurrent batches when the mapping sets no maximum: what AWS starts with. AWS then scales up
 * (up to 300 more a minute, at most 1,000) by rules it does not publish; Sluice stays here.
 */
export const DEFAULT_POLLERS: number = LIMITS.eventSourceMapping.initialConcurrentBatches.default;
/** What one ReceiveMessage, one DeleteMessageBatch and one ChangeMessageVisibilityBatch take. */
const RECEIVE_MAX = LIMITS.sqs.receiveBatch.max;
const BATCH_MAX = LIMITS.sqs.batchEntries.max;
/** Waits between invokes of a throttled batch (docs/fidelity.md: AWS's back-off is not published). */
export const THROTTLE_BACKOFF_MS = [100, 200, 500, 1000] as const;

/** The wait before retry `attempt` (0-based) of a throttled invoke: the last step repeats. */
export function throttleBackoffMs(attempt: number): number {
  return THROTTLE_BACKOFF_MS[Math.min(attempt, THROTTLE_BACKOFF_MS.length - 1)] ?? 1000;
}

/**
 * Batches a mapping has in flight at once: its maximum concurrency, else the five AWS starts
 * with, never above the function's reserved concurrency (at least one).
 */
export function mappingConcurrency(fn: FunctionSpec): number {
  const limit = fn.consumes?.maxConcurrency ?? DEFAULT_POLLERS;
  const reserved = fn.reservedConcurrency;
  return Math.max(1, reserved === undefined ? limit : Math.min(limit, Math.max(reserved, 1)));
}

export type PollerEvent =
  | {
      readonly type: "batch-failed";
      readonly functionName: string;
      readonly messageIds: readonly string[];
      readonly reason: string;
    }
  | { readonly type: "throttled"; readonly functionName: string };

export interface SqsPollerOptions {
  readonly fn: FunctionSpec;
  readonly queue: QueueSpec;
  readonly queueArn: string;
  readonly region: string;
  readonly sqs: QueueService;
  readonly lambda: LambdaService;
  readonly clock: Clock;
  /** Delivers the invocation's routing; throwing fails the batch. */
  readonly onResult: (result: InvokeResult) => void;
  readonly onEvent?: (event: PollerEvent) => void;
}

/**
 * An SQS event source mapping: polls with the batch size and window, invokes with the SQS event,
 * deletes what succeeded and leaves the rest to reappear after the visibility timeout. At most
 * `maxConcurrency` batches are in flight, because each loop carries one batch at a time.
 */
export class SqsPoller {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  /** filterCriteria (ConsumesSpec.filters); absent: every message is delivered. */
  private readonly filter: ((record: unknown) => boolean) | undefined;
  /** Loops waiting now: on the clock (a back-off, a batching window) or on the queue (a long poll). */
  private idle = 0;
  /** Of those, the loops a receivable message wakes at once (a long poll, a batching window). */
  private listening = 0;

  constructor(private readonly options: SqsPollerOptions) {
    this.filter = compileFilters(options.fn.consumes?.filters);
  }

  get concurrency(): number {
    return mappingConcurrency(this.options.fn);
  }

  start(): void {
    for (let i = 0; i < this.concurrency; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  /**
   * Work of this mapping that progresses without the clock moving (LocalCloud.pendingWork): each
   * loop not waiting (receiving, holding a batch, its invocation in flight, deleting), plus one
   * while a loop listens on the queue and a message is receivable now (it is woken in this turn,
   * QueueWaiters.notify). A loop in back-off (throttled, or after an error) or a batching window
   * waits on the clock; so does a message hidden for its visibility timeout or delayed: neither
   * counts, so settling never waits for what only the clock brings.
   */
  pendingWork(): number {
    if (this.stopped) return 0;
    const busy = this.loops.length - this.idle;
    const { sqs, queue } = this.options;
    return busy + (this.listening > 0 && sqs.hasReceivable(queue.name) ? 1 : 0);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.options.lambda.hasCapacity(this.options.fn.name)) {
          this.options.onEvent?.({ type: "throttled", functionName: this.options.fn.name });
          await this.pause(THROTTLE_BACKOFF_MS[THROTTLE_BACKOFF_MS.length - 1] ?? 1000);
          continue;
        }
        const { batch, receivedAt } = await this.collectBatch();
        // Stopped while gathering: hand the records back rather than invoke during shutdown.
        if (this.stopped) this.release(batch);
        else if (batch.length > 0) await this.process(batch, receivedAt);
      } catch (error) {
        if (this.stopped) return;
        this.options.onEvent?.({
          type: "batch-failed",
          functionName: this.options.fn.name,
          messageIds: [],
          reason: (error as Error).message,
        });
        await this.pause(1000);
      }
    }
  }

  /** Long-polls for the first records, then gathers more until the batch or the window is full. */
  private async collectBatch(): Promise<{ batch: ReceivedMessage[]; receivedAt: number }> {
    const { queue, sqs, clock } = this.options;
    const consumes = this.options.fn.consumes;
    const batchSize = consumes?.batchSize ?? LIMITS.eventSourceMapping.batchSize.default;
    const windowMs = (consumes?.maximumBatchingWindowSeconds ?? 0) * 1000;
    const signal = this.abort.signal;
    this.idle++;
    this.listening++;
    const first = await sqs
      .receiveMessages(queue.name, {
        maxNumberOfMessages: Math.min(RECEIVE_MAX, batchSize),
        // Lambda's pollers long-poll for as long as SQS allows.
        waitTimeSeconds: LIMITS.sqs.receiveMessageWaitTime.max,
        signal,
      })
      .finally(() => {
        this.idle--;
        this.listening--;
      });
    const receivedAt = clock.now();
    const batch: ReceivedMessage[] = [];
    if (first.length === 0) return { batch, receivedAt };
    // The event stays within Lambda's payload limit; what does not fit is visible again at once.
    const payload = new SqsBatchPayload(this.options.queueArn, this.options.region);
    this.release(payload.take(batch, first));
    const deadline = clock.now() + windowMs;
    while (batch.length < batchSize && !payload.full && !this.stopped) {
      const more = await sqs.receiveMessages(queue.name, {
        maxNumberOfMessages: Math.min(RECEIVE_MAX, batchSize - batch.length),
        waitTimeSeconds: 0,
      });
      this.release(payload.take(batch, more));
      if (more.length > 0) continue;
      if (clock.now() >= deadline) break;
      await this.waitUntil(deadline, (signal) => sqs.waitForMessages(queue.name, signal));
    }
    return { batch, receivedAt };
  }

  private async process(received: ReceivedMessage[], receivedAt: number): Promise<void> {
    const { fn, queue, queueArn, region, sqs } = this.options;
    const batch = this.dropFiltered(received);
    if (batch.length === 0) return;
    const payload = JSON.stringify(toSqsEvent(batch, queueArn, region));
    const ids = batch.map((m) => m.messageId);
    // The first records have been hidden since their receive, not since the window closed.
    const hiddenUntil = receivedAt + this.options.queue.visibilityTimeoutSeconds * 1000;
    const trace = sqsBatchTrace(batch);
    const input: InvokeInput = {
      payload,
      source: `queue:${queue.name}`,
      attempt: trace.attempt,
      ...(trace.traceHeader === undefined ? {} : { traceHeader: trace.traceHeader }),
      ...(trace.linkedHeaders.length === 0 ? {} : { linkedHeaders: trace.linkedHeaders }),
    };
    const result = await this.invokeThroughThrottles(input, hiddenUntil);
    if (!result) return;
    try {
      this.options.onResult(result);
    } catch (error) {
      this.fail(ids, `routing failed: ${(error as Error).message}`);
      return;
    }
    if (result.functionError) {
      this.fail(ids, `function error: ${result.payload}`);
      return;
    }
    const outcome = fn.consumes?.reportBatchItemFailures
      ? readBatchResponse(result.payload, ids)
      : ({ kind: "all-succeeded" } as const);
    if (outcome.kind === "all-failed") {
      this.fail(ids, outcome.reason);
      return;
    }
    const done = batch.filter((m) => !(outcome.kind === "partial" && outcome.failed.has(m.messageId)));
    // Batch delete reports per entry: one expired handle must not keep the others from being deleted.
    for (let i = 0; i < done.length; i += BATCH_MAX) {
      const entries = done
        .slice(i, i + BATCH_MAX)
        .map((m, n) => ({ id: String(n), receiptHandle: m.receiptHandle }));
      const { failed } = sqs.deleteMessageBatch(queue.name, entries);
      if (failed.length)
        this.fail(
          failed.map((f) => done[i + Number(f.id)]?.messageId ?? f.id),
          `delete failed: ${failed[0]?.message}`,
        );
    }
    if (outcome.kind === "partial") this.fail([...outcome.failed], "reported in batchItemFailures");
  }

  /** Throttled invokes are retried with back-off while the batch is still hidden from others. */
  private async invokeThroughThrottles(
    input: InvokeInput,
    hiddenUntil: number,
  ): Promise<InvokeResult | undefined> {
    const { fn, lambda, clock } = this.options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await lambda.invoke(fn.name, input);
      } catch (error) {
        if ((error as { code?: string }).code !== "TooManyRequestsException" || this.stopped) throw error;
        this.options.onEvent?.({ type: "throttled", functionName: fn.name });
        const wait = throttleBackoffMs(attempt);
        if (clock.now() + wait >= hiddenUntil) return undefined;
        await this.pause(wait);
      }
    }
  }

  /**
   * Messages no filter matches are deleted from the queue, never delivered: Lambda's documented
   * behaviour for SQS (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html).
   */
  private dropFiltered(batch: ReceivedMessage[]): ReceivedMessage[] {
    const filter = this.filter;
    if (!filter) return batch;
    const { queue, queueArn, region, sqs } = this.options;
    const records = toSqsEvent(batch, queueArn, region).Records;
    const dropped = batch.filter((_, i) => !filter(sqsFilterView(records[i] as { body: string })));
    for (let i = 0; i < dropped.length; i += BATCH_MAX) {
      const entries = dropped
        .slice(i, i + BATCH_MAX)
        .map((m, n) => ({ id: String(n), receiptHandle: m.receiptHandle }));
      sqs.deleteMessageBatch(queue.name, entries);
    }
    return dropped.length === 0 ? batch : batch.filter((m) => !dropped.includes(m));
  }

  private release(batch: readonly ReceivedMessage[]): void {
    const { sqs, queue } = this.options;
    for (let i = 0; i < batch.length; i += BATCH_MAX) {
      const entries = batch
        .slice(i, i + BATCH_MAX)
        .map((m, n) => ({ id: String(n), receiptHandle: m.receiptHandle, visibilityTimeoutSeconds: 0 }));
      sqs.changeMessageVisibilityBatch(queue.name, entries);
    }
  }

  private fail(messageIds: readonly string[], reason: string): void {
    this.options.onEvent?.({ type: "batch-failed", functionName: this.options.fn.name, messageIds, reason });
  }

  private pause(ms: number): Promise<void> {
    return this.waitUntil(this.options.clock.now() + ms);
  }

  /** Resolves at `atMs`, on stop, or when `alsoWake` resolves, and leaves no timer or listener behind. */
  private async waitUntil(atMs: number, alsoWake?: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.stopped) return;
    const done = new AbortController();
    const onStop = () => done.abort();
    this.abort.signal.addEventListener("abort", onStop, { once: true });
    let timer: { cancel(): void } | undefined;
    this.idle++;
    if (alsoWake) this.listening++;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          timer = this.options.clock.at(atMs, resolve);
          done.signal.addEventListener("abort", () => resolve(), { once: true });
        }),
        ...(alsoWake ? [alsoWake(done.signal).catch(() => undefined)] : []),
      ]);
    } finally {
      this.idle--;
      if (alsoWake) this.listening--;
      timer?.cancel();
      done.abort();
      this.abort.signal.removeEventListener("abort", onStop);
    }
  }
}

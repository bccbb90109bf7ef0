import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  compileFilters,
  readBatchResponse,
  SqsBatchPayload,
  sqsFilterView,
  throttleBackoffMs,
  toSqsEvent,
} from "../../local/event-source/index.ts";
import type { ReceivedMessage } from "../../local/sqs/index.ts";
import { LIMITS } from "../../model/limits.ts";
import { pauseUnlessAborted } from "../abortable-pause.ts";
import type { ServeContext, ServeInvokeResult } from "../serve-contract.ts";
import { untilOrDeadline } from "../until-deadline.ts";
import { type BatchLogOutcome, isThrottle, logBatch, logWarning } from "./consumer-log.ts";
import type { ConsumerPlan } from "./consumer-plan.ts";
import { deleteMessages, releaseMessages } from "./message-batch-calls.ts";
import { askQueueUrl, receiveMessages } from "./queue-calls.ts";

/** What one ReceiveMessage takes. */
const RECEIVE_MAX = LIMITS.sqs.receiveBatch.max;
/** Lambda's pollers long-poll for as long as SQS allows. */
const LONG_POLL_SECONDS = LIMITS.sqs.receiveMessageWaitTime.max;
/**
 * Long polls while a batch gathers within its window: short, so the window closes within a second
 * and stop() need not abort a receive that would hand its messages to nobody.
 */
const GATHER_POLL_SECONDS = 1;
/** Pause after a failed SQS call (a queue not there yet, the network), on the serve clock. */
const ERROR_BACKOFF_MS = 1000;

export interface ConsumerReport {
  /** Batches whose invocation finished after stop() began. */
  readonly finished: number;
  /** Messages received but not handed to the function, made visible again (visibility 0). */
  readonly released: number;
  /** Batches still invoking at the deadline: their messages return after their visibility timeout. */
  readonly abandoned: number;
}

/**
 * One served function's SQS event source mapping, over the SDK, as Lambda's pollers run it
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html and
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): `concurrency`
 * loops, each long-polling (WaitTimeSeconds 20) and carrying one batch at a time, so at most that
 * many batches are in flight; a batch gathers up to `batchSize` messages within the batching
 * window; the SQS event is local/event-source's; success deletes the batch, a partial batch
 * response deletes all but the failures, a function error leaves every message to come back after
 * its visibility timeout (and reach the dead-letter queue after maxReceiveCount, SQS's redrive).
 * FIFO: SQS hands out no message of a group while an earlier one of that group is in flight, so
 * each group is processed one batch at a time, in order, however many loops poll.
 */
export class QueueConsumer {
  /** Aborted when stop() begins: pauses end, no new receive starts. */
  private readonly stopSignal = new AbortController();
  /** Aborts the receives in flight: at once when stop() begins with nothing gathered, else at the deadline. */
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly filter: ((record: unknown) => boolean) | undefined;
  private queueUrl: Promise<string> | undefined;
  private invoking = 0;
  private finishedWhileStopping = 0;
  private released = 0;
  /** Loops holding messages no invocation runs: gathering a batch, or waiting out a throttle. */
  private gathering = 0;
  /** Messages received once stop() began, released when every receive has ended. */
  private readonly held: ReceivedMessage[] = [];
  private heldUrl: string | undefined;

  constructor(
    private readonly plan: ConsumerPlan,
    private readonly sqs: SQSClient,
    private readonly context: ServeContext,
  ) {
    this.filter = compileFilters(plan.fn.consumes?.filters);
    if (plan.queueUrl !== undefined) this.queueUrl = Promise.resolve(plan.queueUrl);
  }

  start(): void {
    for (let i = 0; i < this.plan.concurrency; i++) this.loops.push(this.loop());
  }

  /**
   * Stops polling, waits for the batches in flight until `deadlineMs` on the clock, then releases
   * what was received but not handed to the function. With nothing gathered the idle long polls
   * are aborted at once. With a batch gathering they are left to end by themselves (within 20
   * seconds, or the deadline): a poll whose caller went away still takes messages on SQS's side
   * (the local endpoint's too, until it sees the connection close), and would take the released
   * ones, hiding them for their visibility timeout.
   */
  async stop(deadlineMs: number): Promise<ConsumerReport> {
    const { clock } = this.context;
    this.stopSignal.abort();
    if (this.gathering === 0) this.abort.abort();
    const atDeadline = clock.at(deadlineMs, () => this.abort.abort());
    await untilOrDeadline(Promise.allSettled(this.loops), clock, deadlineMs);
    atDeadline.cancel();
    const report = { finished: this.finishedWhileStopping, abandoned: this.invoking };
    if (this.heldUrl !== undefined && this.held.length > 0)
      await this.release(this.heldUrl, this.held.splice(0), true);
    return { ...report, released: this.released };
  }

  private get stopped(): boolean {
    return this.stopSignal.signal.aborted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const url = await this.url();
        const { batch, receivedAt } = await this.collect(url);
        // Stopped while gathering: keep the messages for stop() to release rather than invoke.
        if (this.stopped) {
          this.held.push(...batch);
          this.heldUrl = url;
        } else if (batch.length > 0) await this.process(url, batch, receivedAt);
      } catch (error) {
        if (this.stopped) return;
        this.warn("consumer-error", `SQS call failed: ${(error as Error).message}`);
        await this.pause(ERROR_BACKOFF_MS);
      }
    }
  }

  /**
   * The queue's URL: the one the server found (its stack's outputs, or GetQueueUrl), else asked
   * of SQS once (again after a failure), as a mapping knows its queue by ARN.
   */
  private url(): Promise<string> {
    if (this.queueUrl === undefined) {
      const asked = askQueueUrl(this.sqs, this.plan.queue.queueName, this.abort.signal);
      asked.catch(() => {
        if (this.queueUrl === asked) this.queueUrl = undefined;
      });
      this.queueUrl = asked;
    }
    return this.queueUrl;
  }

  /**
   * `abortable`: stop() may abort it (see stop()). A receive while a batch gathers never is: it
   * ends by itself within GATHER_POLL_SECONDS and what it brings is released with the batch.
   */
  private receive(
    url: string,
    max: number,
    waitSeconds: number,
    abortable: boolean,
  ): Promise<ReceivedMessage[]> {
    return receiveMessages(this.sqs, url, max, waitSeconds, abortable ? this.abort.signal : undefined);
  }

  /**
   * Long-polls for the first messages, then gathers more until the batch is full or the window
   * closes. The window is kept with whole-second long polls that SQS ends itself, so it may close
   * up to a second late.
   */
  private async collect(url: string): Promise<{ batch: ReceivedMessage[]; receivedAt: number }> {
    const { batchSize, windowMs } = this.plan;
    const { clock } = this.context;
    const first = await this.receive(url, Math.min(RECEIVE_MAX, batchSize), LONG_POLL_SECONDS, true);
    const receivedAt = clock.now();
    const batch: ReceivedMessage[] = [];
    if (first.length === 0) return { batch, receivedAt };
    this.gathering++;
    // The event stays within Lambda's payload limit (the rule dev's mapping keeps too); what does
    // not fit is released, visible again at once.
    const payload = new SqsBatchPayload(this.plan.queueArn, this.plan.region);
    const tooBig: ReceivedMessage[] = payload.take(batch, first);
    const deadline = clock.now() + windowMs;
    try {
      while (batch.length < batchSize && !payload.full && !this.stopped) {
        const wait = Math.min(GATHER_POLL_SECONDS, Math.max(0, Math.floor((deadline - clock.now()) / 1000)));
        const more = await this.receive(url, Math.min(RECEIVE_MAX, batchSize - batch.length), wait, false);
        tooBig.push(...payload.take(batch, more));
        if (more.length === 0 && (wait === 0 || clock.now() >= deadline)) break;
      }
    } catch (error) {
      // Deliver what was gathered (or, stopping, release it).
      this.warn("consumer-error", `SQS call failed: ${(error as Error).message}`);
    } finally {
      this.gathering--;
      if (tooBig.length > 0) await this.release(url, tooBig, false);
    }
    return { batch, receivedAt };
  }

  private async process(url: string, received: ReceivedMessage[], receivedAt: number): Promise<void> {
    const { fn, queue, queueArn, region } = this.plan;
    const batch = await this.dropFiltered(url, received);
    if (batch.length === 0) return;
    const ids = batch.map((m) => m.messageId);
    const payload = JSON.stringify(toSqsEvent(batch, queueArn, region));
    // The first messages have been hidden since their receive, not since the window closed.
    const result = await this.invokeThroughThrottles(
      payload,
      receivedAt + queue.visibilityTimeoutSeconds * 1000,
    );
    if (!result && this.stopped) {
      // Throttled, never run, and the server stops: released with what gathering batches hold.
      this.held.push(...batch);
      this.heldUrl = url;
      return;
    }
    if (!result) {
      this.batchLog("failed", batch.length, { reason: "throttled until the batch's visibility timeout" });
      return;
    }
    if (result.functionError) {
      this.batchLog("failed", batch.length, { reason: `function error: ${result.payload}` });
      return;
    }
    const outcome = fn.consumes?.reportBatchItemFailures
      ? readBatchResponse(result.payload, ids)
      : ({ kind: "all-succeeded" } as const);
    if (outcome.kind === "all-failed") {
      this.batchLog("failed", batch.length, { reason: outcome.reason });
      return;
    }
    const done = batch.filter((m) => !(outcome.kind === "partial" && outcome.failed.has(m.messageId)));
    await this.delete(url, done);
    if (outcome.kind === "partial")
      this.batchLog("partial", batch.length, {
        failed: [...outcome.failed],
        reason: "reported in batchItemFailures",
      });
    else this.batchLog("succeeded", batch.length);
  }

  /**
   * A throttled invoke (the server's concurrency for the function is taken, e.g. by HTTP requests)
   * is tried again with back-off while the batch is still hidden, as Lambda's mapping does
   * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html); undefined when
   * the visibility timeout would pass first, so the batch comes back to any consumer.
   */
  private async invokeThroughThrottles(
    payload: string,
    hiddenUntil: number,
  ): Promise<ServeInvokeResult | undefined> {
    const { clock } = this.context;
    for (let attempt = 0; ; attempt++) {
      const result = await this.invoke(payload);
      if (!isThrottle(result) || this.stopped) return result;
      const wait = throttleBackoffMs(attempt);
      if (clock.now() + wait >= hiddenUntil) return undefined;
      this.warn("throttled", `invoke throttled; trying again in ${wait} ms`);
      // Holding messages no invocation runs: stop() must not abort the polls (see stop()).
      this.gathering++;
      try {
        await this.pause(wait);
      } finally {
        this.gathering--;
      }
      if (this.stopped) return undefined;
    }
  }

  /** ServeContext.invoke never throws: a crash or error comes back as `functionError`. */
  private async invoke(payload: string): Promise<ServeInvokeResult> {
    this.invoking++;
    try {
      return await this.context.invoke(this.plan.fn.name, payload);
    } finally {
      this.invoking--;
      if (this.stopped) this.finishedWhileStopping++;
    }
  }

  /**
   * Messages no filter matches are deleted, never delivered: Lambda's documented behaviour for SQS
   * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs-filtering.html).
   */
  private async dropFiltered(url: string, batch: ReceivedMessage[]): Promise<ReceivedMessage[]> {
    const filter = this.filter;
    if (!filter) return batch;
    const records = toSqsEvent(batch, this.plan.queueArn, this.plan.region).Records;
    const dropped = batch.filter((_, i) => !filter(sqsFilterView(records[i] as { body: string })));
    if (dropped.length === 0) return batch;
    await this.delete(url, dropped);
    return batch.filter((m) => !dropped.includes(m));
  }

  private delete(url: string, messages: readonly ReceivedMessage[]): Promise<void> {
    return deleteMessages(this.sqs, url, messages, (event, message) => this.warn(event, message));
  }

  private async release(url: string, messages: readonly ReceivedMessage[], count: boolean): Promise<void> {
    const released = await releaseMessages(this.sqs, url, messages, (event, message) =>
      this.warn(event, message),
    );
    if (count) this.released += released;
  }

  private batchLog(outcome: BatchLogOutcome, messages: number, extra: object = {}): void {
    logBatch(this.context, this.plan, outcome, messages, extra);
  }

  private warn(event: string, message: string): void {
    logWarning(this.context, this.plan, event, message);
  }

  /** Resolves after `ms` on the clock, or at once when stopped. */
  private pause(ms: number): Promise<void> {
    return pauseUnlessAborted(this.stopSignal.signal, this.context.clock, ms);
  }
}

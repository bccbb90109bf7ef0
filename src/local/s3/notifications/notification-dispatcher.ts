/**
 * Delivers the outbox after each write commits and, at start, what a crash left in it: at least
 * once, as S3 does. Each row is removed in the same transaction as its delivery, so where the
 * destination lives in the same SQLite file (Lambda's async queue, SQS and EventBridge of
 * `sluice dev`), an event is handed over exactly once; across files (`sluice cloud`: the account's
 * S3, a region's functions) a crash between the two commits delivers it again.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html
 */
import type { Clock, Timer } from "../../clock/index.ts";
import type { S3BusEvent } from "./eventbridge-event.ts";
import type { NotificationOutbox, OutboxRow } from "./notification-outbox.ts";

/** Where notifications go; the local cloud implements it over its Lambda, SQS and EventBridge. */
export interface NotificationTargets {
  /**
   * Lambda's asynchronous invocation of the function with this ARN (its retries and destinations
   * apply). `traceHeader` is the writer's X-Amzn-Trace-Id; `bucket` the (physical) bucket whose
   * object changed, the invocation's trace source. Returns false when there is no such function.
   */
  invokeAsync(
    functionArn: string,
    payload: string,
    traceHeader: string | undefined,
    bucket?: string,
  ): boolean;
  /**
   * SendMessage to the standard queue with this ARN, in the writer's trace; false when there is
   * no such queue.
   */
  sendMessage(queueArn: string, body: string, traceHeader?: string, bucket?: string): boolean;
  /** Puts the event on the default bus of the bucket's region and account. */
  putEvent(event: S3BusEvent): void;
}

export type NotificationEvent =
  | {
      /** The destination no longer exists: S3 drops the event (it checked the destination when configured). */
      readonly type: "s3-notification-dropped";
      readonly bucket: string;
      readonly target: string;
      readonly reason: string;
    }
  | {
      /** Delivery failed; the event stays in the outbox and is tried again. */
      readonly type: "s3-notification-retry";
      readonly bucket: string;
      readonly target: string;
      readonly reason: string;
      readonly atMs: number;
    };

export interface NotificationDispatcherOptions {
  readonly outbox: NotificationOutbox;
  readonly targets: NotificationTargets;
  readonly clock: Clock;
  readonly onEvent?: (event: NotificationEvent) => void;
}

/** Rows read per query while draining. */
const BATCH = 100;
/** After a failed delivery, try again this much later on the clock. */
const RETRY_MS = 1_000;

export class NotificationDispatcher {
  private started = false;
  private closed = false;
  private scheduled = false;
  private retry: Timer | undefined;

  constructor(private readonly options: NotificationDispatcherOptions) {}

  /** Delivers what is in the outbox (events from before a restart included) and from now on every new one. */
  start(): void {
    this.started = true;
    this.drain();
  }

  /**
   * Outbox rows that go out without the clock moving (LocalCloud.pendingWork): every row while a
   * drain is queued for this turn (a write just added one). A drain delivers every row at once, so
   * rows left after it failed and wait for the retry on the clock (RETRY_MS): they do not count.
   */
  pendingWork(): number {
    if (!this.scheduled) return 0;
    return Math.max(1, this.options.outbox.pending());
  }

  /** A write added rows: drain once its transaction has committed (the sink runs inside it). */
  schedule(): void {
    if (!this.started || this.closed || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  close(): void {
    this.closed = true;
    this.retry?.cancel();
    this.retry = undefined;
  }

  /** Delivers every row in the outbox, oldest first; a failed one stays and is retried later. */
  drain(): void {
    if (!this.started || this.closed) return;
    const { outbox } = this.options;
    let afterId = 0;
    let failed = false;
    for (;;) {
      const rows = outbox.after(afterId, BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        afterId = row.id;
        if (!this.deliver(row)) failed = true;
      }
    }
    if (failed) this.armRetry();
  }

  private deliver(row: OutboxRow): boolean {
    const { outbox, targets } = this.options;
    try {
      outbox.db.transaction(() => {
        const found = this.send(targets, row);
        outbox.remove(row.id);
        if (!found) {
          this.options.onEvent?.({
            type: "s3-notification-dropped",
            bucket: row.bucket,
            target: row.target,
            reason: `no ${row.kind} ${row.target}`,
          });
        }
      })();
      return true;
    } catch (error) {
      this.options.onEvent?.({
        type: "s3-notification-retry",
        bucket: row.bucket,
        target: row.target,
        reason: (error as Error).message,
        atMs: this.options.clock.now() + RETRY_MS,
      });
      return false;
    }
  }

  private send(targets: NotificationTargets, row: OutboxRow): boolean {
    switch (row.kind) {
      case "function":
        return targets.invokeAsync(row.target, row.body, row.traceHeader, row.bucket);
      case "queue":
        return targets.sendMessage(row.target, row.body, row.traceHeader, row.bucket);
      case "bus":
        targets.putEvent(JSON.parse(row.body) as S3BusEvent);
        return true;
    }
  }

  private armRetry(): void {
    if (this.retry || this.closed) return;
    const { clock } = this.options;
    this.retry = clock.at(clock.now() + RETRY_MS, () => {
      this.retry = undefined;
      this.drain();
    });
  }
}

/**
 * Per-target delivery of accepted events: a function by asynchronous invoke, a queue by
 * SendMessage, a bus by forwarding the event. A failed attempt is retried with the target's retry
 * policy, then goes to its dead-letter queue, or is counted as dropped. The rows to deliver are in
 * SQLite (event-delivery-store.ts), so deliveries resume after a restart.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { AwsError } from "../../model/errors.ts";
import { type EventTargetSpec, eventBusArn, type RuleSpec, ruleArn } from "../../model/events.ts";
import { isoSeconds } from "../../model/iso-seconds.ts";
import { functionArn, queueArn } from "../../model/naming.ts";
import type { Clock, Timer } from "../clock/index.ts";
import type { QueueService } from "../sqs/index.ts";
import { childHeader, NO_TRACER, type Tracer } from "../traces/index.ts";
import type { BusRules } from "./bus-rules.ts";
import { classifyFailure, deadLetterAttributes } from "./event-dead-letter.ts";
import type { DeliveryRow, EventDeliveryStore } from "./event-delivery-store.ts";
import type { EventBridgeEvent } from "./event-envelope.ts";
import { ExhaustedCondition, retryDelayMs } from "./event-retry-policy.ts";
import { type DeliveryHop, recordDeliveryHop, ruleRef, targetRef } from "./event-trace.ts";
import { targetInput } from "./target-input.ts";

/** What one delivery attempt's hops share: the header it continues and its own. */
interface AttemptTrace {
  readonly parentHeader: string | undefined;
  readonly header: string;
  readonly attempt: number;
  readonly startMs: number;
}

export type EventBusEvent =
  | {
      readonly type: "event-delivered";
      readonly rule: string;
      readonly target: string;
      readonly eventId: string;
    }
  | {
      readonly type: "event-retry-scheduled";
      readonly rule: string;
      readonly target: string;
      readonly eventId: string;
      readonly retry: number;
      readonly atMs: number;
      readonly reason: string;
    }
  | {
      /** The target could not take the event; `deadLetterQueue` is where it went, if anywhere. */
      readonly type: "event-dead-lettered" | "event-dropped";
      readonly rule: string;
      readonly target: string;
      readonly eventId: string;
      readonly reason: string;
      readonly deadLetterQueue?: string;
    };

export interface EventDeliveryOptions {
  readonly clock: Clock;
  readonly spec: AppSpec;
  /** Lambda's asynchronous invoke (its internal queue): how a function target gets an event. */
  readonly invokeAsync: (
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: string,
  ) => unknown;
  readonly sqs: Pick<QueueService, "sendMessage">;
  /**
   * Records a `put` hop per accepted event, a `match` hop per delivery attempt, and `dead-letter`
   * or `drop` when a target's retry policy gives up (issue 20). @default NO_TRACER
   * @example tracer: cloud.traces
   */
  readonly tracer?: Tracer;
  /** Jitter for retry delays, [0, 1). @default Math.random */
  readonly random?: () => number;
  readonly onEvent?: (event: EventBusEvent) => void;
}

/**
 * A Lambda payload must be JSON: Invoke answers anything else with 400
 * InvalidRequestContentException, a client error EventBridge does not retry (eb-rule-dlq), so
 * such an event goes to the dead-letter queue or is dropped. Only an input transformer can make one.
 */
function lambdaPayload(payload: string): string {
  try {
    JSON.parse(payload);
    return payload;
  } catch (error) {
    throw new AwsError(
      "InvalidRequestContentException",
      `Could not parse request body into json: ${(error as Error).message}`,
      400,
    );
  }
}

export class EventDelivery {
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private started = false;
  private closed = false;
  private pumping = false;
  private pumpQueued = false;

  constructor(
    private readonly options: EventDeliveryOptions,
    private readonly store: EventDeliveryStore,
    private readonly rules: BusRules,
  ) {}

  /** Delivers accepted events, those from before a restart included. */
  start(): void {
    this.started = true;
    this.schedulePump();
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /**
   * Deliveries that go out without the clock moving (LocalCloud.pendingWork): those due now while a
   * pump is queued for this turn (a PutEvents just accepted them). A pump attempts every due
   * delivery at once (each is a SendMessage or an accepted async invoke), so none is ever running
   * across turns; a retry falls due on a clock timer and does not count.
   */
  pendingWork(): number {
    if (!this.pumpQueued) return 0;
    return Math.max(1, this.store.dueCount(this.options.clock.now()));
  }

  /** Pumps once the current task is done, so one PutEvents settles before its deliveries start. */
  schedulePump(): void {
    if (!this.started || this.closed || this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Attempts every due delivery, then arms the clock for the next one. */
  pump(): void {
    if (!this.started || this.closed || this.pumping) return;
    this.pumping = true;
    try {
      for (let batch = this.store.due(this.options.clock.now()); batch.length > 0; ) {
        for (const row of batch) this.attempt(row);
        batch = this.store.due(this.options.clock.now());
      }
    } finally {
      this.pumping = false;
    }
    this.arm();
  }

  private arm(): void {
    const next = this.store.nextDue();
    if (next === undefined || this.closed) return;
    if (this.timer && this.timerAt <= next) return;
    this.timer?.cancel();
    this.timerAt = next;
    this.timer = this.options.clock.at(next, () => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    });
  }

  private attempt(row: DeliveryRow): void {
    const rule = this.rules.rule(row.rule);
    const target = rule?.targets.find((t) => t.id === row.target_id);
    if (!rule || !target) {
      // The rule or target left the definition (a reload): nothing to deliver to.
      this.store.drop(row);
      return;
    }
    const event = JSON.parse(row.event) as EventBridgeEvent;
    const now = this.options.clock.now();
    const trace: AttemptTrace = {
      parentHeader: row.trace_header ?? undefined,
      header: childHeader(row.trace_header ?? undefined, now),
      attempt: row.retries + 1,
      startMs: now,
    };
    if (now - row.ingested_at >= target.maximumEventAgeSeconds * 1000) {
      const reason = row.last_error ?? "The event exceeded its maximum age before it could be delivered.";
      this.fail(
        row,
        rule,
        target,
        event,
        { code: "INTERNAL_ERROR", message: reason },
        ExhaustedCondition.MaximumEventAgeInSeconds,
        { ...trace, attempt: Math.max(1, row.retries) },
      );
      return;
    }
    try {
      const payload = this.deliver(rule, target, event, row, trace.header);
      this.store.remove(row.id);
      this.hop(trace, "match", rule, target, event, { outcome: "success", payload });
      this.emit({ type: "event-delivered", rule: rule.name, target: target.id, eventId: event.id });
    } catch (error) {
      const failure = classifyFailure(error);
      this.hop(trace, "match", rule, target, event, {
        outcome: failure.code === "THROTTLING" ? "throttled" : "error",
        payload: row.event,
        detail: `${failure.code}: ${failure.message}`,
      });
      if (!failure.retriable || row.retries >= target.maximumRetryAttempts) {
        const exhausted = failure.retriable ? ExhaustedCondition.MaximumRetryAttempts : undefined;
        // The give-up hop follows the failed attempt's.
        const after = { ...trace, parentHeader: trace.header, header: childHeader(trace.header, now) };
        this.fail(row, rule, target, event, failure, exhausted, after);
        return;
      }
      const retry = row.retries + 1;
      const atMs = now + retryDelayMs(retry, this.options.random ?? Math.random);
      this.store.reschedule(row.id, retry, atMs, failure.message);
      this.emit({
        type: "event-retry-scheduled",
        rule: rule.name,
        target: target.id,
        eventId: event.id,
        retry,
        atMs,
        reason: failure.message,
      });
    }
  }

  /**
   * Delivers one event to one target, continuing `traceHeader` (the attempt's `match` hop):
   * the asynchronous invocation and the SQS message carry it, as EventBridge passes the trace
   * header to targets (eb-related-service-xray). Returns what the target got.
   */
  private deliver(
    rule: RuleSpec,
    target: EventTargetSpec,
    event: EventBridgeEvent,
    row: DeliveryRow,
    traceHeader: string,
  ): string {
    const { spec } = this.options;
    if (target.kind === "bus") {
      // A bus target gets the event itself; it is matched against that bus's rules.
      const rows = this.rules.match(target.name, event, this.options.clock.now(), traceHeader);
      this.store.insertAll(rows);
      return row.event;
    }
    const payload = targetInput(target.input, event, {
      ruleArn: ruleArn(spec, rule),
      ruleName: rule.ruleName,
      ingestionTime: isoSeconds(row.ingested_at),
    });
    const source = ruleRef(rule);
    if (target.kind === "function") {
      // Without a transformer the payload is JSON by construction; only a template can break it.
      const json = target.input?.kind === "transformer" ? lambdaPayload(payload) : payload;
      this.options.invokeAsync(target.name, json, traceHeader, source);
    } else {
      // A FIFO queue deduplicates by content (validation requires it): EventBridge sends no id.
      const group = target.messageGroupId;
      this.options.sqs.sendMessage(target.name, {
        body: payload,
        traceHeader,
        source,
        ...(group === undefined ? {} : { messageGroupId: group }),
      });
    }
    return payload;
  }

  private hop(
    trace: AttemptTrace,
    kind: DeliveryHop["kind"],
    rule: RuleSpec,
    target: EventTargetSpec,
    event: EventBridgeEvent,
    what: Pick<DeliveryHop, "outcome" | "payload" | "detail"> & { readonly to?: string },
  ): void {
    recordDeliveryHop(this.options.tracer ?? NO_TRACER, {
      header: trace.header,
      parentHeader: trace.parentHeader,
      kind,
      source: ruleRef(rule),
      target: what.to ?? targetRef(target),
      startMs: trace.startMs,
      outcome: what.outcome,
      attempt: trace.attempt,
      payload: what.payload,
      ...(what.detail === undefined ? {} : { detail: what.detail }),
      eventId: event.id,
    });
  }

  private fail(
    row: DeliveryRow,
    rule: RuleSpec,
    target: EventTargetSpec,
    event: EventBridgeEvent,
    failure: { code: string; message: string },
    exhausted: ExhaustedCondition | undefined,
    trace: AttemptTrace,
  ): void {
    const base = { rule: rule.name, target: target.id, eventId: event.id, reason: failure.message };
    const dlq = target.deadLetterQueue;
    const why = `${exhausted ?? failure.code}: ${failure.message}`;
    if (dlq !== undefined) {
      try {
        const messageAttributes = deadLetterAttributes({
          errorCode: failure.code,
          errorMessage: failure.message,
          exhausted,
          retryAttempts: row.retries,
          ruleArn: ruleArn(this.options.spec, rule),
          targetArn: this.targetArn(target),
        });
        // The DLQ's SendMessage carries the event's trace header (eb-related-service-xray).
        this.options.sqs.sendMessage(dlq, {
          body: row.event,
          messageAttributes,
          traceHeader: trace.header,
          source: ruleRef(rule),
        });
        this.store.remove(row.id);
        this.hop(trace, "dead-letter", rule, target, event, {
          outcome: "error",
          payload: row.event,
          detail: `${why} (sent to ${dlq})`,
          to: `queue:${dlq}`,
        });
        this.emit({ type: "event-dead-lettered", ...base, deadLetterQueue: dlq });
        return;
      } catch {
        // The dead-letter queue refused it too: the event is dropped, as on AWS.
      }
    }
    this.store.drop(row);
    this.hop(trace, "drop", rule, target, event, { outcome: "dropped", payload: row.event, detail: why });
    this.emit({ type: "event-dropped", ...base });
  }

  private targetArn(target: EventTargetSpec): string {
    const { spec } = this.options;
    if (target.kind === "function") return functionArn(spec, target.name);
    if (target.kind === "queue") return queueArn(spec, target.name);
    return eventBusArn(spec, target.name);
  }

  private emit(event: EventBusEvent): void {
    this.options.onEvent?.(event);
  }
}

/**
 * EventBridge for one app: PutEvents onto the default bus and the app's buses, rules matched
 * through one RuleIndex per bus, and per-target delivery (a function by asynchronous invoke, a
 * queue by SendMessage, a bus by forwarding the event) with the target's retry policy, then its
 * dead-letter queue, or a counted drop. Every accepted event is in SQLite before PutEvents answers.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { AwsError } from "../../model/errors.ts";
import { compilePattern } from "../../model/event-pattern/compile-pattern.ts";
import { matches } from "../../model/event-pattern/match.ts";
import { RuleIndex } from "../../model/event-pattern/pattern-index.ts";
import { busByName, type EventTargetSpec, eventBusArn, type RuleSpec, ruleArn } from "../../model/events.ts";
import { LIMITS } from "../../model/limits.ts";
import { functionArn, queueArn } from "../../model/naming.ts";
import type { Clock, Timer } from "../clock.ts";
import type { QueueService } from "../sqs/types.ts";
import type { Db } from "../store/store.ts";
import { classifyFailure, deadLetterAttributes } from "./event-dead-letter.ts";
import { type DeliveryRow, EventDeliveryStore } from "./event-delivery-store.ts";
import {
  type EventBridgeEvent,
  entrySize,
  envelope,
  eventTime,
  type PutEventsEntry,
} from "./event-envelope.ts";
import { ExhaustedCondition, retryDelayMs } from "./event-retry-policy.ts";
import { checkEntry } from "./put-events-entry.ts";
import { targetInput } from "./target-input.ts";

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

export interface EventBusOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly spec: AppSpec;
  /** Lambda's asynchronous invoke (its internal queue): how a function target gets an event. */
  readonly invokeAsync: (functionName: string, payload: string) => unknown;
  readonly sqs: Pick<QueueService, "sendMessage">;
  /** Jitter for retry delays, [0, 1). @default Math.random */
  readonly random?: () => number;
  readonly onEvent?: (event: EventBusEvent) => void;
}

export type PutEventsResultEntry =
  | { readonly EventId: string }
  | { readonly ErrorCode: string; readonly ErrorMessage: string };

export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: readonly PutEventsResultEntry[];
}

export class EventBusService {
  private readonly store: EventDeliveryStore;
  private readonly indexes = new Map<string, RuleIndex>();
  private readonly rules = new Map<string, RuleSpec>();
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private started = false;
  private closed = false;
  private pumping = false;
  private pumpQueued = false;

  constructor(private readonly options: EventBusOptions) {
    this.store = new EventDeliveryStore(options.db);
    for (const rule of Object.values(options.spec.events?.rules ?? {})) {
      this.rules.set(rule.name, rule);
      let index = this.indexes.get(rule.bus);
      if (!index) {
        index = new RuleIndex();
        this.indexes.set(rule.bus, index);
      }
      index.add(rule.name, compilePattern(rule.pattern));
    }
  }

  /**
   * PutEvents: each valid entry becomes an event on its bus and gets an EventId; a bad entry gets
   * ErrorCode and ErrorMessage, and the others still go through.
   * @throws AwsError ValidationException for more than 10 entries or entries over the size limit.
   */
  putEvents(entries: readonly PutEventsEntry[]): PutEventsResult {
    const count = LIMITS.events.putEventsEntries;
    if (entries.length < count.min || entries.length > count.max) {
      throw new AwsError(
        "ValidationException",
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${count.max} and greater than or equal to ${count.min}`,
        400,
      );
    }
    const size = entries.reduce((sum, e) => sum + entrySize(e), 0);
    if (size > LIMITS.events.putEventsEntrySize.max) {
      throw new AwsError(
        "ValidationException",
        "Total size of the entries in the request is over the limit.",
        400,
      );
    }
    const { spec, clock } = this.options;
    const results: PutEventsResultEntry[] = [];
    const rows: { rule: string; targetId: string; event: string; nowMs: number }[] = [];
    const nowMs = clock.now();
    for (const entry of entries) {
      const bus = busByName(spec, entry.EventBusName);
      if (bus === undefined) {
        results.push({
          ErrorCode: "NotFoundException",
          ErrorMessage: `Event bus ${entry.EventBusName} does not exist.`,
        });
        continue;
      }
      const check = checkEntry(entry);
      if (!check.ok) {
        results.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
        continue;
      }
      const event = envelope({ ...entry, Source: check.source, DetailType: check.detailType }, check.detail, {
        account: spec.accountId,
        region: spec.region,
        nowMs,
      });
      rows.push(...this.matchRows(bus, event, nowMs));
      results.push({ EventId: event.id });
    }
    this.store.insertAll(rows);
    if (rows.length > 0) this.schedulePump();
    return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
  }

  /**
   * TestEventPattern: whether `event` (JSON text) matches `pattern` (JSON text).
   * @throws PatternError (InvalidEventPatternException) for an invalid pattern.
   */
  testEventPattern(pattern: string, event: string): boolean {
    const compiled = compilePattern(pattern);
    let parsed: unknown;
    try {
      parsed = JSON.parse(event);
    } catch {
      throw new AwsError("InvalidEventPatternException", "Event is not valid JSON.", 400);
    }
    return matches(compiled, parsed);
  }

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

  /** Events dropped per `rule/targetId` (retries exhausted, no dead-letter queue). */
  dropped(): Record<string, number> {
    return this.store.drops();
  }

  /** Deliveries accepted and not yet finished. */
  pending(): number {
    return this.store.pending();
  }

  private matchRows(bus: string, event: EventBridgeEvent, nowMs: number) {
    const index = this.indexes.get(bus);
    if (!index) return [];
    const text = JSON.stringify(event);
    return index.match(event).flatMap((ruleName) =>
      (this.rules.get(ruleName)?.targets ?? []).map((t) => ({
        rule: ruleName,
        targetId: t.id,
        event: text,
        nowMs,
      })),
    );
  }

  private schedulePump(): void {
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
    const rule = this.rules.get(row.rule);
    const target = rule?.targets.find((t) => t.id === row.target_id);
    if (!rule || !target) {
      // The rule or target left the definition (a reload): nothing to deliver to.
      this.store.drop(row);
      return;
    }
    const event = JSON.parse(row.event) as EventBridgeEvent;
    const now = this.options.clock.now();
    if (now - row.ingested_at >= target.maximumEventAgeSeconds * 1000) {
      const reason = row.last_error ?? "The event exceeded its maximum age before it could be delivered.";
      this.fail(
        row,
        rule,
        target,
        event,
        { code: "INTERNAL_ERROR", message: reason },
        ExhaustedCondition.MaximumEventAgeInSeconds,
      );
      return;
    }
    try {
      this.deliver(rule, target, event, row.ingested_at);
      this.store.remove(row.id);
      this.emit({ type: "event-delivered", rule: rule.name, target: target.id, eventId: event.id });
    } catch (error) {
      const failure = classifyFailure(error);
      if (!failure.retriable || row.retries >= target.maximumRetryAttempts) {
        const exhausted = failure.retriable ? ExhaustedCondition.MaximumRetryAttempts : undefined;
        this.fail(row, rule, target, event, failure, exhausted);
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

  private deliver(
    rule: RuleSpec,
    target: EventTargetSpec,
    event: EventBridgeEvent,
    ingestedAt: number,
  ): void {
    const { spec } = this.options;
    if (target.kind === "bus") {
      // A bus target gets the event itself; it is matched against that bus's rules.
      const rows = this.matchRows(target.name, event, this.options.clock.now());
      this.store.insertAll(rows);
      return;
    }
    const payload = targetInput(target.input, event, {
      ruleArn: ruleArn(spec, rule),
      ruleName: rule.ruleName,
      ingestionTime: eventTime(ingestedAt),
    });
    if (target.kind === "function") this.options.invokeAsync(target.name, payload);
    else this.options.sqs.sendMessage(target.name, { body: payload });
  }

  private fail(
    row: DeliveryRow,
    rule: RuleSpec,
    target: EventTargetSpec,
    event: EventBridgeEvent,
    failure: { code: string; message: string },
    exhausted: ExhaustedCondition | undefined,
  ): void {
    const base = { rule: rule.name, target: target.id, eventId: event.id, reason: failure.message };
    const dlq = target.deadLetterQueue;
    if (dlq !== undefined) {
      try {
        const messageAttributes = deadLetterAttributes({
          errorCode: failure.code,
          errorMessage: failure.message,
          ...(exhausted === undefined ? {} : { exhausted }),
          retryAttempts: row.retries,
          ruleArn: ruleArn(this.options.spec, rule),
          targetArn: this.targetArn(target),
        });
        this.options.sqs.sendMessage(dlq, { body: row.event, messageAttributes });
        this.store.remove(row.id);
        this.emit({ type: "event-dead-lettered", ...base, deadLetterQueue: dlq });
        return;
      } catch {
        // The dead-letter queue refused it too: the event is dropped, as on AWS.
      }
    }
    this.store.drop(row);
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

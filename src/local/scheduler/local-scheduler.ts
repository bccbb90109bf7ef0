import { randomBytes } from "node:crypto";
import { SluiceError } from "../../model/errors.ts";
import { scheduleArn } from "../../model/naming.ts";
import { fillContextAttributes } from "../../model/schedule/context-attributes.ts";
import { parseSchedule, type Schedule } from "../../model/schedule/expression.ts";
import { nextFireTimes } from "../../model/schedule/next.ts";
import type { ScheduleSpec } from "../../model/schedule/spec.ts";
import type { Clock, Timer } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { newTraceHeader, type TraceRef, type Tracer, traceRootOf } from "../traces/index.ts";
import { ScheduleStore } from "./schedule-store.ts";

/** One delivery a schedule makes: the schedule, the due time it stands for, and the payload. */
export interface ScheduledDelivery {
  readonly schedule: ScheduleSpec;
  /** The due time (epoch ms), not the time it was delivered. */
  readonly scheduledTimeMs: number;
  /**
   * The target's input (`{}` when the schedule gives none) with Scheduler's context attributes
   * filled in for this invocation.
   */
  readonly payload: string;
  /**
   * The trace this firing started (its `schedule` hop's header): the delivery carries it on, as
   * the async invoke's header, the message's trace header, the event's TraceHeader.
   */
  readonly traceHeader: string;
}

export type SchedulerEvent =
  | { readonly type: "schedule-fired"; readonly schedule: string; readonly scheduledTimeMs: number }
  | {
      readonly type: "schedule-failed";
      readonly schedule: string;
      readonly scheduledTimeMs: number;
      readonly error: unknown;
    }
  | { readonly type: "schedule-missed"; readonly schedule: string; readonly skipped: number };

export interface LocalSchedulerOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly schedules: readonly ScheduleSpec[];
  /** Region and account of the schedules' ARNs (`<aws.scheduler.schedule-arn>`). */
  readonly region: string;
  readonly accountId: string;
  /** Calls the target; throwing records a failed delivery (the schedule carries on). */
  readonly deliver: (delivery: ScheduledDelivery) => void;
  readonly onEvent?: (event: SchedulerEvent) => void;
  /** Records a `schedule` hop per firing (issue 20). @default none */
  readonly tracer?: Tracer;
}

/** A schedule as `sluice schedules` shows it. */
export interface ScheduleInfo {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  /** `function:<name>`, `queue:<name>` or `bus:<name>`. */
  readonly target: string;
  readonly enabled: boolean;
  /** The due time it last fired, when it has. */
  readonly lastFireMs?: number;
  /** Its next due times (a time before now is due and fires at once). */
  readonly next: readonly number[];
}

const MINUTE_MS = 60_000;

/** At most this many occurrences missed while `dev` was stopped are delivered on start, per schedule. */
export const MISSED_LIMIT = 100;

interface Entry {
  readonly spec: ScheduleSpec;
  readonly parsed: Schedule;
  /** The next due time, or undefined when the schedule has no more (a past `at()`). */
  next: number | undefined;
}

/**
 * Fires schedules from the Clock. One timer for the earliest due time across all schedules; when
 * it wakes, every occurrence due by then fires in time order (ties by name), so a clock that jumps
 * (`sluice time advance 90m`) delivers each occurrence once, in the order AWS would have.
 */
export class LocalScheduler {
  private readonly store: ScheduleStore;
  private readonly entries: Entry[] = [];
  private timer: Timer | undefined;
  private armedAt: number | undefined;
  private closed = false;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.store = new ScheduleStore(options.db);
  }

  /** Reads each enabled schedule's cursor and arms the clock; missed occurrences fire now. */
  start(): void {
    const now = this.options.clock.now();
    for (const spec of this.options.schedules) {
      if (!spec.enabled) continue;
      const parsed = parseSchedule(spec.expression);
      let cursor = this.store.cursor(spec.name, spec.expression, spec.timezone);
      if (cursor === undefined) {
        // Scheduler works to the minute: a new rate() schedule counts from the start of this one.
        cursor = Math.floor(now / MINUTE_MS) * MINUTE_MS;
        this.store.save(spec.name, spec.expression, spec.timezone, cursor, false);
      }
      cursor = fromCursor(parsed, cursor, this.store.firedCount(spec.name) > 0);
      cursor = this.limitMissed(spec, parsed, cursor, now);
      this.entries.push({ spec, parsed, next: nextFireTimes(parsed, cursor, 1, spec.timezone)[0] });
    }
    this.run();
  }

  /** The next `count` due times of a schedule (none when disabled or finished). */
  upcoming(name: string, count: number): number[] {
    const entry = this.entries.find((e) => e.spec.name === name);
    if (entry?.next === undefined) return [];
    return [entry.next, ...nextFireTimes(entry.parsed, entry.next, count - 1, entry.spec.timezone)];
  }

  /** Every schedule with its next `count` due times, from the durable cursors (started or not). */
  list(count: number): ScheduleInfo[] {
    const now = this.options.clock.now();
    return this.options.schedules.map((spec) => {
      const cursor = this.store.cursor(spec.name, spec.expression, spec.timezone);
      const fired = cursor !== undefined && this.store.firedCount(spec.name) > 0;
      const parsed = parseSchedule(spec.expression);
      const from = fromCursor(parsed, cursor ?? Math.floor(now / MINUTE_MS) * MINUTE_MS, fired);
      const next = spec.enabled ? nextFireTimes(parsed, from, count, spec.timezone) : [];
      return {
        name: spec.name,
        expression: spec.expression,
        timezone: spec.timezone,
        target: `${spec.target.kind}:${spec.target.name}`,
        enabled: spec.enabled,
        ...(fired ? { lastFireMs: cursor } : {}),
        next,
      };
    });
  }

  /**
   * Fires a schedule now, as at its next due time (the console's and `Operations.triggerSchedule`'s
   * "run it now"), leaving its next due times as they were: its cursor is not moved, so the
   * occurrence still fires when due. Returns the trace the firing started. Throws
   * SLUICE_UNKNOWN_SCHEDULE for a name the definition does not have.
   */
  trigger(name: string): { traceId: string } {
    const spec = this.options.schedules.find((s) => s.name === name);
    if (spec === undefined) {
      const names = this.options.schedules.map((s) => s.name);
      throw new SluiceError(
        "SLUICE_UNKNOWN_SCHEDULE",
        `no schedule "${name}" in this app (it has: ${names.join(", ") || "none"})`,
        { context: { schedule: name } },
      );
    }
    const next =
      this.entries.find((e) => e.spec.name === name)?.next ??
      this.list(1).find((s) => s.name === name)?.next[0];
    const header = this.fire(spec, next ?? this.options.clock.now(), false);
    return { traceId: traceRootOf(header) as string };
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Fires everything due, in time order, then arms the clock for the next due time. */
  private run(): void {
    if (this.closed) return;
    for (;;) {
      const entry = this.earliest();
      if (entry?.next === undefined || entry.next > this.options.clock.now()) break;
      this.fire(entry.spec, entry.next, true);
      entry.next = nextFireTimes(entry.parsed, entry.next, 1, entry.spec.timezone)[0];
    }
    this.arm();
  }

  /**
   * Delivers one occurrence in a trace of its own (EventBridge passes no trace header for
   * scheduled events: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-xray-integ.html,
   * so locally each firing starts one), and moves the schedule's cursor when `advance`.
   * Returns the firing's header.
   */
  private fire(spec: ScheduleSpec, scheduledTimeMs: number, advance: boolean): string {
    if (advance) this.store.save(spec.name, spec.expression, spec.timezone, scheduledTimeMs, true);
    const payload = fillContextAttributes(spec.target.input ?? "{}", {
      scheduleArn: scheduleArn(this.options.region, this.options.accountId, spec.scheduleName),
      scheduledTimeMs,
      // Unique per attempted invocation; AWS's example is 16 lowercase characters.
      executionId: randomBytes(8).toString("hex"),
      // Sluice's scheduler makes one attempt (no retry policy), so every invocation is attempt 1.
      attemptNumber: 1,
    });
    const startMs = this.options.clock.now();
    const traceHeader = newTraceHeader(startMs);
    let failure: unknown;
    try {
      this.options.deliver({ schedule: spec, scheduledTimeMs, payload, traceHeader });
      this.options.onEvent?.({ type: "schedule-fired", schedule: spec.name, scheduledTimeMs });
    } catch (error) {
      failure = error;
      this.options.onEvent?.({ type: "schedule-failed", schedule: spec.name, scheduledTimeMs, error });
    }
    const target: TraceRef = `${spec.target.kind}:${spec.target.name}`;
    this.options.tracer?.record({
      header: traceHeader,
      kind: "schedule",
      source: `schedule:${spec.name}`,
      target,
      startMs,
      durationMs: 0,
      outcome: failure === undefined ? "success" : "error",
      payload,
      ...(failure === undefined ? {} : { detail: (failure as Error).message ?? String(failure) }),
    });
    return traceHeader;
  }

  private arm(): void {
    const next = this.earliest()?.next;
    if (next === this.armedAt && this.timer !== undefined) return;
    this.timer?.cancel();
    this.timer = undefined;
    this.armedAt = next;
    if (next === undefined) return;
    this.timer = this.options.clock.at(next, () => {
      this.timer = undefined;
      this.run();
    });
  }

  private earliest(): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.entries) {
      if (e.next === undefined) continue;
      if (!best || e.next < (best.next as number) || (e.next === best.next && e.spec.name < best.spec.name)) {
        best = e;
      }
    }
    return best;
  }

  /**
   * Moves a cursor forward so that at most MISSED_LIMIT occurrences missed while stopped remain,
   * reporting how many were skipped.
   */
  private limitMissed(spec: ScheduleSpec, parsed: Schedule, cursor: number, now: number): number {
    const recent: number[] = [];
    let skipped = 0;
    let lastSkipped = cursor;
    let from = cursor;
    for (;;) {
      const batch = nextFireTimes(parsed, from, 1000, spec.timezone).filter((t) => t <= now);
      for (const t of batch) {
        recent.push(t);
        if (recent.length > MISSED_LIMIT) {
          lastSkipped = recent.shift() as number;
          skipped++;
        }
      }
      if (batch.length < 1000) break;
      from = batch[batch.length - 1] as number;
    }
    if (skipped === 0) return cursor;
    this.options.onEvent?.({ type: "schedule-missed", schedule: spec.name, skipped });
    // The cursor sits on the last skipped occurrence, so the next MISSED_LIMIT fire.
    return lastSkipped;
  }
}

/**
 * The time a schedule's next due times count from. A rate() schedule that has not fired yet is
 * due at its anchor itself: "If you do not provide a StartDate for a rate-based schedule, your
 * schedule starts invoking the target immediately" (synth writes no StartDate, so the deployed
 * schedule does the same).
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
function fromCursor(parsed: Schedule, cursor: number, fired: boolean): number {
  return parsed.kind === "rate" && !fired ? cursor - parsed.periodMs : cursor;
}

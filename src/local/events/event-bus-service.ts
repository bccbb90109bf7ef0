/**
 * EventBridge for one app: PutEvents onto the default bus and the app's buses and TestEventPattern.
 * Rules are matched through bus-rules.ts; event-delivery.ts delivers to the targets. Every
 * accepted event is in SQLite before PutEvents answers.
 */
import { AwsError } from "../../model/errors.ts";
import { compilePattern } from "../../model/event-pattern/compile-pattern.ts";
import { matches } from "../../model/event-pattern/match.ts";
import { busByName, DEFAULT_BUS } from "../../model/events.ts";
import { LIMITS } from "../../model/limits.ts";
import type { Db } from "../store/index.ts";
import { childHeader, NO_TRACER, withoutLineage } from "../traces/index.ts";
import { BusRules, type MatchedDelivery } from "./bus-rules.ts";
import { EventDelivery, type EventDeliveryOptions } from "./event-delivery.ts";
import { EventDeliveryStore } from "./event-delivery-store.ts";
import { type EventBridgeEvent, entrySize, envelope, type PutEventsEntry } from "./event-envelope.ts";
import { checkEntry } from "./put-events-entry.ts";

/** Who put the events, for their trace (issue 20). */
export interface PutEventsContext {
  /**
   * The request's X-Amzn-Trace-Id: an entry without a TraceHeader of its own carries it (the
   * entry's overrides the request's, eb-related-service-xray). @default none (a new trace)
   */
  readonly traceHeader?: string;
  /** `function:ingest` when a function put them. @default "client" */
  readonly source?: string;
}

export interface EventBusOptions extends EventDeliveryOptions {
  readonly db: Db;
}

/** An event from an AWS service (see putServiceEvent). */
export interface ServiceEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly resources: readonly string[];
  /** When it happened, ms since the epoch. */
  readonly timeMs: number;
}

export type PutEventsResultEntry =
  | { readonly EventId: string }
  | { readonly ErrorCode: string; readonly ErrorMessage: string };

export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: readonly PutEventsResultEntry[];
}

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html */
const TEST_EVENT_FIELDS = ["id", "account", "source", "time", "region", "detail-type"] as const;

function isTestEvent(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return TEST_EVENT_FIELDS.every((field) => Object.hasOwn(value, field));
}

export class EventBusService {
  private readonly store: EventDeliveryStore;
  private readonly rules: BusRules;
  private readonly delivery: EventDelivery;

  constructor(private readonly options: EventBusOptions) {
    this.store = new EventDeliveryStore(options.db);
    this.rules = new BusRules(options.spec);
    this.delivery = new EventDelivery(options, this.store, this.rules);
  }

  /**
   * PutEvents: each valid entry becomes an event on its bus and gets an EventId; a bad entry gets
   * ErrorCode and ErrorMessage, and the others still go through.
   * @throws AwsError ValidationException for more than 10 entries or entries over the size limit.
   */
  putEvents(entries: readonly PutEventsEntry[], context: PutEventsContext = {}): PutEventsResult {
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
    const rows: MatchedDelivery[] = [];
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
      const given = entry.TraceHeader ?? context.traceHeader;
      const header = this.recordPut(event, bus, given, context.source ?? "client", nowMs);
      rows.push(...this.rules.match(bus, event, nowMs, header));
      results.push({ EventId: event.id });
    }
    this.store.insertAll(rows);
    if (rows.length > 0) this.delivery.schedulePump();
    return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
  }

  /**
   * An event an AWS service puts on the default bus, such as S3's `aws.s3` "Object Created":
   * PutEvents refuses `aws.` sources (NotAuthorizedForSourceException), so services come in here.
   * Returns the event's id.
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html
   */
  putServiceEvent(event: ServiceEvent): string {
    const { spec, clock } = this.options;
    const nowMs = clock.now();
    const entry = {
      Source: event.source,
      DetailType: event.detailType,
      Resources: event.resources,
      Time: event.timeMs / 1000,
    };
    const built = envelope(entry, event.detail, { account: spec.accountId, region: spec.region, nowMs });
    // AWS does not trace service events (eb-related-service-xray); locally each starts a trace.
    const header = this.recordPut(built, DEFAULT_BUS, undefined, event.source, nowMs);
    const rows = this.rules.match(DEFAULT_BUS, built, nowMs, header);
    this.store.insertAll(rows);
    if (rows.length > 0) this.delivery.schedulePump();
    return built.id;
  }

  /** Records the event's `put` hop; returns its header, which the event's deliveries continue. */
  private recordPut(
    event: EventBridgeEvent,
    bus: string,
    given: string | undefined,
    source: string,
    nowMs: number,
  ): string {
    // Lambda's loop detection does not count through EventBridge (invocation-recursion.html).
    const header = withoutLineage(childHeader(given, nowMs));
    (this.options.tracer ?? NO_TRACER).record({
      header,
      ...(given === undefined ? {} : { parentHeader: given }),
      kind: "put",
      source,
      target: `bus:${bus}`,
      startMs: nowMs,
      durationMs: 0,
      outcome: "success",
      payload: JSON.stringify(event),
      requestId: event.id,
    });
    return header;
  }

  /**
   * TestEventPattern: whether `event` (JSON text) matches `pattern` (JSON text). The pattern is
   * checked first; then the event must be a JSON object with the fields the API reference calls
   * mandatory. AWS does not insist on `resources`, although the reference lists it (docs/fidelity.md).
   * @throws PatternError (InvalidEventPatternException) for an invalid pattern.
   * @throws AwsError ValidationException `Parameter Event is not valid.` for an invalid event.
   */
  testEventPattern(pattern: string, event: string): boolean {
    const compiled = compilePattern(pattern);
    let parsed: unknown;
    try {
      parsed = JSON.parse(event);
    } catch {
      parsed = undefined;
    }
    if (!isTestEvent(parsed)) throw new AwsError("ValidationException", "Parameter Event is not valid.", 400);
    return matches(compiled, parsed);
  }

  /** Delivers accepted events, those from before a restart included. */
  start(): void {
    this.delivery.start();
  }

  close(): void {
    this.delivery.close();
  }

  /** Events dropped per `rule/targetId` (retries exhausted, no dead-letter queue). */
  dropped(): Record<string, number> {
    return this.store.drops();
  }

  /** Deliveries accepted and not yet finished. */
  pending(): number {
    return this.store.pending();
  }

  /** Deliveries that go out without the clock moving: see EventDelivery.pendingWork. */
  pendingWork(): number {
    return this.delivery.pendingWork();
  }
}

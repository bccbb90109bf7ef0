/**
 * EventBridge's trace hops (issue 20): `put` for each accepted event (target `bus:<name>`),
 * `match` for each attempt to deliver it to a rule's target (source `rule:<bus>.<rule>`), and
 * `dead-letter` or `drop` when the target's retry policy gives up.
 *
 * EventBridge passes on the trace header a PutEvents entry carries (its TraceHeader, else the
 * request's X-Amzn-Trace-Id: the entry's overrides the header) to the targets, and to the
 * dead-letter queue's SendMessage; the event delivered does not contain it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-related-service-xray.html
 * Locally an event without one still belongs to a trace (a new one), so the console shows it.
 */
import type { EventTargetSpec, RuleSpec } from "../../model/events.ts";
import type { HopOutcome, Tracer } from "../traces/index.ts";

/** `rule:<bus>.<rule>` in the definition's names. */
export function ruleRef(rule: RuleSpec): string {
  return `rule:${rule.bus}.${rule.name}`;
}

/** `function:x`, `queue:x`, `bus:x`: the target in the definition's names. */
export function targetRef(target: EventTargetSpec): string {
  return `${target.kind}:${target.name}`;
}

/** One hop of a delivery attempt, recorded with what every EventBridge hop shares. */
export interface DeliveryHop {
  readonly header: string;
  readonly parentHeader: string | undefined;
  readonly kind: "match" | "dead-letter" | "drop";
  readonly source: string;
  readonly target: string;
  readonly startMs: number;
  readonly outcome: HopOutcome;
  readonly attempt: number;
  readonly payload: string;
  readonly detail?: string;
  readonly eventId: string;
}

export function recordDeliveryHop(tracer: Tracer, hop: DeliveryHop): void {
  tracer.record({
    header: hop.header,
    ...(hop.parentHeader === undefined ? {} : { parentHeader: hop.parentHeader }),
    kind: hop.kind,
    source: hop.source,
    target: hop.target,
    startMs: hop.startMs,
    durationMs: 0,
    outcome: hop.outcome,
    attempt: hop.attempt,
    payload: hop.payload,
    ...(hop.detail === undefined ? {} : { detail: hop.detail }),
    requestId: hop.eventId,
  });
}

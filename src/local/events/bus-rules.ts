/**
 * The rules of an app's buses: one RuleIndex per bus, so matching an event costs one index lookup
 * however many rules there are. PutEvents and a bus target (forwarding) both match through here.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { compilePattern } from "../../model/event-pattern/compile-pattern.ts";
import { RuleIndex } from "../../model/event-pattern/pattern-index.ts";
import type { RuleSpec } from "../../model/events.ts";
import type { EventBridgeEvent } from "./event-envelope.ts";

/** One delivery to insert: the event (JSON text) for one target of one matching rule. */
export interface MatchedDelivery {
  readonly rule: string;
  readonly targetId: string;
  readonly event: string;
  readonly nowMs: number;
  /** The header of the hop that put the event on this bus: its deliveries continue it. */
  readonly traceHeader: string;
}

export class BusRules {
  private readonly indexes = new Map<string, RuleIndex>();
  private readonly rules = new Map<string, RuleSpec>();

  constructor(spec: AppSpec) {
    for (const rule of Object.values(spec.events?.rules ?? {})) {
      this.rules.set(rule.name, rule);
      let index = this.indexes.get(rule.bus);
      if (!index) {
        index = new RuleIndex();
        this.indexes.set(rule.bus, index);
      }
      index.add(rule.name, compilePattern(rule.pattern));
    }
  }

  rule(name: string): RuleSpec | undefined {
    return this.rules.get(name);
  }

  /** A delivery per target of every rule on `bus` that matches `event`. */
  match(bus: string, event: EventBridgeEvent, nowMs: number, traceHeader: string): MatchedDelivery[] {
    const index = this.indexes.get(bus);
    if (!index) return [];
    const text = JSON.stringify(event);
    return index.match(event).flatMap((ruleName) =>
      (this.rules.get(ruleName)?.targets ?? []).map((t) => ({
        rule: ruleName,
        targetId: t.id,
        event: text,
        nowMs,
        traceHeader,
      })),
    );
  }
}

/**
 * Reads and checks `buses` and `rules`: names that fit EventBridge, patterns EventBridge would
 * accept (compiled here, so a bad pattern fails at load, not at the first event), 1–5 targets
 * that exist, at most one input option each, retry policies within range, standard-queue DLQs.
 * Each part is read in its own validate-event-*.ts file.
 */
import type { EventsSpec, RuleSpec } from "../events.ts";
import { readBuses } from "./event-buses.ts";
import type { EventsContext } from "./event-context.ts";
import { readRule } from "./event-rules.ts";
import { type Fields, type Issues, readObject } from "./values.ts";

export type { EventsContext } from "./event-context.ts";

/** The events section, or undefined when the definition has neither buses nor rules. */
export function readEvents(issues: Issues, fields: Fields, context: EventsContext): EventsSpec | undefined {
  if (fields.buses === undefined && fields.rules === undefined) return undefined;
  const app = context.app ?? "app";
  const buses = readBuses(issues, fields.buses, app, context);
  const rules: Record<string, RuleSpec> = {};
  if (fields.rules !== undefined) {
    const raw = readObject(
      issues,
      "rules",
      fields.rules,
      `rules: { bill: { pattern: {...}, targets: [...] } }`,
    );
    for (const [name, value] of Object.entries(raw ?? {})) {
      const rule = readRule(issues, name, value, app, buses, context);
      if (rule) rules[name] = rule;
    }
  }
  return { buses, rules };
}

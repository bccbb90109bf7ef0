/**
 * Reads one rule: its name, the bus it listens on, a pattern EventBridge would accept (compiled
 * here, so a bad pattern fails at load, not at the first event) and its targets.
 */
import { compilePattern } from "../event-pattern/compile-pattern.ts";
import { PatternError } from "../event-pattern/errors.ts";
import { type BusSpec, DEFAULT_BUS, physicalRuleName, type RuleSpec } from "../events.ts";
import { LIMITS } from "../limits.ts";
import { checkName } from "./event-buses.ts";
import type { EventsContext } from "./event-context.ts";
import { readTargets } from "./event-targets.ts";
import { didYouMean } from "./suggest.ts";
import { checkKeys, type Issues, join, quoteList, readObject, readString } from "./values.ts";

const E = LIMITS.events;
const RULE_KEYS = ["bus", "description", "pattern", "targets"] as const;

export function readRule(
  issues: Issues,
  name: string,
  value: unknown,
  app: string,
  buses: Readonly<Record<string, BusSpec>>,
  context: EventsContext,
): RuleSpec | undefined {
  const path = join("rules", name);
  const ruleName = physicalRuleName(app, name);
  const nameOk = checkName(issues, path, name, ruleName, E.ruleName, "rule");
  const fields = readObject(
    issues,
    path,
    value,
    `${name}: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }] }`,
  );
  if (fields === undefined || !nameOk) return undefined;
  checkKeys(issues, path, fields, RULE_KEYS);
  const bus =
    fields.bus === undefined
      ? DEFAULT_BUS
      : readString(issues, join(path, "bus"), fields.bus, `bus: "orders"`);
  if (bus !== undefined && bus !== DEFAULT_BUS && !buses[bus]) {
    const known = [DEFAULT_BUS, ...Object.keys(buses)];
    issues.add(
      join(path, "bus"),
      bus,
      `bus "${bus}" is not defined.${didYouMean(bus, known)}`,
      `one of: ${quoteList(known)}`,
      `define buses["${bus}"], or name a defined bus`,
    );
  }
  const pattern = readPattern(issues, join(path, "pattern"), fields.pattern);
  const targets = readTargets(issues, join(path, "targets"), fields.targets, { name, bus }, buses, context);
  if (bus === undefined || pattern === undefined || targets === undefined) return undefined;
  return { name, ruleName, bus, pattern, targets };
}

function readPattern(issues: Issues, path: string, value: unknown): Record<string, unknown> | undefined {
  const fields = readObject(issues, path, value, `pattern: { source: ["shop"] }`);
  if (fields === undefined) return undefined;
  try {
    compilePattern(fields);
    return JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    issues.add(
      path,
      fields,
      error.message,
      "an EventBridge event pattern",
      "fix the pattern as the reason says",
    );
    return undefined;
  }
}

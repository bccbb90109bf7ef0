import { choose, consistent, type EventField, type FlatEvent, flattenEvent } from "./flatten-event.ts";
import type { CompiledPattern, Condition, Matcher } from "./types.ts";
import { matchWildcard } from "./wildcard.ts";

/** True when the event (an object or its JSON text) matches the compiled pattern. */
export function matches(compiled: CompiledPattern, event: unknown): boolean {
  const flat = flattenEvent(event);
  return flat !== undefined && matchesFlat(compiled, flat);
}

/** Same as `matches`, on an event flattened once for many patterns. */
export function matchesFlat(compiled: CompiledPattern, flat: FlatEvent): boolean {
  return compiled.branches.some((branch) => matchConditions(branch.conditions, 0, flat, undefined));
}

function matchConditions(
  conditions: readonly Condition[],
  index: number,
  flat: FlatEvent,
  chosen: ReadonlyMap<number, number> | undefined,
): boolean {
  const condition = conditions[index];
  if (condition === undefined) return true;
  const fields = flat.get(condition.path);
  if (fields === undefined) return condition.absentOk && matchConditions(conditions, index + 1, flat, chosen);
  for (const field of fields) {
    if (!consistent(chosen, field)) continue;
    if (!condition.present.some((m) => test(m, field))) continue;
    if (matchConditions(conditions, index + 1, flat, choose(chosen, field))) return true;
  }
  return false;
}

/** Whether one matcher accepts one present value. */
export function test(m: Matcher, field: EventField): boolean {
  const value = field.value;
  switch (m.kind) {
    case "exact":
      return field.key === m.key || (m.key.charCodeAt(0) === 0x69 && field.ipKey === m.key);
    case "prefix":
      if (typeof value !== "string") return false;
      return m.ignoreCase ? field.lower.startsWith(m.value) : value.startsWith(m.value);
    case "suffix":
      if (typeof value !== "string") return false;
      return m.ignoreCase ? field.lower.endsWith(m.value) : value.endsWith(m.value);
    case "equals-ignore-case":
      return typeof value === "string" && field.lower === m.lower;
    case "wildcard":
      return typeof value === "string" && matchWildcard(m.pattern, value);
    case "numeric": {
      const key = field.numeric;
      if (key === undefined) return false;
      if (m.lower && (m.lower.inclusive ? key < m.lower.key : key <= m.lower.key)) return false;
      if (m.upper && (m.upper.inclusive ? key > m.upper.key : key >= m.upper.key)) return false;
      return true;
    }
    case "cidr": {
      const hex = field.ipHex;
      return hex !== undefined && hex.length === m.low.length && hex >= m.low && hex <= m.high;
    }
    case "exists":
      return m.exists;
    case "anything-but":
      return !m.excluded.some((x) => test(x, field));
  }
}

import { conditionOf } from "./condition.ts";
import { PatternError } from "./errors.ts";
import { isObject, parseMatcher } from "./parse-matcher.ts";
import type { Branch, CompiledPattern, Matcher } from "./types.ts";
import { patternValueKey } from "./value-key.ts";
import { WILDCARD_COMPLEXITY_LIMIT, wildcardComplexity } from "./wildcard-complexity.ts";

/**
 * Field names AWS's rule engine reserves; they may not be used as field names inside `$or`
 * (outside it they are ordinary names).
 */
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

/**
 * Sluice's guard against `$or` combinations multiplying without bound (AWS does not publish
 * one; a 2,048-character pattern cannot reach it with realistic use).
 */
export const MAX_BRANCHES = 1000;

type Draft = Map<string, Matcher[]>;

/**
 * Compiles an EventBridge event pattern (a JSON object, or its JSON text) and checks it the way
 * PutRule does.
 * @throws PatternError (`InvalidEventPatternException`) with AWS's reason when it is invalid.
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  let value = pattern;
  if (typeof pattern === "string") {
    try {
      value = JSON.parse(pattern);
    } catch (error) {
      throw new PatternError(`Filter is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isObject(value)) throw new PatternError("Filter is not an object");
  const drafts = compileObject(value, "", [new Map()], false);
  const branches: Branch[] = drafts.map((draft) => ({
    conditions: [...draft].map(([path, matchers]) => conditionOf(path, matchers)).sort(byClassThenPath),
  }));
  checkWildcardComplexity(branches);
  const paths = [...new Set(branches.flatMap((b) => b.conditions.map((c) => c.path)))].sort();
  const usesWildcard = drafts.some((d) => [...d.values()].some((ms) => ms.some(hasWildcard)));
  return { branches, paths, usesWildcard };
}

function compileObject(obj: Record<string, unknown>, path: string, drafts: Draft[], inOr: boolean): Draft[] {
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new PatternError("Empty objects are not allowed");
  let current = drafts;
  for (const key of keys) {
    const value = obj[key];
    if (key === "$or") {
      current = compileOr(value, path, current);
      continue;
    }
    if (inOr && RESERVED_IN_OR.has(key)) {
      throw new PatternError(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    const fieldPath = path === "" ? key : `${path}.${key}`;
    if (isObject(value)) current = compileObject(value, fieldPath, current, inOr);
    else if (Array.isArray(value)) {
      const matchers = parseValues(value);
      for (const draft of current) draft.set(fieldPath, matchers);
    } else throw new PatternError(`"${key}" must be an object or an array`);
  }
  return current;
}

function compileOr(value: unknown, path: string, drafts: Draft[]): Draft[] {
  if (!Array.isArray(value)) throw new PatternError("It must be an Array followed with $or.");
  const result: Draft[] = [];
  for (const alternative of value) {
    if (!isObject(alternative)) {
      throw new PatternError("Only JSON object is allowed in array of $or relationship.");
    }
    const copies = drafts.map((draft) => new Map(draft));
    result.push(...compileObject(alternative, path, copies, true));
    if (result.length > MAX_BRANCHES) {
      throw new PatternError(
        `Rule is too complex - its $or alternatives combine into more than ${MAX_BRANCHES}`,
      );
    }
  }
  if (value.length < 2) throw new PatternError("There must have at least 2 Objects in $or relationship.");
  return result;
}

function parseValues(values: readonly unknown[]): Matcher[] {
  const matchers: Matcher[] = [];
  for (const v of values) {
    if (isObject(v)) matchers.push(parseMatcher(v));
    else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null) {
      matchers.push({ kind: "exact", key: patternValueKey(v) });
    } else throw new PatternError("Match value must be String, number, true, false, or null");
  }
  if (matchers.length === 0) throw new PatternError("Empty arrays are not allowed");
  return matchers;
}

function byClassThenPath(a: { exactOnly: boolean; path: string }, b: { exactOnly: boolean; path: string }) {
  if (a.exactOnly !== b.exactOnly) return a.exactOnly ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function hasWildcard(m: Matcher): boolean {
  return m.kind === "wildcard" || (m.kind === "anything-but" && m.excluded.some(hasWildcard));
}

function checkWildcardComplexity(branches: readonly Branch[]): void {
  for (const branch of branches) {
    for (const condition of branch.conditions) {
      const patterns = condition.present.flatMap((m) => (m.kind === "wildcard" ? [m.pattern] : []));
      if (patterns.length > 0 && wildcardComplexity(patterns) > WILDCARD_COMPLEXITY_LIMIT) {
        throw new PatternError(
          "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
        );
      }
    }
  }
}

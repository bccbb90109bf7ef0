/**
 * Choice rules with the JSONPath query language
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html): `And`, `Or`, `Not`,
 * and a `Variable` compared with a literal or, with the `Path` form, with another path's value.
 * Values compare only with their own type: a number against StringEquals is simply no match.
 * A Variable that selects nothing is States.Runtime, except for IsPresent, which tests exactly that.
 */
import { StatesError } from "../states-error.ts";
import { parseTimestamp } from "../timestamps.ts";
import { evaluatePath, type PathData } from "./paths.ts";

type Rule = Readonly<Record<string, unknown>>;
type Kind = "String" | "Numeric" | "Boolean" | "Timestamp";
type Relation = "Equals" | "LessThan" | "GreaterThan" | "LessThanEquals" | "GreaterThanEquals";

const COMPARISON =
  /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const TYPE_TESTS: Readonly<Record<string, (value: unknown) => boolean>> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === "number",
  IsString: (v) => typeof v === "string",
  IsBoolean: (v) => typeof v === "boolean",
  IsTimestamp: (v) => parseTimestamp(v) !== undefined,
};

export function ruleMatches(rule: Rule, from: PathData): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => ruleMatches(r, from));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => ruleMatches(r, from));
  if (rule.Not !== undefined) return !ruleMatches(rule.Not as Rule, from);
  const variable = String(rule.Variable);
  const selected = evaluatePath(variable, from);
  if (rule.IsPresent !== undefined) return selected.found === rule.IsPresent;
  if (!selected.found) throw invalidPath(variable);
  const value = selected.value;
  for (const [operator, expected] of Object.entries(rule)) {
    if (operator === "Variable" || operator === "Next" || operator === "Assign" || operator === "Comment")
      continue;
    const typeTest = TYPE_TESTS[operator];
    if (typeTest) return typeTest(value) === expected;
    if (operator === "StringMatches")
      return typeof value === "string" && globMatches(String(expected), value);
    const m = COMPARISON.exec(operator);
    if (m) {
      const other = m[3] ? pathValue(String(expected), from) : expected;
      return compare(m[1] as Kind, m[2] as Relation, value, other);
    }
  }
  throw new StatesError("States.Runtime", `The choice rule on '${variable}' has no comparison operator`);
}

function pathValue(path: string, from: PathData): unknown {
  const result = evaluatePath(path, from);
  if (!result.found) throw invalidPath(path);
  return result.value;
}

function invalidPath(path: string): StatesError {
  return new StatesError(
    "States.Runtime",
    `Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );
}

function compare(kind: Kind, relation: Relation, value: unknown, other: unknown): boolean {
  let a: string | number | boolean | undefined;
  let b: string | number | boolean | undefined;
  if (kind === "String") [a, b] = [asType(value, "string"), asType(other, "string")];
  else if (kind === "Numeric") [a, b] = [asType(value, "number"), asType(other, "number")];
  else if (kind === "Boolean") [a, b] = [asType(value, "boolean"), asType(other, "boolean")];
  else [a, b] = [parseTimestamp(value), parseTimestamp(other)];
  if (a === undefined || b === undefined) return false;
  switch (relation) {
    case "Equals":
      return a === b;
    case "LessThan":
      return a < b;
    case "GreaterThan":
      return a > b;
    case "LessThanEquals":
      return a <= b;
    case "GreaterThanEquals":
      return a >= b;
  }
}

function asType<T extends "string" | "number" | "boolean">(
  value: unknown,
  type: T,
): string | number | boolean | undefined {
  return typeof value === type ? (value as string | number | boolean) : undefined;
}

const globs = new Map<string, RegExp>();

/** StringMatches: `*` is any run of characters; `\*` a literal star and `\\` a backslash. */
export function globMatches(pattern: string, value: string): boolean {
  let regex = globs.get(pattern);
  if (!regex) {
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i] as string;
      if (c === "\\" && (pattern[i + 1] === "*" || pattern[i + 1] === "\\")) {
        source += escapeRegex(pattern[++i] as string);
      } else if (c === "*") source += "[\\s\\S]*";
      else source += escapeRegex(c);
    }
    regex = new RegExp(`^${source}$`, "u");
    globs.set(pattern, regex);
  }
  return regex.test(value);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

import { PatternError } from "./errors.ts";
import { NUMERIC_RANGE_MESSAGE } from "./numeric-key.ts";
import { parseCidr } from "./parse-cidr.ts";
import { parseNumeric } from "./parse-numeric.ts";
import type { Matcher } from "./types.ts";
import { numberKey, stringKey } from "./value-key.ts";
import { parseWildcard } from "./wildcard.ts";

/**
 * One match expression, the `{...}` inside a field's value list. The value of the first key is
 * checked before any extra key, as AWS's compiler does, so the same pattern earns the same message.
 */
export function parseMatcher(expression: Record<string, unknown>): Matcher {
  const keys = Object.keys(expression);
  const name = keys[0];
  if (name === undefined) throw new PatternError("Match expression name not found");
  const value = expression[name];
  const matcher = parseNamed(name, value);
  if (keys.length > 1) {
    const numericStyle = name === "numeric" || name === "anything-but";
    throw new PatternError(
      numericStyle ? "Too many elements in numeric expression" : "Only one key allowed in match expression",
    );
  }
  return matcher;
}

function parseNamed(name: string, value: unknown): Matcher {
  switch (name) {
    case "prefix":
    case "suffix":
      return parseAffix(name, value);
    case "equals-ignore-case":
      if (typeof value !== "string")
        throw new PatternError("equals-ignore-case match pattern must be a string");
      return { kind: "equals-ignore-case", lower: value.toLowerCase() };
    case "wildcard":
      if (typeof value !== "string") throw new PatternError("wildcard match pattern must be a string");
      return { kind: "wildcard", pattern: parseWildcard(value) };
    case "numeric":
      return parseNumeric(value);
    case "cidr":
      return parseCidr(value);
    case "exists":
      if (typeof value !== "boolean")
        throw new PatternError("exists match pattern must be either true or false.");
      return { kind: "exists", exists: value };
    case "anything-but":
      return { kind: "anything-but", excluded: parseAnythingBut(value) };
    default:
      throw new PatternError(`Unrecognized match type ${name}`);
  }
}

/** `prefix`/`suffix`: a string, or `{"equals-ignore-case": string}`. */
function parseAffix(name: "prefix" | "suffix", value: unknown): Matcher {
  if (typeof value === "string") return { kind: name, value, ignoreCase: false };
  if (isObject(value)) {
    const [inner, ...rest] = Object.keys(value);
    if (inner !== "equals-ignore-case")
      throw new PatternError(`Unsupported ${name} pattern: ${inner ?? "{}"}`);
    const text = value[inner];
    if (typeof text !== "string") throw new PatternError("equals-ignore-case match pattern must be a string");
    if (rest.length > 0) throw new PatternError("Only one key allowed in match expression");
    return { kind: name, value: text.toLowerCase(), ignoreCase: true };
  }
  throw new PatternError(`${name} match pattern must be a string`);
}

const SINGLE_VALUE = "Value of anything-but must be an array or single string/number value.";

function parseAnythingBut(value: unknown): Matcher[] {
  if (isObject(value)) return parseAnythingButObject(value);
  if (typeof value === "string") return [{ kind: "exact", key: stringKey(value) }];
  if (typeof value === "number") return [numericExclusion(value)];
  if (!Array.isArray(value)) throw new PatternError(SINGLE_VALUE);
  const strings = value.every((v) => typeof v === "string");
  const numbers = value.every((v) => typeof v === "number");
  for (const v of value) {
    if (typeof v !== "string" && typeof v !== "number") {
      throw new PatternError("Inside anything but list, start|null|boolean is not supported.");
    }
  }
  if (value.length === 0 || (!strings && !numbers)) {
    throw new PatternError(
      "Inside anything but list, either all values are number or string, mixed type is not supported",
    );
  }
  return value.map((v) =>
    typeof v === "string" ? { kind: "exact", key: stringKey(v) } : numericExclusion(v),
  );
}

function numericExclusion(value: number): Matcher {
  const key = numberKey(value);
  if (!key.startsWith("n")) throw new PatternError(NUMERIC_RANGE_MESSAGE);
  return { kind: "exact", key };
}

function parseAnythingButObject(value: Record<string, unknown>): Matcher[] {
  const keys = Object.keys(value);
  const op = keys[0];
  if (op === undefined) throw new PatternError("Anything-But expression name not found");
  const operand = value[op];
  let excluded: Matcher[];
  if (op === "prefix" || op === "suffix") {
    if (typeof operand !== "string") throw new PatternError("prefix/suffix match pattern must be a string");
    if (operand === "") throw new PatternError("Null prefix/suffix not allowed");
    excluded = [{ kind: op, value: operand, ignoreCase: false }];
  } else if (op === "equals-ignore-case") {
    excluded = stringList(operand, "equals-ignore-case").map((s) => ({
      kind: "equals-ignore-case",
      lower: s.toLowerCase(),
    }));
  } else if (op === "wildcard") {
    excluded = stringList(operand, "wildcard").map((s) => ({ kind: "wildcard", pattern: parseWildcard(s) }));
  } else {
    throw new PatternError(`Unsupported anything-but pattern: ${op}`);
  }
  if (keys.length > 1) throw new PatternError("Only one key allowed in match expression");
  return excluded;
}

/** The operand of anything-but's `equals-ignore-case` or `wildcard`: a string or a list of them. */
function stringList(operand: unknown, op: string): string[] {
  if (typeof operand === "string") return [operand];
  if (typeof operand === "number") {
    throw new PatternError(`Inside anything-but/${op} list, number|start|null|boolean is not supported.`);
  }
  if (!Array.isArray(operand)) throw new PatternError(SINGLE_VALUE);
  if (!operand.every((v) => typeof v === "string")) {
    throw new PatternError(`Inside anything-but/${op} list, numberic|start|null|boolean is not supported.`);
  }
  return operand as string[];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

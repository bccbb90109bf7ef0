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

/**
 * `{"anything-but": {op: operand}}`, as EventBridge's rule compiler (aws/event-ruler,
 * JsonRuleCompiler.processMatchExpression) reads it: `prefix`, `suffix`, `wildcard` and
 * `equals-ignore-case`, each with one string or a list of strings. An operand of another JSON type
 * than string, number or list is refused before the operator looks at it.
 */
function parseAnythingButObject(value: Record<string, unknown>): Matcher[] {
  const keys = Object.keys(value);
  const op = keys[0];
  if (op === undefined) throw new PatternError("Anything-But expression name not found");
  if (!ANYTHING_BUT_OPERATORS.has(op)) throw new PatternError(`Unsupported anything-but pattern: ${op}`);
  const operand = value[op];
  if (typeof operand !== "string" && typeof operand !== "number" && !Array.isArray(operand)) {
    throw new PatternError(SINGLE_VALUE);
  }
  const list = Array.isArray(operand);
  const texts = (list ? operand : [operand]).map((v) => operandText(op, v, list));
  const excluded = texts.map((text) => excludedBy(op, text));
  if (keys.length > 1) throw new PatternError("Only one key allowed in match expression");
  return excluded;
}

const ANYTHING_BUT_OPERATORS = new Set(["prefix", "suffix", "wildcard", "equals-ignore-case"]);

/**
 * One string of an anything-but operand, refused with the message AWS gives for its operator (its
 * compiler spells the equals-ignore-case list message "numberic", the single-value one "number").
 */
function operandText(op: string, v: unknown, inList: boolean): string {
  if (typeof v !== "string") {
    if (op === "equals-ignore-case") {
      throw new PatternError(
        `Inside anything-but/equals-ignore-case list, ${inList ? "numberic" : "number"}|start|null|boolean is not supported.`,
      );
    }
    throw new PatternError(
      op === "wildcard"
        ? "wildcard match pattern must be a string"
        : "prefix/suffix match pattern must be a string",
    );
  }
  if ((op === "prefix" || op === "suffix") && v === "")
    throw new PatternError("Null prefix/suffix not allowed");
  return v;
}

function excludedBy(op: string, text: string): Matcher {
  if (op === "prefix" || op === "suffix") return { kind: op, value: text, ignoreCase: false };
  if (op === "wildcard") return { kind: "wildcard", pattern: parseWildcard(text) };
  return { kind: "equals-ignore-case", lower: text.toLowerCase() };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

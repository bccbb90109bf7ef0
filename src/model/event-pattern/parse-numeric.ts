import { PatternError } from "./errors.ts";
import { NUMERIC_RANGE_MESSAGE, numericKey } from "./numeric-key.ts";
import type { Matcher, NumericBound } from "./types.ts";

/**
 * `{"numeric": [op, n]}` or `{"numeric": [">"|">=", n, "<"|"<=", m]}`, checked in the order
 * AWS's rule compiler reads it, with its messages.
 */
export function parseNumeric(value: unknown): Matcher {
  if (!Array.isArray(value)) throw new PatternError("Value of numeric must be an array.");
  const [op, operand] = value;
  if (typeof op !== "string")
    throw new PatternError(`Invalid member in numeric match: ${tokenText(value, 0)}`);
  switch (op) {
    case "=": {
      const key = bound(operand, "equals");
      if (value.length > 2) throw tooManyElements();
      return { kind: "numeric", lower: { key, inclusive: true }, upper: { key, inclusive: true } };
    }
    case "<":
    case "<=": {
      const key = bound(operand, op);
      if (value.length > 2) throw tooManyElements();
      return { kind: "numeric", upper: { key, inclusive: op === "<=" } };
    }
    case ">":
    case ">=": {
      const lower: NumericBound = { key: bound(operand, op), inclusive: op === ">=" };
      if (value.length === 2) return { kind: "numeric", lower };
      return { kind: "numeric", lower, upper: upperBound(value, lower) };
    }
    default:
      throw new PatternError(`Unrecognized numeric range operator: ${op}`);
  }
}

function upperBound(value: readonly unknown[], lower: NumericBound): NumericBound {
  const op = value[2];
  if (typeof op !== "string") throw new PatternError(`Bad value in numeric range: ${tokenText(value, 2)}`);
  if (op !== "<" && op !== "<=") throw new PatternError(`Bad numeric range operator: ${op}`);
  const key = bound(value[3], op);
  if (value.length > 4) throw new PatternError("Too many terms in numeric range expression");
  if (key <= lower.key) throw new PatternError("Bottom must be less than top");
  return { key, inclusive: op === "<=" };
}

function bound(operand: unknown, name: string): number {
  if (typeof operand !== "number") throw new PatternError(`Value of ${name} must be numeric`);
  const key = numericKey(operand);
  if (key === undefined) throw new PatternError(NUMERIC_RANGE_MESSAGE);
  return key;
}

function tooManyElements(): PatternError {
  return new PatternError("Too many elements in numeric expression");
}

/** How AWS's JSON parser names the token at `index`: its text, or `]` past the end. */
function tokenText(list: readonly unknown[], index: number): string {
  if (index >= list.length) return "]";
  const item = list[index];
  if (Array.isArray(item)) return "[";
  if (item !== null && typeof item === "object") return "{";
  return String(item);
}

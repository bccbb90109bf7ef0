/**
 * The types the fields that accept JSONata require of their values, and the
 * States.QueryEvaluationError a wrong one raises ("an incorrectly typed result").
 * https://states-language.net/spec.html#jsonata-runtime-errors
 */
import type { StatesError } from "../states-error.ts";
import { parseTimestamp } from "../timestamps.ts";
import { about, expressionOf, isJsonataString, queryError } from "./expression.ts";

/** The error for a value of the wrong type, quoting the expression when the value came from one. */
export function wrongType(written: unknown, field: string, value: unknown, needs: string): StatesError {
  const shown = JSON.stringify(value) ?? String(value);
  const subject = isJsonataString(written)
    ? `${about(expressionOf(written), field)} returned ${shown}`
    : `The field '${field}' holds ${shown}`;
  return queryError(`${subject}, but the field needs ${needs}.`);
}

export function requireBoolean(written: unknown, field: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw wrongType(written, field, value, "a boolean");
  return value;
}

export function requireString(written: unknown, field: string, value: unknown): string {
  if (typeof value !== "string") throw wrongType(written, field, value, "a string");
  return value;
}

export function requireArray(written: unknown, field: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw wrongType(written, field, value, "an array");
  return value;
}

export function requireInteger(written: unknown, field: string, value: unknown, minimum: 0 | 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    throw wrongType(written, field, value, minimum === 0 ? "a non-negative integer" : "a positive integer");
  }
  return value;
}

/** Epoch milliseconds of a timestamp such as 2016-03-14T01:59:00Z. */
export function requireTimestamp(written: unknown, field: string, value: unknown): number {
  // The one RFC 3339 rule both query languages use (../timestamps.ts).
  const ms = parseTimestamp(value);
  if (ms === undefined) throw wrongType(written, field, value, "a timestamp such as 2016-03-14T01:59:00Z");
  return ms;
}

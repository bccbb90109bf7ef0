/**
 * Readers for single values of the definition. Each reader records an issue and returns undefined
 * when the value is invalid, so validation carries on and reports every problem at once.
 */
import type { ConfigIssue } from "../config-error.ts";
import { formatSeconds, parseDuration } from "../duration.ts";
import { closest, didYouMean } from "./suggest.ts";

export type Fields = Record<string, unknown>;

/** Bounds of a numeric limit row from limits.ts. */
export interface Range {
  readonly min?: number;
  readonly max?: number;
  readonly default?: number | string;
  readonly unit: string;
}

export class Issues {
  readonly list: ConfigIssue[] = [];

  add(path: string, value: unknown, message: string, allowed: string, fix: string): void {
    this.list.push({ path, value, message, allowed, fix });
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

/** The last segment of a path, for messages: `functions.a.memorySize` → `memorySize`. */
export function keyOf(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1) || "definition";
}

export function isRecord(value: unknown): value is Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function readObject(
  issues: Issues,
  path: string,
  value: unknown,
  example: string,
): Fields | undefined {
  if (isRecord(value)) return value;
  return mustBe(issues, path, value, "an object", `write it as an object, e.g. ${example}`);
}

/** Records that `value` is not `what` (the allowed kind, e.g. "a string"); returns undefined. */
function mustBe(issues: Issues, path: string, value: unknown, what: string, fix: string): undefined {
  issues.add(path, value, `${keyOf(path)} must be ${what}`, what, fix);
  return undefined;
}

/** Flags keys that are not in `known`, suggesting the closest known key for typos. */
export function checkKeys(issues: Issues, path: string, fields: Fields, known: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    issues.add(
      join(path, key),
      fields[key],
      `unknown option "${key}".${didYouMean(key, known)}`,
      `one of ${quoteList(known)}`,
      suggestion === undefined ? `remove "${key}"` : `rename "${key}" to "${suggestion}"`,
    );
  }
}

export function readBoolean(issues: Issues, path: string, value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  return mustBe(issues, path, value, "true or false", `write ${keyOf(path)}: true`);
}

export function readString(
  issues: Issues,
  path: string,
  value: unknown,
  example: string,
): string | undefined {
  if (typeof value === "string") return value;
  return mustBe(issues, path, value, "a string", `write it as a string, e.g. ${example}`);
}

/**
 * Whether `amount` lies within `range`; records the issue when it does not. Integers and durations
 * share the wording and differ only in how a bound is written (`show`).
 */
function withinRange(
  issues: Issues,
  path: string,
  value: unknown,
  amount: number,
  range: Range,
  allowed: string,
  show: (bound: number) => string,
): boolean {
  const key = keyOf(path);
  if (range.min !== undefined && amount < range.min) {
    const min = show(range.min);
    const fix = `raise ${key} to ${min} or more`;
    issues.add(path, value, `${key} is below the minimum of ${min}`, allowed, fix);
    return false;
  }
  if (range.max !== undefined && amount > range.max) {
    const max = show(range.max);
    const fix = `lower ${key} to ${max} or less`;
    issues.add(path, value, `${key} is above the maximum of ${max}`, allowed, fix);
    return false;
  }
  return true;
}

function describeRange(range: Range): string {
  const unit = range.unit === "" ? "" : ` ${range.unit}`;
  if (range.min !== undefined && range.max !== undefined) {
    return `an integer from ${range.min} to ${range.max}${unit}`;
  }
  if (range.min !== undefined) return `an integer of at least ${range.min}${unit}`;
  return `an integer of at most ${range.max}${unit}`;
}

export function readInteger(issues: Issues, path: string, value: unknown, range: Range): number | undefined {
  const key = keyOf(path);
  const allowed = describeRange(range);
  const example = typeof range.default === "number" ? range.default : (range.min ?? range.max ?? 1);
  if (typeof value !== "number" || !Number.isFinite(value)) {
    issues.add(path, value, `${key} must be a number`, allowed, `write a number, e.g. ${key}: ${example}`);
    return undefined;
  }
  if (!Number.isInteger(value)) {
    issues.add(
      path,
      value,
      `${key} must be a whole number`,
      allowed,
      `round it, e.g. ${key}: ${Math.round(value)}`,
    );
    return undefined;
  }
  return withinRange(issues, path, value, value, range, allowed, String) ? value : undefined;
}

function describeDurationRange(range: Range): string {
  const min = range.min === undefined ? undefined : `"${formatSeconds(range.min)}"`;
  const max = range.max === undefined ? undefined : `"${formatSeconds(range.max)}"`;
  if (min !== undefined && max !== undefined) return `a duration from ${min} to ${max}`;
  return min !== undefined ? `a duration of at least ${min}` : `a duration of at most ${max}`;
}

/** A duration string such as `"30 seconds"`, returned in whole seconds within `range`. */
export function readDuration(issues: Issues, path: string, value: unknown, range: Range): number | undefined {
  const key = keyOf(path);
  const allowed = `${describeDurationRange(range)}, written "<number> <second|minute|hour|day>[s]"`;
  const example = formatSeconds(typeof range.default === "number" ? range.default : (range.min ?? 1));
  if (typeof value === "number") {
    const fix = `write it as a string with a unit, e.g. ${key}: "${value} seconds"`;
    issues.add(path, value, `${key} must be a duration string, not a number`, allowed, fix);
    return undefined;
  }
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    issues.add(path, value, `${key} is not a duration`, allowed, `write it like ${key}: "${example}"`);
    return undefined;
  }
  if (!Number.isInteger(seconds)) {
    const fix = `use whole seconds, e.g. ${key}: "${Math.round(seconds)} seconds"`;
    issues.add(
      path,
      value,
      `${key} is not a whole number of seconds (AWS counts whole seconds)`,
      allowed,
      fix,
    );
    return undefined;
  }
  const quoted = (bound: number) => `"${formatSeconds(bound)}"`;
  return withinRange(issues, path, value, seconds, range, allowed, quoted) ? seconds : undefined;
}

/** `value` when present and valid, `fallback` when absent, undefined when invalid. */
export function readOptional<T>(
  value: unknown,
  fallback: T,
  read: (value: unknown) => T | undefined,
): T | undefined {
  return value === undefined ? fallback : read(value);
}

export function quoteList(names: Iterable<string>): string {
  const list = [...names].map((name) => `"${name}"`);
  return list.length === 0 ? "none defined" : list.join(", ");
}

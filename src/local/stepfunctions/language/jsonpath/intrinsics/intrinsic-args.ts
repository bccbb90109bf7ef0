/**
 * What every intrinsic function receives, and the argument checks they share. A wrong argument
 * is States.IntrinsicFailure naming the function, as AWS reports it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 */
import { StatesError } from "../../states-error.ts";
import type { LiteralPart } from "./intrinsic-syntax.ts";

/** The randomness States.MathRandom and States.UUID use; injectable so tests are deterministic. */
export interface RandomSource {
  /** A number in [0, 1). */
  random(): number;
  /** A version 4 UUID. */
  uuid(): string;
}

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly unknown[];
  /** For each argument written as a string literal, its parts around unescaped `{}`. */
  readonly literals: readonly (readonly LiteralPart[] | undefined)[];
  readonly randomness: RandomSource;
}

export type IntrinsicFunction = (call: IntrinsicCall) => unknown;

export function invalid(call: IntrinsicCall, why: string): StatesError {
  return new StatesError("States.IntrinsicFailure", `Invalid arguments in ${call.name}: ${why}`);
}

export function arity(call: IntrinsicCall, min: number, max = min): void {
  const n = call.args.length;
  if (n < min || n > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw invalid(call, `expected ${expected} argument${max === 1 ? "" : "s"}, received ${n}`);
  }
}

export function arrayArg(call: IntrinsicCall, index: number): readonly unknown[] {
  const value = call.args[index];
  if (!Array.isArray(value))
    throw invalid(call, `argument ${index + 1} must be an array, received ${describe(value)}`);
  return value;
}

export function stringArg(call: IntrinsicCall, index: number): string {
  const value = call.args[index];
  if (typeof value !== "string")
    throw invalid(call, `argument ${index + 1} must be a string, received ${describe(value)}`);
  return value;
}

export function integerArg(call: IntrinsicCall, index: number): number {
  const value = call.args[index];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalid(call, `argument ${index + 1} must be an integer, received ${describe(value)}`);
  }
  return value;
}

/** A number rounded to the nearest integer, as MathAdd and MathRandom take non-integers. */
export function roundedArg(call: IntrinsicCall, index: number): number {
  const value = call.args[index];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw invalid(call, `argument ${index + 1} must be a number, received ${describe(value)}`);
  }
  // The service is Java: its Math.round rounds half up (towards +∞), 2.5 → 3 and -2.5 → -2, which
  // is exactly JavaScript's Math.round.
  return Math.round(value);
}

export function objectArg(call: IntrinsicCall, index: number): Readonly<Record<string, unknown>> {
  const value = call.args[index];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(call, `argument ${index + 1} must be a JSON object, received ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function maxLength(call: IntrinsicCall, text: string, max: number): void {
  if (text.length > max)
    throw invalid(call, `the input is ${text.length} characters; at most ${max} are allowed`);
}

export function describe(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

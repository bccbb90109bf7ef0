/**
 * The JSONata functions Step Functions adds ($partition, $range, $hash, $random with a seed,
 * $uuid, $parse), the one it removes ($eval: "use $parse instead"), and $now/$millis read from
 * Sluice's clock rather than the host's, so `sluice time advance` moves them too.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html#jsonata-functions-provided-by-sfn
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../../model/limits.ts";
import { jsonata, once } from "../../../lazy-packages.ts";
import { HASH_ALGORITHMS, hexDigest } from "../hashing.ts";

/**
 * AWS documents no bound for `$range`; Sluice stops at the most items a state's input or output
 * could hold (each at least two bytes: a digit and a comma), so a number from the execution's
 * input cannot make the local process build an array that exhausts its memory.
 */
const RANGE_MAX_ITEMS = Math.floor(LIMITS.stepFunctions.payloadSize.max / 2);

/** What the functions read from outside: injectable so tests and the engine's clock decide. */
export interface JsonataEnvironment {
  /** A number in [0, 1) for `$random()` without a seed. @default Math.random */
  readonly random: () => number;
  /** Epoch milliseconds for `$now()` and `$millis()`. @default Date.now */
  readonly nowMs: () => number;
  /** A version 4 UUID for `$uuid()`. @default crypto.randomUUID */
  readonly uuid: () => string;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new Error(`${what} must be an integer, got ${JSON.stringify(value)}.`);
  return value;
}

function partition(array: unknown, size: unknown): unknown[][] {
  if (!Array.isArray(array)) throw new Error("$partition: the first argument must be an array.");
  const chunk = integer(size, "$partition: the chunk size");
  if (chunk <= 0) throw new Error("$partition: the chunk size must be a positive integer.");
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += chunk) chunks.push(array.slice(start, start + chunk));
  return chunks;
}

function range(start: unknown, end: unknown, step: unknown): number[] {
  const from = integer(start, "$range: the start");
  const to = integer(end, "$range: the end");
  const by = integer(step, "$range: the step");
  if (by === 0) throw new Error("$range: the step must not be zero.");
  const count = Math.floor((to - from) / by) + 1;
  if (count > RANGE_MAX_ITEMS) {
    throw new Error(
      `$range: ${count} items is more than ${RANGE_MAX_ITEMS}, the most a state's ${LIMITS.stepFunctions.payloadSize.max}-byte input or output could hold.`,
    );
  }
  const values: number[] = [];
  for (let value = from; by > 0 ? value <= to : value >= to; value += by) values.push(value);
  return values;
}

function hash(data: unknown, algorithm: unknown): string {
  const digest = hexDigest(typeof data === "string" ? data : JSON.stringify(data), algorithm);
  if (digest === undefined) {
    throw new Error(
      `$hash: the algorithm '${String(algorithm)}' is not supported; use one of ${HASH_ALGORITHMS.join(", ")}.`,
    );
  }
  return digest;
}

/** A number in [0, 1) that depends only on the seed (mulberry32 over a 32-bit FNV-1a of its JSON). */
function seededRandom(seed: unknown): number {
  let state = 0x811c9dc5;
  for (const char of JSON.stringify(seed) ?? "") {
    state ^= char.codePointAt(0) ?? 0;
    state = Math.imul(state, 0x01000193);
  }
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function parse(text: unknown): unknown {
  if (typeof text !== "string") throw new Error("$parse: the argument must be a string.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`$parse: the argument is not valid JSON (${(error as Error).message}).`);
  }
}

function refuseEval(): never {
  throw new Error("$eval is not supported in Step Functions; use $parse to read a JSON string.");
}

// $now's formatting is JSONata's own: reuse its $fromMillis on the injected instant (compiled on
// first use, with the library).
const fromMillis = once(() => jsonata()("$fromMillis($ms, $picture, $timezone)"));

/** The function bindings of one evaluation. */
export function functionBindings(environment: JsonataEnvironment): Record<string, unknown> {
  return {
    partition,
    range,
    hash,
    random: (seed?: unknown) => (seed === undefined ? environment.random() : seededRandom(seed)),
    uuid: () => environment.uuid(),
    parse,
    eval: refuseEval,
    millis: () => environment.nowMs(),
    now: (picture?: unknown, timezone?: unknown) =>
      fromMillis().evaluate(undefined, { ms: environment.nowMs(), picture, timezone }),
  };
}

export const defaultEnvironment: JsonataEnvironment = {
  random: Math.random,
  nowMs: Date.now,
  uuid: randomUUID,
};

/**
 * The intrinsics for strings, JSON, encoding, hashing, math and ids
 * (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 */
import { LIMITS } from "../../../../../model/limits.ts";
import { HASH_ALGORITHMS, hexDigest } from "../../hashing.ts";
import {
  arity,
  describe,
  type IntrinsicFunction,
  invalid,
  maxLength,
  objectArg,
  roundedArg,
  stringArg,
} from "./intrinsic-args.ts";
import type { LiteralPart } from "./intrinsic-syntax.ts";

const INTRINSIC_LIMITS = LIMITS.stepFunctionsIntrinsics;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const valueFunctions: Readonly<Record<string, IntrinsicFunction>> = {
  "States.Format": (call) => {
    if (call.args.length < 1) throw invalid(call, "expected a template and its values");
    const template = stringArg(call, 0);
    // A template written as a literal keeps its escaped braces; one read from a path has none.
    const parts: readonly LiteralPart[] = call.literals[0] ?? splitPlaceholders(template);
    const values = call.args.slice(1);
    const placeholders = parts.filter((p) => typeof p !== "string").length;
    if (placeholders !== values.length) {
      throw invalid(call, `the template has ${placeholders} '{}' but ${values.length} value(s) follow it`);
    }
    let i = 0;
    return parts.map((p) => (typeof p === "string" ? p : formatValue(values[i++]))).join("");
  },

  "States.StringToJson": (call) => {
    arity(call, 1);
    const text = stringArg(call, 0);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalid(call, `the argument is not JSON text: ${describe(text)}`);
    }
  },

  "States.JsonToString": (call) => {
    arity(call, 1);
    return JSON.stringify(call.args[0]);
  },

  "States.Base64Encode": (call) => {
    arity(call, 1);
    const text = stringArg(call, 0);
    maxLength(call, text, INTRINSIC_LIMITS.base64EncodeInput.max);
    return Buffer.from(text, "utf8").toString("base64");
  },

  "States.Base64Decode": (call) => {
    arity(call, 1);
    const text = stringArg(call, 0);
    maxLength(call, text, INTRINSIC_LIMITS.base64DecodeInput.max);
    if (!BASE64.test(text)) throw invalid(call, `the argument is not Base64: ${describe(text)}`);
    return Buffer.from(text, "base64").toString("utf8");
  },

  "States.Hash": (call) => {
    arity(call, 2);
    const algorithm = stringArg(call, 1);
    if (!HASH_ALGORITHMS.includes(algorithm)) {
      throw invalid(call, `unknown algorithm '${algorithm}'; use one of ${HASH_ALGORITHMS.join(", ")}`);
    }
    const data = stringArg(call, 0);
    maxLength(call, data, INTRINSIC_LIMITS.hashInput.max);
    return hexDigest(data, algorithm) as string;
  },

  "States.JsonMerge": (call) => {
    arity(call, 3);
    const [first, second] = [objectArg(call, 0), objectArg(call, 1)];
    if (call.args[2] !== false) {
      throw invalid(call, "Step Functions supports only the shallow merge; the third argument must be false");
    }
    return { ...first, ...second };
  },

  "States.MathRandom": (call) => {
    arity(call, 2, 3);
    const [start, end] = [roundedArg(call, 0), roundedArg(call, 1)];
    if (end < start) throw invalid(call, `the end (${end}) must not be less than the start (${start})`);
    const r = call.args.length === 3 ? seeded(roundedArg(call, 2)) : call.randomness.random();
    // Both bounds may come out: AWS's page does not say, and the emulators that track AWS
    // (LocalStack, aws-local-stepfunctions) both include the end.
    return start + Math.floor(r * (end - start + 1));
  },

  "States.MathAdd": (call) => {
    arity(call, 2);
    return roundedArg(call, 0) + roundedArg(call, 1);
  },

  "States.StringSplit": (call) => {
    arity(call, 2);
    const [text, delimiters] = [stringArg(call, 0), stringArg(call, 1)];
    // Each character of the second argument splits; empty pieces are dropped.
    const pieces: string[] = [];
    let piece = "";
    for (const c of text) {
      if (delimiters.includes(c)) {
        if (piece) pieces.push(piece);
        piece = "";
      } else piece += c;
    }
    if (piece) pieces.push(piece);
    return pieces;
  },

  "States.UUID": (call) => {
    arity(call, 0);
    return call.randomness.uuid();
  },
};

function splitPlaceholders(template: string): LiteralPart[] {
  const parts: LiteralPart[] = [];
  const texts = template.split("{}");
  texts.forEach((text, i) => {
    if (i > 0) parts.push({ placeholder: true });
    parts.push(text);
  });
  return parts;
}

/**
 * How States.Format writes a value: a string as it is, other scalars as JSON, and arrays and
 * objects the way the service (Java) prints them, `[1, a]` and `{Arg1=1, Arg2=[]}`, as
 * LocalStack's AWS-recorded tests show.
 */
function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A repeatable number in [0, 1) for a seed (mulberry32): the same seed gives the same number. */
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

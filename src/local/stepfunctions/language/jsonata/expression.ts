/**
 * One JSONata string (`"{% expr %}"`): recognising it, compiling it once, evaluating it with the
 * state's bindings, and turning every failure into States.QueryEvaluationError with AWS's wording
 * ("The JSONata expression '…' specified for the field '…' returned nothing (undefined).").
 * https://states-language.net/spec.html#jsonata-runtime-errors
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import type jsonata from "jsonata";
import { jsonata as loadJsonata } from "../../../lazy-packages.ts";
import { STATES_ERRORS, StatesError } from "../states-error.ts";

const OPEN = "{%";
const CLOSE = "%}";

/** A field value that is exactly one JSONata string: starts with `{%` and ends with `%}`, nothing around. */
export function isJsonataString(value: unknown): value is string {
  return typeof value === "string" && value.length >= 4 && value.startsWith(OPEN) && value.endsWith(CLOSE);
}

/** The expression inside the delimiters, as AWS quotes it in causes (trimmed). */
export function expressionOf(value: string): string {
  return value.slice(OPEN.length, -CLOSE.length).trim();
}

export function queryError(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.queryEvaluationError, cause);
}

/** The start of every cause about one expression in one field. */
export function about(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}'`;
}

/** Evaluates one JSONata string written in `field` against the bindings of one state. */
export type Evaluator = (value: string, field: string) => Promise<unknown>;

// Definitions are finite, so compiled expressions are kept for the life of the language; the cap
// only guards against a runaway (e.g. generated definitions in a long `dev` session).
const CACHE_LIMIT = 10_000;

/**
 * Compiles expressions once per language, with the language's functions bound into each compiled
 * expression (so an evaluation binds only `$states` and the variables, which shadow them).
 */
export class ExpressionCache {
  private readonly compiled = new Map<string, jsonata.Expression>();

  constructor(private readonly functions: Readonly<Record<string, unknown>>) {}

  compile(expression: string, field: string): jsonata.Expression {
    const cached = this.compiled.get(expression);
    if (cached !== undefined) return cached;
    let parsed: jsonata.Expression;
    try {
      parsed = loadJsonata()(expression);
    } catch (error) {
      throw queryError(`${about(expression, field)} could not be parsed. ${describe(error)}`);
    }
    const newer = newerOperator(parsed.ast());
    if (newer !== undefined) {
      throw queryError(
        `${about(expression, field)} could not be parsed. The '${newer}' operator came with JSONata 2.1; Step Functions runs JSONata 2.0.6.`,
      );
    }
    for (const [name, value] of Object.entries(this.functions)) parsed.assign(name, value);
    if (this.compiled.size >= CACHE_LIMIT) this.compiled.clear();
    this.compiled.set(expression, parsed);
    return parsed;
  }

  /** An evaluator over `bindings` (`states` and the workflow variables). */
  evaluator(bindings: Record<string, unknown>): Evaluator {
    return (value, field) => this.evaluate(value, bindings, field);
  }

  /**
   * Evaluates a JSONata string in `field` (named as AWS names it, e.g. `Arguments/Input/x`).
   * There is no input document (`$` at the top level is nothing): data comes from `bindings`.
   * Undefined is an error, since JSON cannot carry it.
   */
  async evaluate(value: string, bindings: Record<string, unknown>, field: string): Promise<unknown> {
    const expression = expressionOf(value);
    const compiledExpression = this.compile(expression, field);
    let result: unknown;
    try {
      result = await compiledExpression.evaluate(undefined, bindings);
    } catch (error) {
      throw queryError(`${about(expression, field)} threw an error during evaluation. ${describe(error)}`);
    }
    if (result === undefined) throw queryError(`${about(expression, field)} returned nothing (undefined).`);
    return toJson(result, expression, field);
  }
}

/**
 * The first operator JSONata 2.1 added that the expression uses, if any. AWS: "Step Functions
 * implements JSONata based on the 2.0.6 specification"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html), and it refuses
 * `?:` and `??` (2.1.0); the `jsonata` package here is newer. Its parser turns `a ?: b` into a
 * condition whose `then` repeats its `condition` node, source positions included (a written
 * `a ? a : b` has two positions), and `a ?? b` into one whose condition is a generated
 * `$exists(a)` call (its name has no source position) on a copy of its `then`.
 */
function newerOperator(node: unknown, seen = new Set<unknown>()): "?:" | "??" | undefined {
  if (node === null || typeof node !== "object" || seen.has(node)) return undefined;
  seen.add(node);
  const n = node as { type?: unknown; condition?: unknown; then?: unknown };
  if (n.type === "condition" && n.condition !== undefined) {
    const then = JSON.stringify(n.then);
    if (JSON.stringify(n.condition) === then) return "?:";
    const test = n.condition as {
      type?: unknown;
      procedure?: { value?: unknown; position?: unknown };
      arguments?: unknown[];
    };
    const generatedExists =
      test.type === "function" && test.procedure?.value === "exists" && test.procedure.position === undefined;
    if (generatedExists && JSON.stringify(test.arguments?.[0]) === then) return "??";
  }
  for (const child of Object.values(node)) {
    const found = newerOperator(child, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error instanceof StatesError) return error.cause;
  if (error !== null && typeof error === "object") {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === "string" ? message : String(error);
    return typeof code === "string" ? `${code}: ${text}` : text;
  }
  return String(error);
}

/**
 * A JSONata result as plain JSON: JSONata marks sequences with an enumerable `sequence` flag and
 * builds objects without a prototype; a function is not JSON and is refused.
 */
function toJson(value: unknown, expression: string, field: string): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function")
      throw queryError(`${about(expression, field)} returned a function, which is not JSON.`);
    return value;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) if (item !== undefined) items.push(toJson(item, expression, field));
    return items;
  }
  if ((value as { _jsonata_lambda?: unknown })._jsonata_lambda === true) {
    throw queryError(`${about(expression, field)} returned a function, which is not JSON.`);
  }
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) entries.push([key, toJson(item, expression, field)]);
  }
  // fromEntries defines each key as data, so a key such as `__proto__` stays a plain field.
  return Object.fromEntries(entries);
}

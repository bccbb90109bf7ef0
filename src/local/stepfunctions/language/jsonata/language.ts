/**
 * The JSONata query language of a state (`"QueryLanguage": "JSONata"`): Arguments, Output,
 * Assign, Choice Conditions, Catch, Wait, Map Items/ItemSelector, task timeouts and Fail's Error
 * and Cause, each with `$states` and the workflow variables bound.
 * https://states-language.net/spec.html (JSONata Concepts, and each state type's JSONata section)
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import type {
  AslCatcher,
  AslState,
  QueryLanguage,
  Scope,
  StateOutput,
  Variables,
} from "../query-language.ts";
import { STATES_ERRORS, StatesError } from "../states-error.ts";
import { evaluateAssign } from "../variables.ts";
import { type Evaluator, ExpressionCache } from "./expression.ts";
import {
  requireArray,
  requireBoolean,
  requireInteger,
  requireString,
  requireTimestamp,
} from "./field-checks.ts";
import { defaultEnvironment, functionBindings, type JsonataEnvironment } from "./functions.ts";
import { evaluateTemplate } from "./template.ts";

/** What `$states` holds beyond input and context: the result (a Task/Map/Parallel's Output and Assign) or a catcher's error output. */
type StatesExtra = { readonly result?: unknown; readonly errorOutput?: unknown };

/** The JSONata language, plus evaluation of any other field that accepts JSONata (MaxConcurrency, ItemReader, ...). */
export interface JsonataLanguage extends QueryLanguage {
  readonly name: "JSONata";
  /** Evaluates `value` as written in `field` (literal, a JSONata string, or JSON with some inside). */
  field(value: unknown, scope: Scope, field: string, extra?: StatesExtra): Promise<unknown>;
}

/** States whose top-level Output and Assign see `$states.result` (the spec: Task, Map, Parallel). */
const PRODUCES_RESULT: ReadonlySet<unknown> = new Set(["Task", "Map", "Parallel"]);

export function createJsonataLanguage(options: Partial<JsonataEnvironment> = {}): JsonataLanguage {
  const cache = new ExpressionCache(functionBindings({ ...defaultEnvironment, ...options }));

  /** The evaluator of one state's fields: its variables, and `$states`. */
  const bind = (scope: Scope, extra: StatesExtra = {}): Evaluator =>
    cache.evaluator({ ...scope.variables, states: { input: scope.input, context: scope.context, ...extra } });

  const assignOf = (assign: unknown, evaluate: Evaluator, field: string): Promise<Variables> =>
    evaluateAssign(assign, async (name, value) => ({
      name,
      value: await evaluateTemplate(value, evaluate, `${field}/${name}`),
    }));

  /** Assign first, then Output, both against the values at state entry (the spec's "Using Assign"). */
  const assignThenOutput = async (
    fields: { Assign?: unknown; Output?: unknown },
    evaluate: Evaluator,
    prefix: string,
    fallback: unknown,
  ): Promise<StateOutput> => {
    const assign = await assignOf(fields.Assign, evaluate, `${prefix}Assign`);
    const output =
      fields.Output === undefined
        ? fallback
        : await evaluateTemplate(fields.Output, evaluate, `${prefix}Output`);
    return { output, assign };
  };

  return {
    name: "JSONata",

    field: (value, scope, field, extra) => evaluateTemplate(value, bind(scope, extra), field),

    async effectiveInput(state, scope, field) {
      if (field === "ItemSelector") {
        // Without ItemSelector, an iteration's input is its item.
        if (state.ItemSelector === undefined)
          return scope.context.Map ? scope.context.Map.Item.Value : scope.input;
        return evaluateTemplate(state.ItemSelector, bind(scope), "ItemSelector");
      }
      if (state.Arguments === undefined) return scope.input;
      return evaluateTemplate(state.Arguments, bind(scope), "Arguments");
    },

    async output(state, scope, result) {
      const produces = PRODUCES_RESULT.has(state.Type);
      const evaluate = bind(scope, produces ? { result } : {});
      // Without Output: the result of a Task, Map or Parallel; the input of any other state.
      return assignThenOutput(state, evaluate, "", produces ? result : scope.input);
    },

    async choose(state, scope) {
      const evaluate = bind(scope);
      const rules = Array.isArray(state.Choices) ? (state.Choices as AslState[]) : [];
      for (const [index, rule] of rules.entries()) {
        const field = `Choices[${index}]/Condition`;
        const condition = requireBoolean(
          rule.Condition,
          field,
          await evaluateTemplate(rule.Condition, evaluate, field),
        );
        if (!condition) continue;
        const chosen = await assignThenOutput(rule, evaluate, `Choices[${index}]/`, scope.input);
        return { next: typeof rule.Next === "string" ? rule.Next : undefined, ...chosen };
      }
      // No rule: the top-level Assign and Output go with Default; without one the engine fails
      // the state with States.NoChoiceMatched, so there is nothing to evaluate.
      if (typeof state.Default !== "string") return { next: undefined, output: scope.input, assign: {} };
      return { next: state.Default, ...(await assignThenOutput(state, evaluate, "", scope.input)) };
    },

    async caught(catcher: AslCatcher, scope, errorOutput) {
      return assignThenOutput(catcher, bind(scope, { errorOutput }), "", errorOutput);
    },

    async waitUntil(state, scope, nowMs) {
      const evaluate = bind(scope);
      if (state.Seconds !== undefined) {
        const seconds = await evaluateTemplate(state.Seconds, evaluate, "Seconds");
        return nowMs + requireInteger(state.Seconds, "Seconds", seconds, 0) * 1000;
      }
      if (state.Timestamp !== undefined) {
        const timestamp = await evaluateTemplate(state.Timestamp, evaluate, "Timestamp");
        return requireTimestamp(state.Timestamp, "Timestamp", timestamp);
      }
      throw new StatesError(
        STATES_ERRORS.runtime,
        "A JSONata Wait state needs exactly one of Seconds or Timestamp.",
      );
    },

    async items(state, scope) {
      if (state.Items !== undefined) {
        return requireArray(state.Items, "Items", await evaluateTemplate(state.Items, bind(scope), "Items"));
      }
      // Without Items (or an ItemReader, whose result the engine passes as input) the input is the array.
      if (!Array.isArray(scope.input)) {
        throw new StatesError(
          STATES_ERRORS.runtime,
          "The Map state's input must be a JSON array when it has no Items field.",
        );
      }
      return scope.input;
    },

    async timeouts(state, scope) {
      const evaluate = bind(scope);
      const seconds = async (field: "TimeoutSeconds" | "HeartbeatSeconds"): Promise<number | undefined> =>
        state[field] === undefined
          ? undefined
          : requireInteger(state[field], field, await evaluateTemplate(state[field], evaluate, field), 1);
      const timeoutSeconds = await seconds("TimeoutSeconds");
      const heartbeatSeconds = await seconds("HeartbeatSeconds");
      return {
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
        ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
      };
    },

    async failure(state, scope) {
      const evaluate = bind(scope);
      const text = async (field: "Error" | "Cause"): Promise<string | undefined> =>
        state[field] === undefined
          ? undefined
          : requireString(state[field], field, await evaluateTemplate(state[field], evaluate, field));
      const error = await text("Error");
      const cause = await text("Cause");
      return { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) };
    },
  };
}

/** The JSONata language with the host's clock and randomness (the engine builds its own on Sluice's clock). */
export const jsonataLanguage: JsonataLanguage = createJsonataLanguage();

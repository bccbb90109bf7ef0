/** The Conditions section and the condition functions (Fn::Equals, Fn::And, Fn::Or, Fn::Not). */
import { validationError } from "../errors.ts";
import type { EvalScope } from "./scope.ts";

/** Resolves intrinsic functions (passed in, so conditions and intrinsics do not import each other). */
export type Resolve = (value: unknown, scope: EvalScope) => unknown;

/** Evaluates every named condition once (a condition may name another with `{"Condition": …}`). */
export function evaluateConditions(
  declared: Readonly<Record<string, unknown>> | undefined,
  scope: Omit<EvalScope, "conditions">,
  resolve: Resolve,
): Record<string, boolean> {
  const conditions: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const evaluate = (name: string): boolean => {
    const known = conditions[name];
    if (known !== undefined) return known;
    if (!declared || !(name in declared))
      throw validationError(`Template format error: Unresolved condition dependency ${name}`);
    if (visiting.has(name))
      throw validationError(`Template error: circular condition dependency involving ${name}`);
    visiting.add(name);
    const value = conditionValue(declared[name], { ...scope, conditions: lazy }, resolve);
    visiting.delete(name);
    conditions[name] = value;
    return value;
  };
  const lazy = new Proxy({} as Record<string, boolean>, {
    get: (_target, key) => (typeof key === "string" ? evaluate(key) : undefined),
    has: (_target, key) => typeof key === "string" && declared !== undefined && key in declared,
  });
  for (const name of Object.keys(declared ?? {})) evaluate(name);
  return conditions;
}

/** A condition expression: a condition function or `{"Condition": name}`. */
export function conditionValue(expression: unknown, scope: EvalScope, resolve: Resolve): boolean {
  if (typeof expression === "object" && expression !== null && !Array.isArray(expression)) {
    const entries = Object.entries(expression);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const [name, argument] = first;
      if (name === "Condition") {
        if (typeof argument !== "string" || !(argument in scope.conditions)) {
          throw validationError(`Template format error: Unresolved condition dependency ${String(argument)}`);
        }
        return scope.conditions[argument] === true;
      }
      if (name === "Fn::Equals" || name === "Fn::And" || name === "Fn::Or" || name === "Fn::Not") {
        return evaluateConditionFunction(name, argument, scope, resolve);
      }
    }
  }
  throw validationError(
    `Template error: a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or {"Condition": name}; got ${JSON.stringify(expression)}`,
  );
}

export function evaluateConditionFunction(
  name: string,
  argument: unknown,
  scope: EvalScope,
  resolve: Resolve,
): boolean {
  if (!Array.isArray(argument)) throw validationError(`Template error: ${name} takes a list.`);
  switch (name) {
    case "Fn::Equals": {
      if (argument.length !== 2) throw validationError("Template error: Fn::Equals takes two values.");
      const [a, b] = argument.map((v) => canonical(resolve(v, scope)));
      return a === b;
    }
    case "Fn::Not":
      if (argument.length !== 1) throw validationError("Template error: Fn::Not takes one condition.");
      return !conditionValue(argument[0], scope, resolve);
    case "Fn::And":
    case "Fn::Or": {
      if (argument.length < 2 || argument.length > 10) {
        throw validationError(`Template error: ${name} takes between 2 and 10 conditions.`);
      }
      const values = argument.map((c) => conditionValue(c, scope, resolve));
      return name === "Fn::And" ? values.every(Boolean) : values.some(Boolean);
    }
    default:
      throw validationError(`Template error: ${name} is not a condition function.`);
  }
}

function canonical(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

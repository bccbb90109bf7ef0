/**
 * Workflow variables (Assign), the rules both query languages share: names, sizes, the parallel
 * assignment of one Assign field, and scopes.
 * https://states-language.net/spec.html#variables (names, "values at state entry", variable scope)
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (sizes; distributed Map)
 *
 * How the engine uses it:
 * - an execution starts with `rootScope()`; each state is evaluated with
 *   `variables: visibleVariables(scope)` in its `Scope`;
 * - after a state completes, `scope = mergeAssign(scope, output.assign)` (the new values only take
 *   effect in the next state: every expression of the state saw the values at its entry);
 * - a Parallel branch or inline Map iteration runs in `childScope(scope)`: it reads the outer
 *   variables as they were when the Parallel/Map state started, assigns only its own, and its
 *   variables go away when it ends (its result leaves through its output);
 *   a distributed Map's child runs in `childScope(scope, { distributed: true })`, seeing none.
 */
import { LIMITS } from "../../../model/limits.ts";
import type { Variables } from "./query-language.ts";
import { STATES_ERRORS, StatesError } from "./states-error.ts";

const ROWS = LIMITS.stepFunctionsLanguage;

/** The variable the language reserves for itself (`$states`). */
const RESERVED = "states";

/** The variables one state sees: its scope's own, over those of the scopes around it (read-only). */
export interface VariableScope {
  /** Outer scopes' variables, as they were when this scope began; never assigned from here. */
  readonly outer: Variables;
  /** Variables this scope assigned. */
  readonly own: Variables;
}

/** An execution's top-level scope (optionally with variables already assigned, e.g. on resume). */
export function rootScope(own: Variables = {}): VariableScope {
  return { outer: {}, own };
}

/** Every variable a state of this scope may reference, by name without `$`. */
export function visibleVariables(scope: VariableScope): Variables {
  return { ...scope.outer, ...scope.own };
}

/** The scope of a Parallel branch or Map iteration started from `parent` (see the file's comment). */
export function childScope(parent: VariableScope, options: { distributed?: boolean } = {}): VariableScope {
  return { outer: options.distributed === true ? {} : visibleVariables(parent), own: {} };
}

function runtimeError(cause: string): StatesError {
  return new StatesError(STATES_ERRORS.runtime, cause);
}

function utf8Bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "null", "utf8");
}

/**
 * Checks what one Assign field sets: each name a Unicode identifier of at most 80 characters and
 * not `states`, each value and all of them together within AWS's sizes. A definition error or an
 * oversized value fails the state with States.Runtime.
 */
export function checkAssignment(assign: Variables): void {
  let total = 0;
  for (const [name, value] of Object.entries(assign)) {
    if (!ROWS.variableName.pattern.test(name)) {
      throw runtimeError(
        `The variable name '${name}' is invalid: a name is 1 to ${ROWS.variableName.max} characters, a Unicode letter first, then letters, digits or '_' (no '$').`,
      );
    }
    if (name === RESERVED) throw runtimeError("The variable name 'states' is reserved by Step Functions.");
    const bytes = utf8Bytes(value);
    if (bytes > ROWS.variableSize.max) {
      throw runtimeError(
        `The value assigned to the variable '${name}' is ${bytes} bytes, more than the ${ROWS.variableSize.max} a variable may hold.`,
      );
    }
    total += bytes;
  }
  if (total > ROWS.assignSize.max) {
    throw runtimeError(
      `The values of one Assign field total ${total} bytes, more than the ${ROWS.assignSize.max} allowed.`,
    );
  }
}

/** Throws when an execution's variables together exceed AWS's total (the engine calls it on merge). */
export function checkVariablesTotal(variables: Variables): void {
  const bytes = utf8Bytes(variables);
  if (bytes > ROWS.variablesTotalSize.max) {
    throw runtimeError(
      `The execution's variables total ${bytes} bytes, more than the ${ROWS.variablesTotalSize.max} an execution may hold.`,
    );
  }
}

/**
 * Evaluates an Assign field: every entry through `evaluateEntry` (which reads the variables as
 * they were at state entry, so `{x: 42, old: $x}` gives `old` the previous x), then the checks of
 * `checkAssignment`. `evaluateEntry` maps a written key to the variable's name and value
 * (JSONPath strips a `.$` suffix and resolves the path; JSONata evaluates `{% %}` strings).
 */
export async function evaluateAssign(
  assign: unknown,
  evaluateEntry: (key: string, value: unknown) => Promise<{ name: string; value: unknown }>,
): Promise<Variables> {
  if (assign === undefined) return {};
  if (assign === null || typeof assign !== "object" || Array.isArray(assign)) {
    throw runtimeError("The Assign field must be a JSON object.");
  }
  const entries = await Promise.all(Object.entries(assign).map(([key, value]) => evaluateEntry(key, value)));
  const assigned: Record<string, unknown> = Object.create(null);
  for (const { name, value } of entries) assigned[name] = value;
  checkAssignment(assigned);
  return { ...assigned };
}

/**
 * The scope after a state assigned `assign`. An inner scope may not assign a variable of an outer
 * one (the spec: outer and inner names must be unique); AWS refuses such a definition, and this
 * fails the state with States.Runtime if one gets here.
 */
export function mergeAssign(scope: VariableScope, assign: Variables): VariableScope {
  const names = Object.keys(assign);
  if (names.length === 0) return scope;
  for (const name of names) {
    if (Object.hasOwn(scope.outer, name)) {
      throw runtimeError(
        `The variable '${name}' belongs to an outer scope and cannot be assigned inside a Parallel branch or Map iteration.`,
      );
    }
  }
  return { outer: scope.outer, own: { ...scope.own, ...assign } };
}

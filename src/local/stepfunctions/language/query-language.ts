/**
 * The contract between the interpreter (engine/) and the two query languages a state may use
 * (jsonpath/, jsonata/): everything a state does with data goes through one of these, picked per
 * state by its `QueryLanguage` (or the machine's top-level one, default JSONPath).
 * Implementations are pure (no clock, no I/O): the engine passes `nowMs` and a random source.
 * Every evaluation error is thrown as a StatesError with AWS's name (States.Runtime,
 * States.QueryEvaluationError, States.IntrinsicFailure, States.ParameterPathFailure,
 * States.ResultPathMatchFailure, ...) and a cause that reads like AWS's.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */

/** One state's JSON as written in the ASL document (Sluice names already resolved). */
export type AslState = Readonly<Record<string, unknown>>;

/** A Retry or Catch entry as written. */
export type AslRetrier = Readonly<Record<string, unknown>>;
export type AslCatcher = Readonly<Record<string, unknown>>;

/** Workflow variables in scope (Assign), by name without `$`. */
export type Variables = Readonly<Record<string, unknown>>;

/**
 * The Context object: `$$` in JSONPath, `$states.context` in JSONata
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 */
export interface ContextObject {
  readonly Execution: {
    readonly Id: string;
    readonly Input: unknown;
    readonly Name: string;
    readonly RoleArn: string;
    /** ISO-8601 with milliseconds, e.g. 2019-03-26T20:14:13.192Z. */
    readonly StartTime: string;
    readonly RedriveCount: number;
  };
  readonly State: { readonly EnteredTime: string; readonly Name: string; readonly RetryCount: number };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
  /** Only inside a task state whose resource ends with `.waitForTaskToken`. */
  readonly Task?: { readonly Token: string };
  /** Only while a Map state builds each item's input (ItemSelector). */
  readonly Map?: { readonly Item: { readonly Index: number; readonly Value: unknown } };
}

/** What every evaluation may read. */
export interface Scope {
  /** The state's raw input. */
  readonly input: unknown;
  readonly context: ContextObject;
  readonly variables: Variables;
}

/** A state's output and the variables it assigns (already evaluated; applied by the engine). */
export interface StateOutput {
  readonly output: unknown;
  /** Variables to set after the state (Assign); empty when none. */
  readonly assign: Variables;
}

export interface QueryLanguage {
  readonly name: "JSONPath" | "JSONata";

  /**
   * What a Task, Pass or Parallel/Map iteration works on: JSONPath applies InputPath then
   * Parameters (Pass: `Result` wins over it, see `output`); JSONata evaluates Arguments (default:
   * the input). For Map items pass the item scope and `field: "ItemSelector"`.
   */
  effectiveInput(state: AslState, scope: Scope, field?: "Parameters" | "ItemSelector"): Promise<unknown>;

  /**
   * A state's output from its result (a task's result, a Pass state's Result or effective input,
   * a Parallel/Map's array): JSONPath ResultSelector, ResultPath (into the raw input), OutputPath;
   * JSONata Output (default: the result) with `$states.result`. Both evaluate Assign (JSONPath:
   * `$` is the result for Assign, as AWS documents).
   */
  output(state: AslState, scope: Scope, result: unknown): Promise<StateOutput>;

  /**
   * A Choice state: the first rule that matches gives `next` (JSONata rules may have their own
   * Output/Assign); none matching gives `Default`, or undefined (the engine then fails with
   * States.NoChoiceMatched). `output` follows InputPath/OutputPath (JSONPath) or Output (JSONata).
   */
  choose(state: AslState, scope: Scope): Promise<{ next: string | undefined } & StateOutput>;

  /**
   * A caught error's output for the catcher: JSONPath puts the error output
   * (`{ Error, Cause }`) at the catcher's ResultPath in the raw input (default: replaces it);
   * JSONata evaluates the catcher's Output with `$states.errorOutput` (default: the error output).
   */
  caught(
    catcher: AslCatcher,
    scope: Scope,
    errorOutput: { Error: string; Cause: string },
  ): Promise<StateOutput>;

  /** A Wait state: the epoch millisecond it ends (Seconds, Timestamp, SecondsPath, TimestampPath, or JSONata). */
  waitUntil(state: AslState, scope: Scope, nowMs: number): Promise<number>;

  /** A Map state's items (ItemsPath, or JSONata Items); must be an array (else States.Runtime). */
  items(state: AslState, scope: Scope): Promise<readonly unknown[]>;

  /** TimeoutSeconds/TimeoutSecondsPath and HeartbeatSeconds/HeartbeatSecondsPath (or JSONata); undefined when unset. */
  timeouts(state: AslState, scope: Scope): Promise<{ timeoutSeconds?: number; heartbeatSeconds?: number }>;

  /** A Fail state's Error and Cause (Error/ErrorPath, Cause/CausePath, or JSONata). */
  failure(state: AslState, scope: Scope): Promise<{ error?: string; cause?: string }>;
}

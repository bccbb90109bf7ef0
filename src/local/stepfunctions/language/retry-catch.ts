/**
 * Retry and Catch: which retrier or catcher an error picks, how long a retry waits, and the Error
 * Output a catcher receives. Pure; the engine keeps the per-retrier counts and the clock.
 * https://states-language.net/spec.html#errors (retriers, complex retry scenarios, fallback states)
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (AWS's error
 * names: what States.ALL and States.TaskFailed do not match; FULL jitter)
 */
import { LIMITS } from "../../../model/limits.ts";
import type { AslCatcher, AslRetrier } from "./query-language.ts";
import { STATES_ERRORS } from "./states-error.ts";

const RETRY = LIMITS.stepFunctionsLanguage;

/**
 * Errors no retrier or catcher handles, not even States.ALL or their own name. AWS's
 * concepts-error-handling page: States.ALL "cannot catch States.DataLimitExceeded terminal error
 * or Runtime error types"; States.DataLimitExceeded is "a terminal error"; States.Runtime errors
 * "are not retriable and will always cause the execution to fail". (Whether naming
 * States.DataLimitExceeded explicitly catches it the page does not say; "terminal" is read as no.)
 */
const TERMINAL: ReadonlySet<string> = new Set([STATES_ERRORS.runtime, STATES_ERRORS.dataLimitExceeded]);

/** The timeouts: States.TaskFailed matches every error but these (AWS: "except for States.Timeout"). */
const TIMEOUTS: ReadonlySet<string> = new Set([STATES_ERRORS.timeout, STATES_ERRORS.heartbeatTimeout]);

/** Whether one name in an `ErrorEquals` matches the reported error. */
function nameMatches(wanted: string, error: string): boolean {
  if (wanted === error) return true;
  if (wanted === STATES_ERRORS.all) return true;
  if (wanted === STATES_ERRORS.taskFailed) return !TIMEOUTS.has(error);
  // A heartbeat timeout is reported as States.HeartbeatTimeout and is also a States.Timeout: AWS's
  // page defines States.Timeout as "A Task state either ran longer than the TimeoutSeconds value,
  // or failed to send a heartbeat for a period longer than the HeartbeatSeconds value" (the
  // Step Functions team, aws/aws-cdk#16084: a Catch on States.Timeout "includes both Task timeout
  // and Task Heartbeat timeout"; States.HeartbeatTimeout was added to tell them apart).
  return wanted === STATES_ERRORS.timeout && error === STATES_ERRORS.heartbeatTimeout;
}

/** Whether an `ErrorEquals` array matches the reported error name (case-sensitive). */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (TERMINAL.has(error)) return false;
  return errorEquals.some((wanted) => nameMatches(wanted, error));
}

function errorEqualsOf(entry: AslRetrier | AslCatcher): readonly string[] {
  const list = entry.ErrorEquals;
  return Array.isArray(list) ? list.filter((name): name is string => typeof name === "string") : [];
}

/** The first retrier whose ErrorEquals matches: the only one consulted for this error. */
export function findRetrier(
  retriers: readonly AslRetrier[] | undefined,
  error: string,
): { index: number; retrier: AslRetrier } | undefined {
  const index = (retriers ?? []).findIndex((retrier) => errorMatches(errorEqualsOf(retrier), error));
  const retrier = retriers?.[index];
  return retrier === undefined ? undefined : { index, retrier };
}

/** The first catcher whose ErrorEquals matches, scanned in array order. */
export function findCatcher(
  catchers: readonly AslCatcher[] | undefined,
  error: string,
): { index: number; catcher: AslCatcher } | undefined {
  const index = (catchers ?? []).findIndex((catcher) => errorMatches(errorEqualsOf(catcher), error));
  const catcher = catchers?.[index];
  return catcher === undefined ? undefined : { index, catcher };
}

function numberField(retrier: AslRetrier, field: string, fallback: number | undefined): number | undefined {
  const value = retrier[field];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** How many retries a retrier allows (MaxAttempts, default 3; 0 = never). */
export function maxAttempts(retrier: AslRetrier): number {
  return numberField(retrier, "MaxAttempts", RETRY.retryMaxAttempts.default) ?? 0;
}

/**
 * The wait before retry number `attempt` (0 for the first retry) of this retrier, in milliseconds:
 * IntervalSeconds × BackoffRate^attempt, capped at MaxDelaySeconds, then with JitterStrategy FULL
 * a random delay between 0 and that. `random` returns a number in [0, 1).
 */
export function retryDelayMs(retrier: AslRetrier, attempt: number, random: () => number): number {
  const interval = numberField(retrier, "IntervalSeconds", RETRY.retryIntervalSeconds.default) ?? 1;
  const backoff = numberField(retrier, "BackoffRate", RETRY.retryBackoffRate.default) ?? 2;
  const cap = numberField(retrier, "MaxDelaySeconds", undefined);
  let seconds = interval * backoff ** attempt;
  if (cap !== undefined) seconds = Math.min(seconds, cap);
  if (retrier.JitterStrategy === "FULL") seconds *= random();
  return Math.round(seconds * 1000);
}

/** The decision to retry: which retrier, after how long, and the counts to keep for the next error. */
export interface RetryPlan {
  readonly retrierIndex: number;
  readonly delayMs: number;
  /** Retries made so far by each retrier of the state, this one included (index = retrier). */
  readonly retryCounts: readonly number[];
}

/**
 * Whether to retry `error`, given the retries each retrier has made in this state so far (a
 * retrier's count spans every visit within one state execution and resets when the state is left).
 * Undefined: no retrier matches, or the matching one has used its MaxAttempts; the error then goes
 * to Catch. A later retrier is never consulted when the first matching one is spent.
 */
export function nextRetry(
  retriers: readonly AslRetrier[] | undefined,
  retryCounts: readonly number[],
  error: string,
  random: () => number,
): RetryPlan | undefined {
  const found = findRetrier(retriers, error);
  if (found === undefined) return undefined;
  const made = retryCounts[found.index] ?? 0;
  if (made >= maxAttempts(found.retrier)) return undefined;
  const counts = Array.from(
    { length: Math.max(retryCounts.length, found.index + 1) },
    (_, i) => retryCounts[i] ?? 0,
  );
  counts[found.index] = made + 1;
  return {
    retrierIndex: found.index,
    delayMs: retryDelayMs(found.retrier, made, random),
    retryCounts: counts,
  };
}

/** The Error Output a catcher's state receives: `{ Error, Cause }`. */
export function errorOutput(error: { readonly error: string; readonly cause: string }): {
  Error: string;
  Cause: string;
} {
  return { Error: error.error, Cause: error.cause };
}

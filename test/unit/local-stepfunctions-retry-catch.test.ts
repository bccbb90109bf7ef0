/**
 * Retry and Catch as the States Language and AWS's error-handling page state them: which retrier
 * or catcher an error picks, how long each retry waits, and the Error Output.
 * https://states-language.net/spec.html#errors
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  errorMatches,
  errorOutput,
  findCatcher,
  findRetrier,
  nextRetry,
  retryDelayMs,
} from "../../src/local/stepfunctions/language/retry-catch.ts";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";

const never = () => 0.5;

describe("error matching", () => {
  test("an error name matches itself exactly and case-sensitively", () => {
    assert.equal(errorMatches(["ErrorA", "ErrorB"], "ErrorB"), true);
    assert.equal(errorMatches(["ErrorA"], "errora"), false);
  });

  test("States.ALL matches any error name", () => {
    for (const name of [
      "Lambda.Unknown",
      "States.Timeout",
      "States.TaskFailed",
      "States.QueryEvaluationError",
    ]) {
      assert.equal(errorMatches(["States.ALL"], name), true, name);
    }
  });

  test("States.ALL does not match the terminal States.Runtime and States.DataLimitExceeded", () => {
    assert.equal(errorMatches(["States.ALL"], "States.Runtime"), false);
    assert.equal(errorMatches(["States.ALL"], "States.DataLimitExceeded"), false);
    assert.equal(errorMatches(["States.Runtime"], "States.Runtime"), false, "not retriable, not catchable");
  });

  test("States.TaskFailed matches any error except a timeout", () => {
    assert.equal(errorMatches(["States.TaskFailed"], "Lambda.Unknown"), true);
    assert.equal(errorMatches(["States.TaskFailed"], "HandledError"), true);
    assert.equal(errorMatches(["States.TaskFailed"], "States.Permissions"), true);
    assert.equal(errorMatches(["States.TaskFailed"], "States.Timeout"), false);
    assert.equal(errorMatches(["States.TaskFailed"], "States.HeartbeatTimeout"), false);
    assert.equal(errorMatches(["States.TaskFailed"], "States.Runtime"), false);
  });

  test("States.Timeout also matches a heartbeat timeout, which the spec counts as a timeout", () => {
    assert.equal(errorMatches(["States.Timeout"], "States.HeartbeatTimeout"), true);
    assert.equal(errorMatches(["States.HeartbeatTimeout"], "States.Timeout"), false);
  });
});

describe("retriers", () => {
  test("the first retrier whose ErrorEquals matches is the one used", () => {
    const retry = [{ ErrorEquals: ["States.Timeout"], MaxAttempts: 0 }, { ErrorEquals: ["States.ALL"] }];
    assert.equal(findRetrier(retry, "States.Timeout")?.index, 0);
    assert.equal(findRetrier(retry, "Other")?.index, 1);
    assert.equal(findRetrier([{ ErrorEquals: ["A"] }], "B"), undefined);
  });

  test("defaults: 1 second, doubling, three attempts", () => {
    const retrier = { ErrorEquals: ["States.ALL"] };
    assert.deepEqual(
      [0, 1, 2].map((attempt) => retryDelayMs(retrier, attempt, never)),
      [1000, 2000, 4000],
    );
    const plan = (counts: number[]) => nextRetry([retrier], counts, "X", never);
    assert.equal(plan([2])?.delayMs, 4000);
    assert.equal(plan([3]), undefined, "MaxAttempts defaults to 3");
  });

  test("the spec's example retries after 3 and 6 seconds, and after 3 and 4 with MaxDelaySeconds 4", () => {
    const retrier = { ErrorEquals: ["States.Timeout"], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 2.0 };
    assert.deepEqual([retryDelayMs(retrier, 0, never), retryDelayMs(retrier, 1, never)], [3000, 6000]);
    const capped = { ...retrier, MaxDelaySeconds: 4 };
    assert.deepEqual([retryDelayMs(capped, 0, never), retryDelayMs(capped, 1, never)], [3000, 4000]);
  });

  test("a BackoffRate of 1.5 waits 3 then 4.5 seconds (AWS's example)", () => {
    const retrier = { ErrorEquals: ["States.Timeout"], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 };
    assert.deepEqual([retryDelayMs(retrier, 0, never), retryDelayMs(retrier, 1, never)], [3000, 4500]);
  });

  test("JitterStrategy FULL waits a random delay between 0 and the computed one", () => {
    const retrier = { ErrorEquals: ["X"], IntervalSeconds: 10, JitterStrategy: "FULL" };
    assert.equal(
      retryDelayMs(retrier, 0, () => 0.25),
      2500,
    );
    assert.equal(
      retryDelayMs(retrier, 1, () => 0),
      0,
    );
    assert.equal(
      retryDelayMs({ ...retrier, JitterStrategy: "NONE" }, 0, () => 0.25),
      10000,
    );
  });

  test("MaxAttempts 0 never retries", () => {
    assert.equal(nextRetry([{ ErrorEquals: ["X"], MaxAttempts: 0 }], [], "X", never), undefined);
  });

  test("a retrier's count spans the whole state: ErrorA, ErrorB, ErrorC, ErrorB (the spec's scenario)", () => {
    const retry = [
      { ErrorEquals: ["ErrorA", "ErrorB"], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
      { ErrorEquals: ["ErrorC"], IntervalSeconds: 5 },
    ];
    let counts: readonly number[] = [];
    const waits: number[] = [];
    for (const error of ["ErrorA", "ErrorB", "ErrorC"]) {
      const plan = nextRetry(retry, counts, error, never);
      assert.ok(plan, error);
      waits.push(plan.delayMs);
      counts = plan.retryCounts;
    }
    assert.deepEqual(waits, [1000, 2000, 5000]);
    // The fourth error matches the first retrier, whose two attempts are spent: no later retrier
    // is tried, the error goes on to Catch.
    assert.equal(nextRetry(retry, counts, "ErrorB", never), undefined);
    assert.deepEqual(counts, [2, 1]);
  });

  test("a terminal error is never retried, whatever the retriers say", () => {
    assert.equal(nextRetry([{ ErrorEquals: ["States.ALL"] }], [], "States.Runtime", never), undefined);
  });
});

describe("catchers and the error output", () => {
  test("catchers are scanned in order and the first match wins", () => {
    const catchers = [
      { ErrorEquals: ["java.lang.Exception"], ResultPath: "$.error-info", Next: "RecoveryState" },
      { ErrorEquals: ["States.ALL"], Next: "EndState" },
    ];
    assert.equal(findCatcher(catchers, "java.lang.Exception")?.catcher.Next, "RecoveryState");
    assert.equal(findCatcher(catchers, "Other")?.index, 1);
    assert.equal(findCatcher(catchers, "States.DataLimitExceeded"), undefined);
  });

  test("the error output carries Error and Cause", () => {
    assert.deepEqual(errorOutput(new StatesError("Lambda.Unknown", "boom")), {
      Error: "Lambda.Unknown",
      Cause: "boom",
    });
  });
});

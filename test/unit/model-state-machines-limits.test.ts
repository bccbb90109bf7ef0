import assert from "node:assert/strict";
import { test } from "node:test";
import { LIMITS } from "../../src/model/limits.ts";

// Figures as Step Functions' service quotas page states them (Standard and Express workflows).
const SFN = LIMITS.stepFunctions;

test("state machine names: 1 to 80 characters, none of AWS's refused characters", () => {
  const name = SFN.stateMachineName.pattern;
  for (const ok of ["shop-query", "a_b", "x".repeat(80), "café"]) assert.ok(name.test(ok), ok);
  for (const bad of ["", "x".repeat(81), "a b", "a:b", "a/b", "a*b", "a{b", 'a"b', "a\u0001b", "a\u0085b"]) {
    assert.equal(name.test(bad), false, JSON.stringify(bad));
  }
});

test("quotas on definitions, payloads, histories, durations and task tokens", () => {
  assert.equal(SFN.definitionSize.max, 1024 * 1024);
  assert.equal(SFN.payloadSize.max, 262_144);
  assert.equal(SFN.historyEvents.max, 25_000);
  assert.equal(SFN.standardDuration.max, 365 * 24 * 3600);
  assert.equal(SFN.expressDuration.max, 5 * 60);
  assert.equal(SFN.taskTokenLifetime.max, SFN.standardDuration.max);
  assert.equal(SFN.historyRetention.default, 90);
  assert.equal(SFN.mapMaxConcurrency.default, 0);
  assert.equal(SFN.inlineMapConcurrency.max, 40);
  const retry = LIMITS.stepFunctionsLanguage;
  assert.deepEqual(
    [retry.retryIntervalSeconds.default, retry.retryMaxAttempts.default, retry.retryBackoffRate.default],
    [1, 3, 2],
  );
});

test("one fact, one row: the API members bounded by a Step Functions quota share its row", () => {
  const api = LIMITS.stepFunctionsApi;
  // 256 KiB of input or output; 1–80 characters of a state machine's or an execution's name.
  assert.equal(api.executionInput, SFN.payloadSize);
  assert.equal(api.taskOutput, SFN.payloadSize);
  assert.equal(api.executionName, SFN.stateMachineName);
});

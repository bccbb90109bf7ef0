import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../support/temp.ts";

const REPORTER = join(import.meta.dirname, "..", "support", "failure-digest.mjs");

test("the failure digest names every failed and cancelled test, with its file and error, after the run", () => {
  const temp = tempDir("sluice-digest-");
  try {
    writeFileSync(
      join(temp.dir, "sample.test.mjs"),
      [
        'import { describe, before, test } from "node:test";',
        'test("passes", () => {});',
        'test("fails", () => { throw new Error("expected 1 to be 2"); });',
        'describe("a suite whose hook fails", () => {',
        '  before(() => { throw new Error("hook broke"); });',
        '  test("never runs", () => {});',
        "});",
      ].join("\n"),
    );
    const run = spawnSync(
      process.execPath,
      ["--test", "--test-reporter", REPORTER, "--test-reporter-destination", "stdout", "sample.test.mjs"],
      // Without NODE_TEST_CONTEXT the child runs as a test run of its own, not as this test's subtests.
      { cwd: temp.dir, encoding: "utf8", env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
    );
    assert.notEqual(run.status, 0);
    const digest = run.stdout;
    assert.match(digest, /# 3 failed or cancelled:/);
    assert.match(
      digest,
      /sample\.test\.mjs:3 {2}"fails" {2}\[testCodeFailure\]\n# {5}Error: expected 1 to be 2/,
    );
    assert.match(digest, /"never runs" {2}\[cancelledByParent\]/);
    assert.match(digest, /"a suite whose hook fails" {2}\[hookFailed\]\n# {5}Error: hook broke/);
    assert.doesNotMatch(digest, /"passes"/);
  } finally {
    temp.cleanup();
  }
});

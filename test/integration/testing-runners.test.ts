/**
 * `sluice/testing` in the three runners docs/testing.md shows: each runner runs its example
 * (test/fixtures/testing-runners/) in a child process against dist/ (the package's self-reference),
 * and passes; with KIT_EXPECT_WRONG=1 the same example's last expectation is wrong, and the runner
 * must report the failure (a runner that swallowed it would prove nothing).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../support/cli-process.ts";

const FIXTURES = join(ROOT, "test", "fixtures", "testing-runners");
const RUN_TIMEOUT_MS = 150_000;

interface Run {
  readonly code: number;
  readonly output: string;
}

function run(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: FIXTURES,
        timeout: RUN_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        // The runner's own environment, without this test's loader (tsx) or test-runner variables.
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CI: "1", ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

const RUNNERS = {
  "node:test": { args: ["--test", "kit.test.mjs"], env: {} },
  vitest: {
    args: [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--config", "vitest.config.mjs"],
    env: {},
  },
  jest: {
    args: [join(ROOT, "node_modules", "jest", "bin", "jest.js"), "--config", "jest.config.mjs", "--ci"],
    env: { NODE_OPTIONS: "--experimental-vm-modules" },
  },
} as const;

for (const [runner, { args, env }] of Object.entries(RUNNERS)) {
  describe(`sluice/testing under ${runner}`, () => {
    it("passes the example test", async () => {
      const result = await run(args, env);
      assert.equal(result.code, 0, result.output);
    });

    it("reports the example's deliberately wrong expectation as a failure", async () => {
      const result = await run(args, { ...env, KIT_EXPECT_WRONG: "1" });
      assert.notEqual(result.code, 0, result.output);
      assert.match(result.output, /a page that keeps failing ends in the DLQ/);
      assert.match(result.output, /Expected|expected/);
    });
  });
}

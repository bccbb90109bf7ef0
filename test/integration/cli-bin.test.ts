import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT, sluice } from "../support/cli-process.ts";
import { copyApp, tempDir } from "../support/temp.ts";

const APPS = join(ROOT, "test", "fixtures", "apps");
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

describe("the sluice command (real bin)", { timeout: 120_000 }, () => {
  test("--help exits 0; an unknown command exits 2 with help on stderr", async () => {
    const help = await sluice(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: sluice <command>/);
    const unknown = await sluice(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"[\s\S]*Usage: sluice <command>/);
  });

  test("an invalid definition exits 1 and lists every problem without a stack trace", async () => {
    const app = copyApp(join(APPS, "invalid"));
    try {
      const result = await sluice(["invoke", "worker", "--dir", app.dir]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /invalid application definition, 3 problems:/);
      for (const path of [
        "functions.worker.handler",
        "functions.worker.memorySize",
        "functions.worker.consumes.maxConcurrency",
      ]) {
        assert.match(
          result.stderr,
          new RegExp(`^ {2}${path.replace(/\./g, "\\.")}: .+ \\(got .+; allowed: .+; fix: .+\\)$`, "m"),
        );
      }
      assert.doesNotMatch(result.stderr, STACK_LINE);
    } finally {
      app.cleanup();
    }
  });

  test("init, then invoke without a running dev, prints the function's result", async () => {
    const temp = tempDir("sluice-it-init-");
    const dir = join(temp.dir, "fresh");
    try {
      const init = await sluice(["init", dir]);
      assert.equal(init.code, 0, init.stderr);
      const invoked = await sluice(["invoke", "hello", "--event", '{"name":"Ada"}', "--dir", dir]);
      assert.equal(invoked.code, 0, invoked.stderr);
      assert.deepEqual(JSON.parse(invoked.stdout), { greeting: "Hello, Ada!" });
    } finally {
      temp.cleanup();
    }
  });

  test("invoking a failing function exits 1 and prints Lambda's error payload; send reads a body from stdin", async () => {
    const app = copyApp(join(APPS, "cli"));
    try {
      const failed = await sluice(["invoke", "broken", "--dir", app.dir]);
      assert.equal(failed.code, 1);
      const payload = JSON.parse(failed.stdout) as { errorType: string; errorMessage: string };
      assert.deepEqual([payload.errorType, payload.errorMessage], ["TypeError", "broken on purpose"]);
      const sent = await sluice(["send", "work", "-", "--json", "--dir", app.dir], { input: "from stdin" });
      assert.equal(sent.code, 0, sent.stderr);
      assert.match((JSON.parse(sent.stdout) as { messageId: string }).messageId, /^[0-9a-f-]{36}$/);
    } finally {
      app.cleanup();
    }
  });
});

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { app, run } from "../support/cli-in-process.ts";

describe("sluice describe with state machines", { timeout: 60_000 }, () => {
  test("draws each machine in the page and prints its outline", async (t) => {
    const dir = app(t, "state-machines-deploy");
    const result = await run(["describe", dir]);
    assert.equal(result.code, 0, result.err);
    const file = join(dir, ".sluice", "describe.html");
    assert.ok(existsSync(file));
    assert.match(readFileSync(file, "utf8"), /data-state-machine="double"/);
    assert.match(
      result.out,
      /\nstate machine double \(STANDARD\)\n {2}start\n {4}next → Double\n {2}Double · Task · lambda:invoke · doubler\n {4}next → Report\n {2}Report · Task · sqs:sendMessage · results\n {4}next → \(end\)/,
    );
    assert.match(result.out, /\nstate machine echo \(EXPRESS\)\n/);
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FunctionInfo } from "../../src/local/lambda/types.ts";
import { app, run } from "../support/cli-in-process.ts";

describe("sluice functions", { timeout: 60_000 }, () => {
  test("lists each function's state, last update status and environments as JSON", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["functions", "--json", "--dir", dir]);
    assert.equal(result.code, 0, result.err);
    const functions = JSON.parse(result.out) as FunctionInfo[];
    assert.deepEqual(
      functions.map((f) => [f.functionName, f.state, f.stateReasonCode, f.lastUpdateStatus, f.warm, f.busy]),
      [
        ["greet", "Pending", "Creating", "InProgress", 0, 0],
        ["broken", "Pending", "Creating", "InProgress", 0, 0],
      ],
    );
  });

  test("prints a table, and says when no dev is running", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["functions", "--dir", dir]);
    assert.equal(result.code, 0, result.err);
    const [header, ...rows] = result.out.split("\n");
    assert.match(header ?? "", /^FUNCTION\s+STATE\s+UPDATE\s+PROVISIONED\s+WARM\s+BUSY$/);
    assert.match(rows[0] ?? "", /^greet\s+Pending\s+InProgress\s+-\s+0\s+0$/);
    assert.match(result.out, /no `sluice dev` is running/);
  });
});

describe("sluice dev --inactive-after", () => {
  test("refuses a value that is not a duration, naming the flag", async () => {
    const result = await run(["dev", "--inactive-after", "two weeks", "--no-watch"]);
    assert.equal(result.code, 2);
    assert.match(result.err, /--inactive-after takes a duration such as 30m, 12h or 14d; got "two weeks"/);
  });
});

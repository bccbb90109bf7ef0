import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import { describe, test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";
import type { FunctionInfo } from "../../src/local/lambda/types.ts";
import { tempDir } from "../fixtures/apps/event-handlers/harness.ts";

const CLI_APP = fileURLToPath(new URL("../fixtures/apps/cli", import.meta.url));

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (text) => out.push(text), err: (text) => err.push(text), color: false };
  const code = await main(argv, output);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function app(t: TestContext): string {
  const temp = tempDir("sluice-cli-functions-");
  cpSync(CLI_APP, temp.dir, { recursive: true });
  t.after(() => temp.cleanup());
  return temp.dir;
}

describe("sluice functions", { timeout: 60_000 }, () => {
  test("lists each function's state, last update status and environments as JSON", async (t) => {
    const dir = app(t);
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
    const dir = app(t);
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

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type Bundles, buildFixtures, createHarness, type Harness } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

const HOST_MAJOR = Number(process.versions.node.split(".")[0]);
/** A runtime whose Node major differs from the host's, whichever Node runs the tests. */
const OTHER_RUNTIME = HOST_MAJOR === 24 ? "nodejs22.x" : "nodejs24.x";
const SAME_RUNTIME = HOST_MAJOR === 22 ? "nodejs22.x" : HOST_MAJOR === 24 ? "nodejs24.x" : undefined;

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["warnings"]);
});
after(() => bundles.cleanup());

describe("warnings in a function's log", { timeout: 60_000 }, () => {
  let harness: Harness;
  before(() => {
    const code = { file: bundles.file("warnings"), exportName: "handler" };
    harness = createHarness(
      new ManualClock(),
      [
        functionSpec("other", { runtime: OTHER_RUNTIME }),
        ...(SAME_RUNTIME ? [functionSpec("same", { runtime: SAME_RUNTIME })] : []),
      ],
      { other: code, same: code },
    );
  });
  after(() => harness.close());

  /** Every log text of the function once its last warning (the user's own) has been logged. */
  async function logsOf(name: string): Promise<string> {
    const result = await harness.service.invoke(name, { payload: "{}" });
    assert.equal(result.functionError, undefined);
    await harness.logs.waitFor(
      (line) => line.functionName === name && line.text.includes("user warning last"),
    );
    return harness.logs.lines
      .filter((line) => line.functionName === name)
      .map((line) => line.text)
      .join("\n");
  }

  test("keeps the AWS SDK's Node-version warnings out and the user's warnings in", async () => {
    const text = await logsOf("other");
    assert.doesNotMatch(text, /NodeVersionSupportWarning/);
    assert.doesNotMatch(text, /NodeDeprecationWarning|old SDK words/);
    assert.match(text, /DeprecationWarning: user deprecation/);
    assert.match(text, /Warning: user warning last/);
  });

  test("drops an ExperimentalWarning while the host runs another Node major than the runtime", async () => {
    assert.doesNotMatch(await logsOf("other"), /host feature/);
  });

  test("keeps an ExperimentalWarning when the host runs the runtime's own Node major", async (t) => {
    if (!SAME_RUNTIME) return t.diagnostic(`no Lambda runtime runs Node ${HOST_MAJOR}`);
    assert.match(await logsOf("same"), /ExperimentalWarning: host feature/);
  });
});

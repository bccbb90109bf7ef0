import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { billedDurationMs, reportLine } from "../../src/local/lambda/platform-log.ts";
import { type Bundles, buildFixtures, createHarness, type Harness } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["logs"]);
});
after(() => bundles.cleanup());

describe("logs", { timeout: 60_000 }, () => {
  let harness: Harness;

  before(() => {
    harness = createHarness(new ManualClock(), [functionSpec("logs", { memorySize: 256 })], {
      logs: { file: bundles.file("logs"), exportName: "handler" },
    });
  });
  after(() => harness.close());

  test("writes START, the handler's lines tagged with the request id, END and REPORT", async () => {
    const { requestId } = await harness.service.invoke("logs", { payload: "{}" });
    const lines = harness.logs.of(requestId);
    const expected = [
      `^START RequestId: ${requestId} Version: \\$LATEST$`,
      `^${ISO}\\t${requestId}\\tINFO\\thello world$`,
      `^${ISO}\\t${requestId}\\tINFO\\tinfo line$`,
      `^${ISO}\\t${requestId}\\tWARN\\twarn line$`,
      `^${ISO}\\t${requestId}\\tERROR\\terror line$`,
      `^${ISO}\\t${requestId}\\tDEBUG\\tdebug line$`,
      "^raw stdout line$",
      `^END RequestId: ${requestId}$`,
      `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`,
    ];
    assert.equal(lines.length, expected.length, lines.join("\n"));
    for (const [index, line] of lines.entries()) assert.match(line, new RegExp(expected[index] ?? ""));
    assert.ok(harness.logs.lines.every((line) => line.functionName === "logs"));
  });

  test("adds Init Duration to cold starts only", async () => {
    const { requestId } = await harness.service.invoke("logs", { payload: "{}" });
    const report = harness.logs.of(requestId).at(-1) ?? "";
    assert.match(report, /^REPORT .*\tMax Memory Used: \d+ MB$/);
  });

  test("logs an invocation error as Lambda's runtime does", async () => {
    const { requestId } = await harness.service.invoke("logs", { payload: JSON.stringify({ fail: true }) });
    const line = harness.logs.of(requestId).find((text) => text.includes("Invoke Error"));
    assert.match(
      line ?? "",
      new RegExp(
        `^${ISO}\\t${requestId}\\tERROR\\tInvoke Error \\t\\{"errorType":"Error","errorMessage":"logged failure",.*"stack":\\["Error: logged failure",`,
      ),
    );
  });

  test("returns the last 4 KB of the invocation's log as the tail", async () => {
    const result = await harness.service.invoke("logs", {
      payload: JSON.stringify({ lines: 100 }),
      tailLog: true,
    });
    const tail = result.logTail ?? "";
    assert.ok(Buffer.byteLength(tail) <= 4096);
    assert.ok(Buffer.byteLength(tail) > 4000);
    assert.match(
      tail,
      new RegExp(`END RequestId: ${result.requestId}\nREPORT RequestId: ${result.requestId}\t[^\n]*\n$`),
    );
    assert.ok(!tail.includes("START"), "earlier lines fall outside the last 4 KB");
    const short = await harness.service.invoke("logs", { payload: "{}", tailLog: true });
    assert.ok(short.logTail?.startsWith(`START RequestId: ${short.requestId}`));
    const none = await harness.service.invoke("logs", { payload: "{}" });
    assert.equal(none.logTail, undefined);
  });
});

describe("REPORT line", () => {
  test("bills in whole milliseconds, rounding up, including init on a cold start", () => {
    assert.equal(billedDurationMs(3000, 402.04), 3403);
    assert.equal(billedDurationMs(395.99, 265.72), 662);
    assert.equal(billedDurationMs(1.01), 2);
  });

  test("matches Lambda's field order and separators", () => {
    assert.equal(
      reportLine({
        requestId: "r",
        durationMs: 3000,
        memorySizeMb: 128,
        maxMemoryUsedMb: 73,
        initDurationMs: 402.04,
        status: "timeout",
      }),
      "REPORT RequestId: r\tDuration: 3000.00 ms\tBilled Duration: 3403 ms\tMemory Size: 128 MB\tMax Memory Used: 73 MB\tInit Duration: 402.04 ms\tStatus: timeout",
    );
  });
});

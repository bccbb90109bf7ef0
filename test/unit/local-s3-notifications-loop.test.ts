import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { continueTrace } from "../../src/local/traces/index.ts";
import { LIMITS } from "../../src/model/limits.ts";

const RENDER = "arn:aws:lambda:us-east-1:000000000000:function:app-render";
const PUBLISH = "arn:aws:lambda:us-east-1:000000000000:function:app-publish";
const NOW = Date.UTC(2026, 0, 1);

function fields(header: string): Record<string, string> {
  return Object.fromEntries(header.split(";").map((f) => f.split("=") as [string, string]));
}

describe("recursive loop counting in the trace header's Lineage", () => {
  test("an invocation without a cause starts a trace in X-Ray's format, counted once", () => {
    const trace = continueTrace(undefined, RENDER, NOW);
    assert.equal(trace.count, 1);
    assert.match(
      trace.header,
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=[0-9a-f]{8}:1$/,
    );
    assert.equal(fields(trace.header).Root?.slice(2, 10), (NOW / 1000).toString(16));
  });

  test("each invocation caused by the chain counts one more for its function and keeps the Root", () => {
    let trace = continueTrace(undefined, RENDER, NOW);
    const root = fields(trace.header).Root;
    for (let n = 2; n <= 17; n++) {
      // What the function's SDK sends with its S3 write: the header it runs with.
      trace = continueTrace(trace.header, RENDER, NOW);
      assert.equal(trace.count, n);
      assert.equal(fields(trace.header).Root, root);
    }
    assert.ok(trace.count > LIMITS.lambda.recursiveLoopInvocations.max, "the 17th is past Lambda's 16");
  });

  test("functions of one chain are counted apart", () => {
    const first = continueTrace(undefined, RENDER, NOW);
    const second = continueTrace(first.header, PUBLISH, NOW);
    const third = continueTrace(second.header, RENDER, NOW);
    assert.equal(second.count, 1);
    assert.equal(third.count, 2);
    assert.equal(fields(third.header).Lineage?.split("|").length, 2);
  });

  test("a caller's header without Lineage (X-Ray from outside Lambda) keeps its Root and starts the count", () => {
    const trace = continueTrace("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", RENDER, NOW);
    assert.equal(trace.count, 1);
    assert.equal(fields(trace.header).Root, "1-5759e988-bd862e3fe1be46a994272793");
  });
});

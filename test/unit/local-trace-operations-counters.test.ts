/**
 * The console's counters (local/trace-operations.ts `countersOf`): each function's invocations and
 * errors from the trace store, a stream consumer's iterator age (CloudWatch's IteratorAge) from its
 * poller, and each queue's depths; over a cloud made of just what the counters read.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import { countersOf } from "../../src/local/trace-operations.ts";

function cloudWith(ages: ReadonlyMap<string, number>): LocalCloud {
  return {
    spec: {
      functions: {
        consume: { name: "consume", functionName: "app-consume" },
        publish: { name: "publish", functionName: "app-publish" },
      },
    },
    traces: { invocationCounts: () => new Map([["consume", { invocations: 3, errors: 1 }]]) },
    streamIteratorAges: () => ages,
    sqs: {
      listQueues: () => [{ name: "pages" }],
      stats: () => ({ name: "pages", visible: 2, inFlight: 1, delayed: 0, deadLetterDepth: 4 }),
    },
  } as unknown as LocalCloud;
}

describe("the console's counters", () => {
  test("a stream consumer carries its iterator age; a function without a stream has none", () => {
    const counters = countersOf(cloudWith(new Map([["consume", 1500]])));
    assert.deepEqual(counters, [
      { resource: "function:consume", invocations: 3, errors: 1, iteratorAgeMs: 1500 },
      { resource: "function:publish", invocations: 0, errors: 0 },
      { resource: "queue:pages", depth: 2, inFlight: 1, delayed: 0, dlqDepth: 4 },
    ]);
  });

  test("an age of zero (caught up) is shown, not dropped", () => {
    const [consume] = countersOf(cloudWith(new Map([["consume", 0]])));
    assert.equal(consume?.iteratorAgeMs, 0);
  });
});

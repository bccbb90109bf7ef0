import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StreamRig } from "../support/stream-rig.ts";

const MINUTE = 60_000;
const rootOf = (header: string | undefined) => /Root=([^;]+)/.exec(header ?? "")?.[1];

describe("the trace of a stream batch's invocations", () => {
  test("each batch starts a trace, its retries stay in it with the attempt counting up, caused by the table", async () => {
    const rig = new StreamRig();
    let failures = 2;
    rig.handler = () => (failures-- > 0 ? { error: "boom" } : null);
    rig.start();
    rig.put("p", 1, 1);
    await rig.settle();
    rig.put("p", 1, 2);
    await rig.clock.advance(MINUTE);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [1, 1, 1, 2]);
    const [first, second, third, next] = rig.inputs;
    assert.ok(rootOf(first?.traceHeader), "the batch runs under a trace header of its own");
    assert.equal(rootOf(second?.traceHeader), rootOf(first?.traceHeader));
    assert.equal(rootOf(third?.traceHeader), rootOf(first?.traceHeader));
    assert.notEqual(rootOf(next?.traceHeader), rootOf(first?.traceHeader), "the next batch is another trace");
    assert.deepEqual(
      rig.inputs.map((i) => i.attempt),
      [1, 2, 3, 1],
    );
    assert.ok(
      rig.inputs.every((i) => i.source === "table:games"),
      JSON.stringify(rig.inputs[0]?.source),
    );
  });
});

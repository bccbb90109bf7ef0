import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DynamoDBStreamSchema } from "@aws-lambda-powertools/parser/schemas/dynamodb";
import { STREAM_ARN, StreamRig, type StreamTestEvent } from "../support/stream-rig.ts";

/** A handler that sums `n` into `state.sum` (as Lambda's guide does), and records each call. */
function summing(rig: StreamRig): void {
  rig.handler = (event: StreamTestEvent) => {
    const previous = Number((event.state as { sum?: string } | undefined)?.sum ?? 0);
    const sum = previous + event.Records.reduce((s, r) => s + Number(r.dynamodb.NewImage?.n?.N ?? 0), 0);
    return { state: { sum: String(sum) }, batchItemFailures: [] };
  };
}

describe("tumbling windows on a stream mapping", () => {
  test("carries state between invocations of a window and ends it with a final invoke", async () => {
    const rig = new StreamRig();
    summing(rig);
    await rig.clock.advance(30_000 - (rig.clock.now() % 30_000));
    const windowStart = rig.clock.now();
    rig.start({ tumblingWindowSeconds: 30 });
    rig.put("p", 1, 1);
    await rig.settle();
    rig.put("p", 2, 2);
    await rig.settle();
    await rig.clock.advance(30_000);
    await rig.settle();
    await rig.stop();
    const [a, b, final] = rig.events;
    assert.deepEqual(a?.state, {});
    assert.deepEqual(b?.state, { sum: "1" });
    assert.equal(a?.isFinalInvokeForWindow, false);
    assert.deepEqual(a?.window, {
      start: new Date(windowStart).toISOString().replace(".000Z", "Z"),
      end: new Date(windowStart + 30_000).toISOString().replace(".000Z", "Z"),
    });
    assert.match(a?.shardId ?? "", /^shardId-/);
    assert.equal((a as { eventSourceARN?: string } | undefined)?.eventSourceARN, STREAM_ARN);
    assert.equal(final?.isFinalInvokeForWindow, true);
    assert.equal(final?.isWindowTerminatedEarly, false);
    assert.deepEqual(final?.state, { sum: "3" });
    assert.equal(final?.Records.length, 0);
    DynamoDBStreamSchema.parse(JSON.parse(rig.payloads[0] ?? "{}"));
  });

  test("starts the next window with a fresh state, and never mixes two windows in one batch", async () => {
    const rig = new StreamRig();
    summing(rig);
    await rig.clock.advance(30_000 - (rig.clock.now() % 30_000));
    rig.put("p", 1, 5);
    await rig.clock.advance(30_000);
    rig.put("p", 2, 7);
    rig.start({ tumblingWindowSeconds: 30 });
    await rig.settle(60);
    await rig.stop();
    const shapes = rig.events.map((e) => [e.Records.length, e.isFinalInvokeForWindow, e.state]);
    assert.deepEqual(shapes.slice(0, 3), [
      [1, false, {}],
      [0, true, { sum: "5" }],
      [1, false, {}],
    ]);
  });

  test("treats a response without state as a failure and retries the batch", async () => {
    const rig = new StreamRig();
    let calls = 0;
    rig.handler = () => (calls++ === 0 ? { batchItemFailures: [] } : { state: {} });
    rig.start({ tumblingWindowSeconds: 900 });
    rig.put("p", 1, 1);
    await rig.settle();
    await rig.clock.advance(2000);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [1, 1]);
  });
});

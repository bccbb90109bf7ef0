import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keyHash } from "../../src/local/dynamodb/streams/key-hash.ts";
import { StreamRig } from "../support/stream-rig.ts";

/** A partition key whose lane under 3 lanes differs from its lane under 2. */
function movingKey(): string {
  for (let i = 0; ; i++) {
    const pk = `stuck-${i}`;
    const h = keyHash({ pk: { S: pk } }, "pk");
    if (h % 3 !== h % 2) return pk;
  }
}

describe("stream mapping checkpoints and parallelizationFactor", () => {
  test("a changed factor starts every new lane from the lowest old position: replay, never loss", async () => {
    const rig = new StreamRig();
    const stuck = movingKey();
    rig.put(stuck, 1, 1000);
    for (let i = 0; i < 40; i++) rig.put(`k${i}`, 1, i);
    // First run, 3 lanes: the stuck item's lane keeps failing; the other lanes move past it.
    rig.handler = (event) =>
      event.Records.some((r) => r.dynamodb.Keys.pk.S === stuck) ? { error: "not yet" } : null;
    rig.start({ parallelizationFactor: 3 });
    await rig.settle();
    await rig.stop();
    // Second run, 2 lanes, a healthy function: the stuck record still arrives.
    rig.events.length = 0;
    rig.handler = () => null;
    rig.start({ parallelizationFactor: 2 });
    await rig.settle();
    await rig.stop();
    assert.ok(rig.delivered().includes(1000), "the stuck record was lost");
  });

  test("an unchanged factor resumes each lane at its own checkpoint", async () => {
    const rig = new StreamRig();
    for (let i = 0; i < 20; i++) rig.put(`k${i}`, 1, i);
    rig.start({ parallelizationFactor: 3 });
    await rig.settle();
    await rig.stop();
    rig.events.length = 0;
    rig.put("late", 1, 99);
    rig.start({ parallelizationFactor: 3 });
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [99]);
  });
});

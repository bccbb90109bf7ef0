import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LIMITS } from "../../src/model/limits.ts";
import { STREAM_ARN, StreamRig } from "../support/stream-rig.ts";

const MAX = LIMITS.lambda.syncPayload.max;

/**
 * Writes item (pk, sk) whose `text` is `chars` double quotes: SizeBytes counts each as one byte,
 * the event's JSON as two (`\"`), so the records' SizeBytes total understates the payload.
 */
function putQuoted(rig: StreamRig, pk: string, sk: number, chars: number): void {
  const keys = { pk: { S: pk }, sk: { N: String(sk) } };
  rig.streams.record({
    tableName: "app-games",
    streamArn: STREAM_ARN,
    viewType: "NEW_AND_OLD_IMAGES",
    eventName: "INSERT",
    keys,
    partitionKey: "pk",
    newImage: { ...keys, n: { N: String(sk) }, text: { S: '"'.repeat(chars) } },
  });
}

describe("the stream mapping's batch and Lambda's synchronous payload limit", () => {
  test("caps a batch by its event's JSON bytes, not the records' SizeBytes", async () => {
    const rig = new StreamRig();
    // 15 records of ~300 KB SizeBytes (4.5 MB in all) are ~9 MB of event JSON.
    for (let i = 0; i < 15; i++) putQuoted(rig, "p", i, 300_000);
    rig.start();
    await rig.settle();
    await rig.stop();
    assert.ok(rig.payloads.length >= 2, `${rig.payloads.length} invocations`);
    for (const payload of rig.payloads)
      assert.ok(Buffer.byteLength(payload) <= MAX, `${payload.length} bytes`);
    assert.deepEqual(
      rig.delivered(),
      Array.from({ length: 15 }, (_, i) => i),
    );
  });

  test("a record whose event alone is over the limit fails as a function error, then goes on-failure", async () => {
    const rig = new StreamRig();
    rig.put("p", 1, 1);
    putQuoted(rig, "p", 2, 3_500_000); // ~3.5 MB SizeBytes, ~7 MB of JSON
    rig.put("p", 3, 3);
    rig.start({ maximumRetryAttempts: 1, onFailure: "failures" });
    await rig.settle();
    for (let i = 0; i < 5; i++) {
      await rig.clock.advance(60_000);
      await rig.settle();
    }
    await rig.stop();
    for (const payload of rig.payloads) assert.ok(Buffer.byteLength(payload) <= MAX);
    assert.deepEqual(rig.delivered(), [1, 3]);
    assert.equal(rig.sent.length, 1);
    const body = JSON.parse(rig.sent[0]?.body ?? "{}") as { DDBStreamBatchInfo?: { batchSize?: number } };
    assert.equal(body.DDBStreamBatchInfo?.batchSize, 1);
    assert.ok(
      rig.pollerEvents.some(
        (e) => e.type === "stream-batch-failed" && /RequestTooLarge|payload/i.test(e.reason),
      ),
    );
  });
});

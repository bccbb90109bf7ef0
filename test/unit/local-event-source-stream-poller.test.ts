import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DynamoDBStreamSchema } from "@aws-lambda-powertools/parser/schemas/dynamodb";
import { StreamPoller } from "../../src/local/event-source/stream-poller.ts";
import { FUNCTION_ARN, STREAM_ARN, StreamRig } from "../support/stream-rig.ts";

const MINUTE = 60_000;

describe("the stream event source mapping", () => {
  test("invokes with Lambda's DynamoDB event, valid against Powertools' schema, in stream order", async () => {
    const rig = new StreamRig();
    rig.start();
    for (let i = 0; i < 5; i++) rig.put("p", i, i);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [0, 1, 2, 3, 4]);
    for (const payload of rig.payloads) DynamoDBStreamSchema.parse(JSON.parse(payload));
    const record = rig.events[0]?.Records[0] as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(record), [
      "eventID",
      "eventName",
      "eventVersion",
      "eventSource",
      "awsRegion",
      "dynamodb",
      "eventSourceARN",
    ]);
    assert.equal(record.eventSourceARN, STREAM_ARN);
  });

  test("starts at LATEST or TRIM_HORIZON, and a restarted mapping resumes after its checkpoint", async () => {
    const rig = new StreamRig();
    rig.put("old", 1, 1);
    rig.start({ startingPosition: "LATEST" });
    await rig.settle();
    rig.put("new", 1, 2);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [2]);

    rig.put("while-stopped", 1, 3);
    rig.start({ startingPosition: "LATEST" });
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [2, 3], "the saved position wins over LATEST");

    const fresh = new StreamRig();
    fresh.put("old", 1, 1);
    fresh.start({ startingPosition: "TRIM_HORIZON" });
    await fresh.settle();
    await fresh.stop();
    assert.deepEqual(fresh.delivered(), [1]);
  });

  test("fills a batch up to batchSize within the batching window on the clock", async () => {
    const rig = new StreamRig();
    rig.start({ batchSize: 3, maximumBatchingWindowSeconds: 5 });
    rig.put("a", 1, 1);
    await rig.settle();
    assert.equal(rig.events.length, 0, "waits for the window");
    await rig.clock.advance(4000);
    assert.equal(rig.events.length, 0);
    await rig.clock.advance(1000);
    await rig.settle();
    assert.deepEqual(
      rig.events.map((e) => e.Records.length),
      [1],
    );
    for (let i = 0; i < 3; i++) rig.put("a", 1, 10 + i);
    await rig.settle();
    assert.deepEqual(
      rig.events.map((e) => e.Records.length),
      [1, 3],
      "a full batch goes at once",
    );
    await rig.stop();
  });

  test("retries a failing batch until it succeeds, in order, holding later records back", async () => {
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
  });

  test("after maximumRetryAttempts discards the batch to the on-failure queue with Lambda's record, then goes on", async () => {
    const rig = new StreamRig();
    rig.handler = (e) => (e.Records.some((r) => r.dynamodb.NewImage?.n?.N === "1") ? { error: "bad" } : null);
    rig.start({ maximumRetryAttempts: 2, onFailure: "failed" });
    rig.put("p", 1, 1);
    await rig.settle();
    rig.put("p", 1, 2);
    await rig.clock.advance(MINUTE);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [1, 1, 1, 2], "one try and two retries");
    assert.equal(rig.sent.length, 1);
    assert.equal(rig.sent[0]?.queue, "failed");
    const record = JSON.parse(rig.sent[0]?.body ?? "{}");
    assert.deepEqual(Object.keys(record), [
      "requestContext",
      "responseContext",
      "version",
      "timestamp",
      "DDBStreamBatchInfo",
    ]);
    assert.equal(record.requestContext.condition, "RetryAttemptsExhausted");
    assert.equal(record.requestContext.functionArn, FUNCTION_ARN);
    assert.equal(record.requestContext.approximateInvokeCount, 3);
    assert.equal(record.responseContext.functionError, "Unhandled");
    assert.equal(record.version, "1.0");
    const info = record.DDBStreamBatchInfo;
    assert.equal(info.batchSize, 1);
    assert.equal(info.streamArn, STREAM_ARN);
    assert.equal(info.startSequenceNumber, rig.events[0]?.Records[0]?.dynamodb.SequenceNumber);
    assert.equal(info.endSequenceNumber, info.startSequenceNumber);
    assert.match(info.shardId, /^shardId-/);
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test("bisects a failing batch until the bad record is alone, delivering the others", async () => {
    const rig = new StreamRig();
    rig.handler = (e) => (e.Records.some((r) => r.dynamodb.NewImage?.n?.N === "3") ? { error: "bad" } : null);
    for (let i = 1; i <= 4; i++) rig.put("p", i, i);
    rig.start({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 0, onFailure: "failed" });
    await rig.settle(60);
    await rig.stop();
    assert.deepEqual(
      rig.events.map((e) => e.Records.length),
      [4, 2, 2, 1, 1],
    );
    assert.deepEqual(
      rig
        .delivered()
        .filter((n) => n !== 3)
        .sort(),
      [1, 1, 2, 2, 4, 4, 4],
    );
    assert.equal(rig.sent.length, 1);
    assert.equal(JSON.parse(rig.sent[0]?.body ?? "{}").DDBStreamBatchInfo.batchSize, 1);
  });

  test("with reportBatchItemFailures checkpoints before the lowest failure and retries from it", async () => {
    const rig = new StreamRig();
    let first = true;
    rig.handler = (e) => {
      if (!first) return { batchItemFailures: [] };
      first = false;
      const seq = (i: number) => e.Records[i]?.dynamodb.SequenceNumber;
      return { batchItemFailures: [{ itemIdentifier: seq(3) }, { itemIdentifier: seq(1) }] };
    };
    for (let i = 0; i < 5; i++) rig.put("p", i, i);
    rig.start({ reportBatchItemFailures: true });
    await rig.settle();
    await rig.clock.advance(MINUTE);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(
      rig.events.map((e) => e.Records.map((r) => Number(r.dynamodb.NewImage?.n?.N))),
      [
        [0, 1, 2, 3, 4],
        [1, 2, 3, 4],
      ],
    );
  });

  test("fails the whole batch when an itemIdentifier is empty, missing or unknown", async () => {
    for (const bad of [{ itemIdentifier: "" }, {}, { itemIdentifier: "999999999999999999999" }]) {
      const rig = new StreamRig();
      let calls = 0;
      rig.handler = () => (calls++ === 0 ? { batchItemFailures: [bad] } : null);
      rig.put("p", 1, 1);
      rig.put("p", 2, 2);
      rig.start({ reportBatchItemFailures: true });
      await rig.settle();
      await rig.clock.advance(MINUTE);
      await rig.settle();
      await rig.stop();
      assert.deepEqual(
        rig.events.map((e) => e.Records.length),
        [2, 2],
        JSON.stringify(bad),
      );
    }
  });

  test("discards records older than maximumRecordAgeSeconds with RecordAgeExceeded", async () => {
    const rig = new StreamRig();
    rig.handler = () => ({ error: "down" });
    rig.put("p", 1, 1);
    rig.start({ maximumRecordAgeSeconds: 60, onFailure: "failed" });
    await rig.settle();
    await rig.clock.advance(2 * MINUTE);
    await rig.settle();
    const invokes = rig.events.length;
    await rig.clock.advance(10 * MINUTE);
    await rig.settle();
    await rig.stop();
    assert.equal(rig.events.length, invokes, "no more invokes once the record is too old");
    assert.equal(rig.sent.length, 1);
    assert.equal(JSON.parse(rig.sent[0]?.body ?? "{}").requestContext.condition, "RecordAgeExceeded");
  });

  test("parallelizationFactor runs concurrent batches per shard and keeps each item's changes in order", async () => {
    const rig = new StreamRig();
    const gates: (() => void)[] = [];
    rig.handler = () => new Promise((resolve) => gates.push(() => resolve(null)));
    for (let round = 0; round < 3; round++)
      for (let sk = 0; sk < 12; sk++) rig.put("one-partition", sk, round * 100 + sk);
    rig.start({ parallelizationFactor: 4, batchSize: 1 });
    await rig.settle();
    assert.ok(rig.maxInFlight > 1, `concurrent batches in one shard (got ${rig.maxInFlight})`);
    for (let i = 0; i < 200 && (gates.length > 0 || rig.inFlight > 0); i++) {
      for (const open of gates.splice(0)) open();
      await rig.settle(3);
    }
    await rig.stop();
    const bySk = new Map<string, number[]>();
    for (const e of rig.events)
      for (const r of e.Records) {
        const sk = r.dynamodb.Keys.sk.N;
        bySk.set(sk, [...(bySk.get(sk) ?? []), Number(r.dynamodb.NewImage?.n?.N)]);
      }
    assert.equal(rig.delivered().length, 36);
    for (const [sk, ns] of bySk)
      assert.deepEqual(
        ns,
        [...ns].sort((a, b) => a - b),
        `item ${sk} in order`,
      );
  });

  test("filterCriteria delivers matching records only and drops the others for good", async () => {
    const rig = new StreamRig();
    // DynamoDB numbers are strings in the record, so a filter names them as strings.
    rig.start({ filters: [JSON.stringify({ dynamodb: { NewImage: { n: { N: ["7", "9"] } } } })] });
    for (const n of [1, 7, 3, 9]) rig.put("p", n, n);
    await rig.settle();
    await rig.stop();
    assert.deepEqual(rig.delivered(), [7, 9]);
    const again = new StreamPoller({
      fn: rig.fn(),
      functionArn: FUNCTION_ARN,
      streamArn: STREAM_ARN,
      streams: rig.streams,
      db: rig.db,
      lambda: rig.lambda,
      clock: rig.clock,
      onResult: () => undefined,
    });
    again.start();
    await rig.settle();
    await again.stop();
    assert.deepEqual(rig.delivered(), [7, 9], "dropped records are past the checkpoint");
  });

  test("reports the iterator age of the last batch", async () => {
    const rig = new StreamRig();
    rig.put("p", 1, 1);
    await rig.clock.advance(5000);
    const poller = rig.start();
    await rig.settle();
    await rig.stop();
    assert.equal(poller.iteratorAgeMs, 5000);
    assert.ok(rig.pollerEvents.some((e) => e.type === "stream-iterator-age" && e.ageMs === 5000));
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { itemSize } from "../../src/local/dynamodb/item-size.ts";
import type { ItemChange } from "../../src/local/dynamodb/streams/item-change.ts";
import {
  formatSequenceNumber,
  parseSequenceNumber,
} from "../../src/local/dynamodb/streams/sequence-number.ts";
import { SHARDS_PER_STREAM, TableStreams } from "../../src/local/dynamodb/streams/table-streams.ts";
import { openStore } from "../../src/local/store/store.ts";

const ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/app-games/stream/2026-01-01T00:00:00.000";

function rig() {
  const clock = new ManualClock();
  const db = openStore(":memory:");
  const streams = new TableStreams({ db, clock, region: "us-east-1" });
  return { clock, db, streams };
}

function put(pk: string, sk: number, extra: Record<string, unknown> = {}): ItemChange {
  const keys = { pk: { S: pk }, sk: { N: String(sk) } };
  return {
    tableName: "app-games",
    streamArn: ARN,
    viewType: "NEW_AND_OLD_IMAGES",
    eventName: "INSERT",
    keys,
    partitionKey: "pk",
    newImage: { ...keys, ...extra } as ItemChange["keys"],
  };
}

function allRecords(streams: TableStreams) {
  return streams.shards(ARN).flatMap((s) => streams.read(ARN, s.index, 0, { limit: 1000 }));
}

describe("table streams", () => {
  test("sizes records as the Lambda guide's examples do (26 and 59 bytes)", () => {
    const keys = { Id: { N: "101" } };
    assert.equal(itemSize(keys) + itemSize({ Message: { S: "New item!" }, Id: { N: "101" } }), 26);
    assert.equal(
      itemSize(keys) +
        itemSize({ Message: { S: "New item!" }, Id: { N: "101" } }) +
        itemSize({ Message: { S: "This item has changed" }, Id: { N: "101" } }),
      59,
    );
  });

  test("sizes numbers as the engine's item size does (zero, negative, fractional)", () => {
    // SizeBytes DynamoDB Local answered for these numbers in the differential suite.
    assert.equal(itemSize({ n: { N: "0" } }), 2);
    assert.equal(itemSize({ n: { N: "-1" } }), 4);
    assert.equal(itemSize({ n: { N: "1.5" } }), 4);
    assert.equal(itemSize({ m: { M: {} } }), 4);
  });

  test("numbers records with increasing 21-digit sequence numbers that round-trip", () => {
    const text = formatSequenceNumber(42);
    assert.equal(text.length, 21);
    assert.match(text, /^[0-9]+$/);
    assert.equal(parseSequenceNumber(text), 42);
    assert.equal(parseSequenceNumber("12"), undefined);
    assert.ok(formatSequenceNumber(9) < formatSequenceNumber(10));
  });

  test("writes the view type's images, AWS's fields, and keeps one partition's changes in one shard in order", () => {
    const { clock, streams } = rig();
    for (let i = 0; i < 20; i++) streams.record(put("p1", i, { n: { N: String(i) } }));
    streams.record({ ...put("p2", 1), viewType: "KEYS_ONLY" });
    const shards = streams.shards(ARN);
    assert.equal(shards.length, SHARDS_PER_STREAM);
    assert.match(shards[0]?.shardId ?? "", /^shardId-[0-9]{20}-[0-9a-f]{8}$/);
    const holding = shards.filter((s) =>
      streams
        .read(ARN, s.index, 0, { limit: 100 })
        .some((r) => r.record.dynamodb.Keys.pk && (r.record.dynamodb.Keys.pk as { S: string }).S === "p1"),
    );
    assert.equal(holding.length, 1, "one partition key, one shard");
    const p1 = streams
      .read(ARN, holding[0]?.index ?? -1, 0, { limit: 100 })
      .filter((r) => (r.record.dynamodb.Keys.pk as { S: string }).S === "p1");
    assert.deepEqual(
      p1.map((r) => (r.record.dynamodb.NewImage?.n as { N: string } | undefined)?.N),
      Array.from({ length: 20 }, (_, i) => String(i)),
    );
    const first = p1[0]?.record;
    assert.equal(first?.eventVersion, "1.1");
    assert.equal(first?.eventSource, "aws:dynamodb");
    assert.equal(first?.awsRegion, "us-east-1");
    assert.equal(first?.dynamodb.ApproximateCreationDateTime, Math.floor(clock.now() / 1000));
    assert.match(first?.eventID ?? "", /^[0-9a-f]{32}$/);
    const keysOnly = allRecords(streams).find((r) => r.record.dynamodb.StreamViewType === "KEYS_ONLY");
    assert.equal(keysOnly?.record.dynamodb.NewImage, undefined);
    assert.equal(keysOnly?.record.dynamodb.SizeBytes, itemSize({ pk: { S: "p2" }, sk: { N: "1" } }));
  });

  test("keeps the old image only for OLD_IMAGE and NEW_AND_OLD_IMAGES, and a TTL deletion's userIdentity", () => {
    const { streams } = rig();
    const keys = { pk: { S: "a" }, sk: { N: "1" } };
    const identity = { type: "Service", principalId: "dynamodb.amazonaws.com" } as const;
    streams.record({
      ...put("a", 1),
      viewType: "NEW_IMAGE",
      eventName: "REMOVE",
      newImage: undefined,
      oldImage: keys,
      userIdentity: identity,
    } as ItemChange);
    streams.record({
      ...put("a", 1),
      viewType: "OLD_IMAGE",
      eventName: "MODIFY",
      oldImage: keys,
    } as ItemChange);
    const [removed, modified] = allRecords(streams).map((r) => r.record);
    assert.equal(removed?.dynamodb.OldImage, undefined);
    assert.deepEqual(removed?.userIdentity, identity);
    assert.deepEqual(modified?.dynamodb.OldImage, keys);
    assert.equal(modified?.dynamodb.NewImage, undefined);
  });

  test("trims records older than 24 hours on the clock and remembers how far", async () => {
    const { clock, streams } = rig();
    streams.record(put("old", 1));
    await clock.advance(23 * 3600 * 1000);
    streams.record(put("old", 2));
    assert.equal(streams.trim(), 0);
    await clock.advance(3600 * 1000 + 1);
    assert.equal(streams.trim(), 1);
    const left = allRecords(streams);
    assert.equal(left.length, 1);
    const shard = streams.shards(ARN).find((s) => s.trimmedThrough > 0);
    assert.equal(shard?.trimmedThrough, 1);
  });

  test("splits a shard's records into lanes by item and stops a page at its byte limit", () => {
    const { streams } = rig();
    for (let i = 0; i < 40; i++) streams.record(put("same", i));
    const shard = streams.shards(ARN).find((s) => streams.read(ARN, s.index, 0, { limit: 1 }).length > 0);
    const index = shard?.index ?? -1;
    const lanes = [0, 1, 2].map((lane) =>
      streams.read(ARN, index, 0, { limit: 100, lane: { index: lane, count: 3 } }),
    );
    assert.equal(
      lanes.reduce((n, l) => n + l.length, 0),
      40,
    );
    assert.ok(lanes.filter((l) => l.length > 0).length > 1, "40 items spread over more than one lane");
    // Records differ in size (the number 0 takes a byte less than 1), so the limit is the first three's sum.
    const size = streams
      .read(ARN, index, 0, { limit: 3 })
      .reduce((sum, r) => sum + r.record.dynamodb.SizeBytes, 0);
    assert.equal(streams.read(ARN, index, 0, { limit: 100, maxBytes: size }).length, 3);
    assert.equal(streams.read(ARN, index, 0, { limit: 100, maxBytes: 1 }).length, 1);
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TableStreamInfo } from "../../src/local/dynamodb/dynamodb-service.ts";
import { StreamsApi } from "../../src/local/dynamodb/streams/streams-api.ts";
import { STREAM_ARN, StreamRig } from "../support/stream-rig.ts";

// Answers are read field by field, as a client reads the JSON.
// biome-ignore lint/suspicious/noExplicitAny: test reads of untyped JSON answers
type Out = Record<string, any>;

function rig(status: "ENABLED" | "DISABLED" = "ENABLED") {
  const r = new StreamRig();
  const info: TableStreamInfo = {
    tableName: "app-games",
    streamArn: STREAM_ARN,
    streamLabel: "2026-01-01T00:00:00.000",
    viewType: "NEW_AND_OLD_IMAGES",
    keySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    status,
    createdAt: r.clock.now(),
  };
  const api = new StreamsApi({ streams: r.streams, directory: () => [info], clock: r.clock });
  const call = (action: string, input: Record<string, unknown>) => api.execute(action, input) as Out;
  return { r, api, call };
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "no error";
}

/** The shard that holds partition "p". */
function shardOf(call: (a: string, i: Record<string, unknown>) => Out): string {
  const shards = call("DescribeStream", { StreamArn: STREAM_ARN }).StreamDescription.Shards as {
    ShardId: string;
  }[];
  for (const s of shards) {
    const it = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: s.ShardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    if (call("GetRecords", { ShardIterator: it.ShardIterator }).Records.length > 0) return s.ShardId;
  }
  throw new Error("no shard has records");
}

describe("the DynamoDB Streams API", () => {
  test("lists and describes streams with their shards and key schema", () => {
    const { call } = rig();
    assert.deepEqual(call("ListStreams", {}).Streams, [
      { StreamArn: STREAM_ARN, TableName: "app-games", StreamLabel: "2026-01-01T00:00:00.000" },
    ]);
    assert.deepEqual(call("ListStreams", { TableName: "other" }).Streams, []);
    const d = call("DescribeStream", { StreamArn: STREAM_ARN }).StreamDescription;
    assert.equal(d.StreamStatus, "ENABLED");
    assert.equal(d.Shards.length, 4);
    assert.match(d.Shards[0].SequenceNumberRange.StartingSequenceNumber, /^[0-9]{21}$/);
    assert.equal(d.Shards[0].SequenceNumberRange.EndingSequenceNumber, undefined);
    const page = call("DescribeStream", { StreamArn: STREAM_ARN, Limit: 3 }).StreamDescription;
    assert.equal(page.Shards.length, 3);
    assert.equal(page.LastEvaluatedShardId, page.Shards[2].ShardId);
    const rest = call("DescribeStream", {
      StreamArn: STREAM_ARN,
      ExclusiveStartShardId: page.LastEvaluatedShardId,
    });
    assert.equal(rest.StreamDescription.Shards.length, 1);
    assert.equal(
      code(() => call("DescribeStream", { StreamArn: `${STREAM_ARN}x` })),
      "ResourceNotFoundException",
    );
    assert.equal(
      code(() => call("DescribeStream", {})),
      "ValidationException",
    );
  });

  test("reads a shard from TRIM_HORIZON, AT and AFTER a sequence number, and LATEST, with Limit", () => {
    const { r, call } = rig();
    for (let i = 0; i < 5; i++) r.put("p", i, i);
    const shardId = shardOf(call);
    const horizon = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    const first = call("GetRecords", { ShardIterator: horizon.ShardIterator, Limit: 2 });
    assert.equal(first.Records.length, 2);
    const second = call("GetRecords", { ShardIterator: first.NextShardIterator });
    assert.equal(second.Records.length, 3);
    const seqs = [...first.Records, ...second.Records].map((x: Out) => x.dynamodb.SequenceNumber);
    assert.deepEqual(seqs, [...seqs].sort());
    const at = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "AT_SEQUENCE_NUMBER",
      SequenceNumber: seqs[3],
    });
    assert.deepEqual(
      call("GetRecords", { ShardIterator: at.ShardIterator }).Records.map(
        (x: Out) => x.dynamodb.SequenceNumber,
      ),
      seqs.slice(3),
    );
    const after = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "AFTER_SEQUENCE_NUMBER",
      SequenceNumber: seqs[3],
    });
    assert.equal(call("GetRecords", { ShardIterator: after.ShardIterator }).Records.length, 1);
    const latest = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "LATEST",
    });
    assert.equal(call("GetRecords", { ShardIterator: latest.ShardIterator }).Records.length, 0);
    r.put("p", 9, 9);
    assert.equal(call("GetRecords", { ShardIterator: latest.ShardIterator }).Records.length, 1);
    assert.equal(
      code(() => call("GetRecords", { ShardIterator: latest.ShardIterator, Limit: 1001 })),
      "ValidationException",
    );
    assert.equal(
      code(() => call("GetRecords", { ShardIterator: "garbage" })),
      "ValidationException",
    );
    assert.equal(
      code(() =>
        call("GetShardIterator", { StreamArn: STREAM_ARN, ShardId: shardId, ShardIteratorType: "NOPE" }),
      ),
      "ValidationException",
    );
  });

  test("expires an iterator 15 minutes after it was handed out", async () => {
    const { r, call } = rig();
    const shardId = call("DescribeStream", { StreamArn: STREAM_ARN }).StreamDescription.Shards[0].ShardId;
    const it = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    await r.clock.advance(15 * 60_000);
    const next = call("GetRecords", { ShardIterator: it.ShardIterator });
    await r.clock.advance(1);
    assert.equal(
      code(() => call("GetRecords", { ShardIterator: it.ShardIterator })),
      "ExpiredIteratorException",
    );
    assert.equal(
      call("GetRecords", { ShardIterator: next.NextShardIterator }).Records.length,
      0,
      "a next iterator is fresh",
    );
  });

  test("answers TrimmedDataAccessException for records trimmed after 24 hours", async () => {
    const { r, call } = rig();
    r.put("p", 1, 1);
    const shardId = shardOf(call);
    const seq = call("GetRecords", {
      ShardIterator: call("GetShardIterator", {
        StreamArn: STREAM_ARN,
        ShardId: shardId,
        ShardIteratorType: "TRIM_HORIZON",
      }).ShardIterator,
    }).Records[0].dynamodb.SequenceNumber;
    await r.clock.advance(24 * 3600_000 - 60_000);
    const stale = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    await r.clock.advance(120_000);
    assert.equal(r.streams.trim(), 1);
    assert.equal(
      code(() => call("GetRecords", { ShardIterator: stale.ShardIterator })),
      "TrimmedDataAccessException",
    );
    assert.equal(
      code(() =>
        call("GetShardIterator", {
          StreamArn: STREAM_ARN,
          ShardId: shardId,
          ShardIteratorType: "AT_SEQUENCE_NUMBER",
          SequenceNumber: seq,
        }),
      ),
      "TrimmedDataAccessException",
    );
    const fresh = call("GetShardIterator", {
      StreamArn: STREAM_ARN,
      ShardId: shardId,
      ShardIteratorType: "TRIM_HORIZON",
    });
    assert.equal(call("GetRecords", { ShardIterator: fresh.ShardIterator }).Records.length, 0);
  });

  test("closes a disabled stream's shards: an ending sequence number, and no next iterator at the end", () => {
    const { r, call } = rig("DISABLED");
    r.put("p", 1, 1);
    const shardId = shardOf(call);
    const shard = call("DescribeStream", { StreamArn: STREAM_ARN }).StreamDescription.Shards.find(
      (s: Out) => s.ShardId === shardId,
    );
    assert.match(shard.SequenceNumberRange.EndingSequenceNumber, /^[0-9]{21}$/);
    const out = call("GetRecords", {
      ShardIterator: call("GetShardIterator", {
        StreamArn: STREAM_ARN,
        ShardId: shardId,
        ShardIteratorType: "TRIM_HORIZON",
      }).ShardIterator,
    });
    assert.equal(out.Records.length, 1);
    assert.equal(out.NextShardIterator, undefined);
  });
});

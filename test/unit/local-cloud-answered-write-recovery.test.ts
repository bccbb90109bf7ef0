/**
 * A PutItem answered before its commit and cut off by a kill -9 is committed when the cloud next
 * opens, inside DynamoDbService's constructor. For a streamed table that commit writes a stream
 * record, while LocalCloud is still being built: CI once saw the sink ask the not-yet-assigned
 * table service for the partition key ("Cannot read properties of undefined (reading 'streams')"),
 * and `sluice dev` could not start on that folder again. The whole LocalCloud is opened here.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { WRITE_INTENT_SUFFIX } from "../../src/local/dynamodb/answered-writes.ts";
import { LocalCloud, STATE_FILE } from "../../src/local/local-cloud.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

const temp = tempDir("sluice-cloud-recovery-");
after(() => temp.cleanup());

const spec = normaliseApp({
  name: "scores",
  tables: {
    games: {
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "sk", type: "N" },
      stream: "NEW_AND_OLD_IMAGES",
    },
  },
  functions: { work: { handler: "src/work.handler" } },
});

function open(stateDir: string): LocalCloud {
  return new LocalCloud({
    spec,
    stateDir,
    clock: new ManualClock(Date.UTC(2026, 5, 1)),
    code: () => {
      throw new Error("no code in this test");
    },
    background: false,
  });
}

/** The engine's items have null prototypes; deepEqual compares prototypes. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const slotOf = (stateDir: string) => `${join(stateDir, STATE_FILE)}${WRITE_INTENT_SUFFIX}`;

function put(cloud: LocalCloud, sk: number, afterAnswer?: (work: () => void) => void): void {
  cloud.dynamodb.execute(
    "PutItem",
    { TableName: "scores-games", Item: { pk: { S: "g1" }, sk: { N: String(sk) }, score: { N: "7" } } },
    afterAnswer ? { afterAnswer } : {},
  );
}

describe("a LocalCloud opened on a write answered but never committed", () => {
  test("commits it with its stream record, in the shard of its partition", async () => {
    // The slot as a crash leaves it: written by one cloud (whose close then commits it), copied
    // into a second folder whose file has the table but not the item.
    const first = join(temp.dir, "first");
    const cloud = open(first);
    put(cloud, 1, () => {});
    const held = readFileSync(slotOf(first));
    await cloud.close();
    const crashed = join(temp.dir, "crashed");
    await open(crashed).close();
    writeFileSync(slotOf(crashed), held);

    const reopened = open(crashed);
    try {
      const got = plain(
        reopened.dynamodb.execute("GetItem", {
          TableName: "scores-games",
          Key: { pk: { S: "g1" }, sk: { N: "1" } },
        }),
      ) as { Item?: Record<string, unknown> };
      assert.deepEqual(got.Item?.score, { N: "7" });
      put(reopened, 2);
      const [stream] = reopened.dynamodb.streams();
      assert.ok(stream);
      const shards = reopened.tableStreams
        .shards(stream.streamArn)
        .map((shard) => reopened.tableStreams.read(stream.streamArn, shard.index, 0, { limit: 10 }))
        .filter((records) => records.length > 0);
      // One partition, one shard: both changes of g1, the recovered one first.
      assert.equal(shards.length, 1);
      assert.deepEqual(plain(shards[0]?.map((r) => [r.record.eventName, r.record.dynamodb.Keys])), [
        ["INSERT", { pk: { S: "g1" }, sk: { N: "1" } }],
        ["INSERT", { pk: { S: "g1" }, sk: { N: "2" } }],
      ]);
    } finally {
      await reopened.close();
    }
  });
});

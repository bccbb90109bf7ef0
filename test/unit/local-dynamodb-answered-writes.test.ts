/**
 * PutItem, UpdateItem and DeleteItem answered before their commit (answered-writes.ts): the slot
 * holds the write until the commit, and after a crash in either window the next open leaves the
 * table as if the write had committed once: the item, its count and one stream record.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WRITE_INTENT_SUFFIX } from "../../src/local/dynamodb/answered-writes.ts";
import type { DynamoDbService } from "../../src/local/dynamodb/index.ts";
import type { Db, IntentSlot } from "../../src/local/store/index.ts";
import { type DynamoDbRig, dynamoDbRig, type Json, N, S, tableInput } from "../support/dynamodb-rig.ts";
import { onIntentSlot } from "../support/intent-slot.ts";

function streamedTable(): DynamoDbRig {
  const rig = dynamoDbRig();
  rig.call(
    "CreateTable",
    tableInput("games", "N", {
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  return rig;
}

const KEY = { pk: S("g1"), sk: N(1) };

/** Runs `fn` on the rig's slot file. */
function onSlot<T>(rig: DynamoDbRig, fn: (slot: IntentSlot) => T): T {
  return onIntentSlot(`${rig.file}${WRITE_INTENT_SUFFIX}`, fn);
}

/** The rig's SQLite connection, to look under the service. */
function dbOf(rig: DynamoDbRig): Db {
  return (rig.service as unknown as { engine: { db: Db } }).engine.db;
}

function read(service: DynamoDbService): Json {
  return JSON.parse(JSON.stringify(service.execute("GetItem", { TableName: "games", Key: KEY })));
}

function itemCount(service: DynamoDbService): number {
  const described = JSON.parse(JSON.stringify(service.execute("DescribeTable", { TableName: "games" })));
  return described.Table.ItemCount;
}

describe("DynamoDB item writes answered before their commit (issue 15)", () => {
  test("hold the write in the intent slot until the commit, then empty it", () => {
    const rig = streamedTable();
    const put = rig.answerFirst("PutItem", { TableName: "games", Item: { ...KEY, score: N(7) } });
    assert.deepEqual(put.output, {});
    assert.equal(dbOf(rig).prepare("SELECT COUNT(*) FROM ddb_items").pluck().get(), 0);
    assert.equal(rig.changes.length, 0);
    const held = JSON.parse(onSlot(rig, (slot) => slot.pending()) ?? "null");
    assert.equal(held.table, "games");
    assert.equal(held.previous, null);
    assert.deepEqual(held.next.score, N(7));

    put.commit();
    assert.deepEqual(read(rig.service).Item.score, N(7));
    assert.equal(rig.changes.length, 1);
    assert.equal(
      onSlot(rig, (slot) => slot.pending()),
      undefined,
    );
  });

  test("answer ReturnValues from the item before the commit, as a committed write does", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "games", Item: { ...KEY, score: N(1) } });
    const update = rig.answerFirst("UpdateItem", {
      TableName: "games",
      Key: KEY,
      UpdateExpression: "ADD score :one",
      ExpressionAttributeValues: { ":one": N(1) },
      ReturnValues: "UPDATED_NEW",
    });
    assert.deepEqual(update.output, { Attributes: { score: N(2) } });
    update.commit();
    assert.deepEqual(read(rig.service).Item.score, N(2));
  });

  test("a crash after the answer loses nothing: the next open applies the write once", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "games", Item: { ...KEY, score: N(1) } });
    rig.answerFirst("UpdateItem", {
      TableName: "games",
      Key: KEY,
      UpdateExpression: "ADD score :five",
      ExpressionAttributeValues: { ":five": N(5) },
    });
    // A kill -9: the commit never runs; the next open finds the slot.
    const after = rig.reopen();
    assert.deepEqual(read(after).Item.score, N(6));
    assert.equal(itemCount(after), 1);
    assert.deepEqual(
      rig.changes.map((change) => change.eventName),
      ["INSERT", "MODIFY"],
    );
    const again = rig.reopen();
    assert.deepEqual(read(again).Item.score, N(6));
    assert.equal(rig.changes.length, 2);
  });

  test("a crash between the commit and the slot's emptying does not apply the write twice", () => {
    const rig = streamedTable();
    const put = rig.answerFirst("PutItem", { TableName: "games", Item: { ...KEY, score: N(3) } });
    const text = onSlot(rig, (slot) => slot.pending());
    put.commit();
    onSlot(rig, (slot) => slot.write(JSON.parse(text ?? "null")));
    const after = rig.reopen();
    assert.deepEqual(read(after).Item.score, N(3));
    assert.equal(itemCount(after), 1);
    assert.equal(rig.changes.length, 1);
    assert.equal(
      onSlot(rig, (slot) => slot.pending()),
      undefined,
    );
  });

  test("a delete answered first and never committed is applied at the next open", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "games", Item: { ...KEY, score: N(1) } });
    const removed = rig.answerFirst("DeleteItem", { TableName: "games", Key: KEY, ReturnValues: "ALL_OLD" });
    assert.deepEqual(removed.output.Attributes.score, N(1));
    const after = rig.reopen();
    assert.deepEqual(read(after), {});
    assert.equal(itemCount(after), 0);
    assert.deepEqual(
      rig.changes.map((change) => change.eventName),
      ["INSERT", "REMOVE"],
    );
  });

  test("a failed condition holds nothing and answers the error", () => {
    const rig = streamedTable();
    rig.call("PutItem", { TableName: "games", Item: { ...KEY, score: N(1) } });
    assert.throws(
      () =>
        rig.answerFirst("PutItem", {
          TableName: "games",
          Item: { ...KEY, score: N(2) },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      /conditional request failed/,
    );
    assert.equal(
      onSlot(rig, (slot) => slot.pending()),
      undefined,
    );
    assert.deepEqual(read(rig.service).Item.score, N(1));
  });

  test("a commit that fails after its answer is retried before the next call; while it fails, every call fails", () => {
    const rig = streamedTable();
    const db = dbOf(rig);
    db.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.ddb_items
      BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    const first = rig.answerFirst("PutItem", { TableName: "games", Item: { ...KEY, score: N(1) } });
    assert.throws(() => first.commit(), /disk I\/O error/);
    assert.throws(
      () => rig.answerFirst("PutItem", { TableName: "games", Item: { pk: S("g2"), sk: N(1) } }),
      /disk I\/O error/,
    );
    assert.match(onSlot(rig, (slot) => slot.pending()) ?? "", /"g1"/);
    // Reads wait for it too: no call sees the table without the write it answered for.
    assert.throws(() => read(rig.service), /disk I\/O error/);
    db.exec("DROP TRIGGER temp.refuse");
    const second = rig.answerFirst("PutItem", { TableName: "games", Item: { pk: S("g2"), sk: N(1) } });
    second.commit();
    assert.deepEqual(read(rig.service).Item.score, N(1));
    assert.equal(itemCount(rig.service), 2);
  });

  test("a slot naming a table the file no longer has applies nothing", () => {
    const rig = streamedTable();
    rig.answerFirst("PutItem", { TableName: "games", Item: { ...KEY, score: N(1) } });
    onSlot(rig, (slot) => slot.write({ table: "gone", previous: null, next: { pk: S("x"), sk: N(1) } }));
    const after = rig.reopen();
    assert.deepEqual(read(after), {});
    assert.equal(
      onSlot(rig, (slot) => slot.pending()),
      undefined,
    );
  });
});

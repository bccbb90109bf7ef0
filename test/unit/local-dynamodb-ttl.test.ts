/**
 * TTL on Sluice's clock: items whose TTL attribute (a Number, epoch seconds) is earlier than now
 * are deleted at each sweep, with a stream REMOVE carrying DynamoDB's service identity; values
 * of other types, and values more than five years in the past, are ignored.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dynamoDbRig, type Json, N, S, tableInput } from "../support/dynamodb-rig.ts";

describe("expireItems", () => {
  test("deletes expired items on the clock with a service-identity REMOVE", async () => {
    const rig = dynamoDbRig();
    rig.call(
      "CreateTable",
      tableInput("sessions", undefined, {
        StreamSpecification: { StreamEnabled: true, StreamViewType: "OLD_IMAGE" },
      }),
    );
    const now = rig.clock.now() / 1000;
    rig.call("PutItem", { TableName: "sessions", Item: { pk: S("soon"), exp: N(now + 60) } });
    rig.call("PutItem", { TableName: "sessions", Item: { pk: S("later"), exp: N(now + 3600) } });
    rig.call("PutItem", { TableName: "sessions", Item: { pk: S("text"), exp: S(String(now - 10)) } });
    rig.call("PutItem", {
      TableName: "sessions",
      Item: { pk: S("ancient"), exp: N(now - 6 * 365 * 24 * 3600) },
    });
    rig.call("PutItem", { TableName: "sessions", Item: { pk: S("none") } });
    rig.call("UpdateTimeToLive", {
      TableName: "sessions",
      TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" },
    });
    assert.equal(rig.service.expireItems(), 0, "nothing has expired yet");
    await rig.clock.advance(61_000);
    rig.changes.length = 0;
    assert.equal(rig.service.expireItems(), 1);
    assert.deepEqual(
      rig
        .call("Scan", { TableName: "sessions" })
        .Items.map((item: Json) => item.pk.S)
        .sort(),
      ["ancient", "later", "none", "text"],
    );
    assert.deepEqual(
      rig.changes.map((change) => [change.eventName, change.keys, change.userIdentity]),
      [["REMOVE", { pk: S("soon") }, { type: "Service", principalId: "dynamodb.amazonaws.com" }]],
    );
  });

  test("an item updated to a later expiry is kept; TTL turned off stops deletions", async () => {
    const rig = dynamoDbRig();
    rig.call("CreateTable", tableInput("carts"));
    rig.call("UpdateTimeToLive", {
      TableName: "carts",
      TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" },
    });
    const now = rig.clock.now() / 1000;
    rig.call("PutItem", { TableName: "carts", Item: { pk: S("a"), exp: N(now + 10) } });
    rig.call("PutItem", { TableName: "carts", Item: { pk: S("b"), exp: N(now + 10) } });
    rig.call("UpdateItem", {
      TableName: "carts",
      Key: { pk: S("a") },
      UpdateExpression: "SET exp = :e",
      ExpressionAttributeValues: { ":e": N(now + 1000) },
    });
    await rig.clock.advance(20_000);
    assert.equal(rig.service.expireItems(), 1);
    rig.call("UpdateTimeToLive", {
      TableName: "carts",
      TimeToLiveSpecification: { Enabled: false, AttributeName: "exp" },
    });
    await rig.clock.advance(2_000_000);
    assert.equal(rig.service.expireItems(), 0);
    assert.equal(rig.call("Scan", { TableName: "carts" }).Count, 1);
  });
});

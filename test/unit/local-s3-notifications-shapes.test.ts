import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { S3EventNotificationEventBridgeSchema, S3Schema } from "@aws-lambda-powertools/parser/schemas/s3";
import { envelope } from "../../src/local/events/event-envelope.ts";
import {
  type EventBucket,
  eventMessage,
  testEventMessage,
} from "../../src/local/s3/notifications/event-message.ts";
import { busEvent } from "../../src/local/s3/notifications/eventbridge-event.ts";
import type { ObjectChange } from "../../src/local/s3/object-change.ts";

const BUCKET: EventBucket = {
  name: "blog-content-000000000000-us-east-1",
  region: "us-east-1",
  owner: "000000000000",
  arn: "arn:aws:s3:::blog-content-000000000000-us-east-1",
};

const PUT: ObjectChange = {
  bucket: BUCKET.name,
  eventName: "ObjectCreated:Put",
  key: "posts/hello world.md",
  size: 12,
  eTag: "6f5902ac237024bdd0c176cb93063dc4",
  sequencer: "00000000000000000A",
  eventTime: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  principalId: "AWS:AROAEXAMPLE:render",
  sourceIp: "127.0.0.1",
  requestId: "4442587FB7D0A2F9",
};

const DELETE: ObjectChange = {
  bucket: BUCKET.name,
  eventName: "ObjectRemoved:DeleteMarkerCreated",
  key: "posts/hello world.md",
  versionId: "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd",
  sequencer: "00000000000000000B",
  eventTime: Date.UTC(2026, 0, 2, 3, 4, 6),
  principalId: "AWS:AROAEXAMPLE:render",
  sourceIp: "127.0.0.1",
  requestId: "4442587FB7D0A2FA",
};

const { versionId: _unversioned, ...UNVERSIONED_DELETE } = DELETE;
const EXPIRED: ObjectChange = {
  ...UNVERSIONED_DELETE,
  eventName: "LifecycleExpiration:Delete",
  principalId: "AmazonS3",
  sourceIp: "",
};

function bridged(change: ObjectChange) {
  const event = busEvent(change, BUCKET, "000000000000");
  assert.ok(event);
  return envelope(
    {
      Source: event.source,
      DetailType: event.detailType,
      Resources: event.resources,
      Time: event.time / 1000,
    },
    event.detail,
    { account: "000000000000", region: "us-east-1", nowMs: event.time },
  );
}

describe("S3 event shapes", () => {
  test("an ObjectCreated:Put message is what S3 documents, and Powertools' S3Schema accepts it", () => {
    const message = JSON.parse(eventMessage(PUT, BUCKET, "render-config"));
    S3Schema.parse(message);
    const [record] = message.Records;
    assert.equal(record.eventVersion, "2.1");
    assert.equal(record.eventSource, "aws:s3");
    assert.equal(record.awsRegion, "us-east-1");
    assert.equal(record.eventTime, "2026-01-02T03:04:05.678Z");
    assert.equal(record.eventName, "ObjectCreated:Put");
    assert.deepEqual(record.userIdentity, { principalId: "AWS:AROAEXAMPLE:render" });
    assert.deepEqual(record.requestParameters, { sourceIPAddress: "127.0.0.1" });
    assert.equal(record.responseElements["x-amz-request-id"], "4442587FB7D0A2F9");
    assert.ok(record.responseElements["x-amz-id-2"].length > 0);
    assert.deepEqual(record.s3, {
      s3SchemaVersion: "1.0",
      configurationId: "render-config",
      bucket: { name: BUCKET.name, ownerIdentity: { principalId: "000000000000" }, arn: BUCKET.arn },
      object: { key: "posts/hello+world.md", size: 12, eTag: PUT.eTag, sequencer: PUT.sequencer },
    });
  });

  test("a delete marker's message has its version id and no size or ETag", () => {
    const message = JSON.parse(eventMessage(DELETE, BUCKET, "c"));
    S3Schema.parse(message);
    assert.deepEqual(message.Records[0].s3.object, {
      key: "posts/hello+world.md",
      versionId: DELETE.versionId,
      sequencer: DELETE.sequencer,
    });
  });

  test("a lifecycle expiration comes from S3 itself, in event version 2.3", () => {
    const message = JSON.parse(eventMessage(EXPIRED, BUCKET, "c"));
    S3Schema.parse(message);
    assert.equal(message.Records[0].eventVersion, "2.3");
    assert.equal(message.Records[0].requestParameters.sourceIPAddress, "s3.amazonaws.com");
    // The user guide's LifecycleExpiration:Delete example names S3 as the principal too.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configure-notification.html
    assert.deepEqual(message.Records[0].userIdentity, { principalId: "s3.amazonaws.com" });
  });

  test("the default bus gets Object Created with the key as stored, and Powertools' schema accepts it", () => {
    const event = bridged(PUT);
    S3EventNotificationEventBridgeSchema.parse(event);
    assert.equal(event.source, "aws.s3");
    assert.equal(event["detail-type"], "Object Created");
    assert.deepEqual(event.resources, [BUCKET.arn]);
    assert.equal(event.time, "2026-01-02T03:04:05Z");
    assert.deepEqual(event.detail, {
      version: "0",
      bucket: { name: BUCKET.name },
      object: { key: "posts/hello world.md", size: 12, etag: PUT.eTag, sequencer: PUT.sequencer },
      "request-id": PUT.requestId,
      requester: "000000000000",
      "source-ip-address": "127.0.0.1",
      reason: "PutObject",
    });
  });

  test("deletions are Object Deleted with their reason and deletion type", () => {
    const marker = bridged(DELETE);
    S3EventNotificationEventBridgeSchema.parse(marker);
    const detail = marker.detail as Record<string, unknown>;
    assert.equal(marker["detail-type"], "Object Deleted");
    assert.equal(detail.reason, "DeleteObject");
    assert.equal(detail["deletion-type"], "Delete Marker Created");
    const expired = bridged(EXPIRED);
    S3EventNotificationEventBridgeSchema.parse(expired);
    const expiredDetail = expired.detail as Record<string, unknown>;
    assert.equal(expiredDetail.reason, "Lifecycle Expiration");
    assert.equal(expiredDetail["deletion-type"], "Permanently Deleted");
    assert.equal(expiredDetail.requester, "s3.amazonaws.com");
    assert.equal("source-ip-address" in expiredDetail, false);
  });

  test("the test event S3 sends a queue names the bucket and s3:TestEvent", () => {
    const message = JSON.parse(testEventMessage(BUCKET.name, Date.UTC(2026, 0, 1), "R1"));
    assert.equal(message.Service, "Amazon S3");
    assert.equal(message.Event, "s3:TestEvent");
    assert.equal(message.Bucket, BUCKET.name);
    assert.equal(message.Time, "2026-01-01T00:00:00.000Z");
  });
});

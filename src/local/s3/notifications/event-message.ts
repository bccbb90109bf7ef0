/**
 * The JSON S3 sends to a function or a queue for one change: `{ Records: [record] }`, in the shape
 * of the S3 user guide's "Event message structure". Version 2.1 for object events, 2.3 for
 * lifecycle and tagging events, which that page lists as compatible with 2.1.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
import { createHash } from "node:crypto";
import { servicePrincipal } from "../../../model/naming.ts";
import type { ObjectChange } from "../object-change.ts";
import { eventKey } from "./event-key.ts";

/** What a record says about the bucket besides its name. */
export interface EventBucket {
  readonly name: string;
  readonly region: string;
  /** The bucket owner's id (the local account). */
  readonly owner: string;
  readonly arn: string;
}

/** S3's principal, the requester and source of lifecycle changes. */
const S3_SERVICE = servicePrincipal("s3");

export function eventVersion(eventName: string): string {
  return eventName.startsWith("LifecycleExpiration:") || eventName.startsWith("ObjectTagging:")
    ? "2.3"
    : "2.1";
}

export function isServiceChange(change: ObjectChange): boolean {
  return change.eventName.startsWith("LifecycleExpiration:");
}

/** One record of the `Records` array, for the notification whose configuration id is `configurationId`. */
export function eventRecord(
  change: ObjectChange,
  bucket: EventBucket,
  configurationId: string,
): Record<string, unknown> {
  const service = isServiceChange(change);
  const object: Record<string, unknown> = { key: eventKey(change.key) };
  if (change.size !== undefined) object.size = change.size;
  if (change.eTag !== undefined) object.eTag = change.eTag;
  if (change.versionId !== undefined) object.versionId = change.versionId;
  object.sequencer = change.sequencer;
  return {
    eventVersion: eventVersion(change.eventName),
    eventSource: "aws:s3",
    awsRegion: bucket.region,
    eventTime: new Date(change.eventTime).toISOString(),
    eventName: change.eventName,
    // S3's own changes name S3 as principal and source (the lifecycle page's example).
    userIdentity: { principalId: service ? S3_SERVICE : change.principalId },
    requestParameters: { sourceIPAddress: service ? S3_SERVICE : change.sourceIp },
    responseElements: { "x-amz-request-id": change.requestId, "x-amz-id-2": hostId(change.requestId) },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId,
      bucket: { name: bucket.name, ownerIdentity: { principalId: bucket.owner }, arn: bucket.arn },
      object,
    },
  };
}

export function eventMessage(change: ObjectChange, bucket: EventBucket, configurationId: string): string {
  return JSON.stringify({ Records: [eventRecord(change, bucket, configurationId)] });
}

/**
 * The message S3 sends to a queue when a notification configuration naming it is stored, so its
 * owner sees the queue is reachable (the same page, "Test message").
 */
export function testEventMessage(bucket: string, nowMs: number, requestId: string): string {
  return JSON.stringify({
    Service: "Amazon S3",
    Event: "s3:TestEvent",
    Time: new Date(nowMs).toISOString(),
    Bucket: bucket,
    RequestId: requestId,
    HostId: hostId(requestId),
  });
}

/**
 * `x-amz-id-2`, "the Amazon S3 host that processed the request": an opaque base64 token on AWS.
 * Locally there is one host; the token is derived from the request id so one request has one.
 */
export function hostId(requestId: string): string {
  return createHash("sha256").update(requestId).digest("base64");
}

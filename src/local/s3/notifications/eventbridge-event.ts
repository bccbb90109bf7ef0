/**
 * The event S3 puts on the account's default bus for a change when the bucket has EventBridge
 * enabled: every event type goes, whatever the bucket's other notifications say.
 * Source `aws.s3`, detail-type `Object Created` / `Object Deleted` (and tagging), the bucket's ARN
 * in `resources`, and a detail whose object key is not URL-encoded (unlike the notification message).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html
 */
import { servicePrincipal } from "../../../model/naming.ts";
import type { ObjectChange } from "../object-change.ts";
import { type EventBucket, isServiceChange } from "./event-message.ts";

export interface S3BusEvent {
  readonly source: "aws.s3";
  readonly detailType: string;
  /** The bucket's region: the event goes to that region's default bus. */
  readonly region: string;
  readonly resources: readonly string[];
  /** Milliseconds since the epoch: when the change happened. */
  readonly time: number;
  readonly detail: Record<string, unknown>;
}

/** The API the `reason` field names for each created event. */
const CREATED_REASON: Readonly<Record<string, string>> = {
  "ObjectCreated:Put": "PutObject",
  "ObjectCreated:Post": "POST Object",
  "ObjectCreated:Copy": "CopyObject",
  "ObjectCreated:CompleteMultipartUpload": "CompleteMultipartUpload",
};

/** Undefined for a change S3 sends EventBridge no event for. */
export function busEvent(
  change: ObjectChange,
  bucket: EventBucket,
  requester: string,
): S3BusEvent | undefined {
  const detailType = detailTypeOf(change.eventName);
  if (detailType === undefined) return undefined;
  const object: Record<string, unknown> = { key: change.key };
  if (change.size !== undefined) object.size = change.size;
  if (change.eTag !== undefined) object.etag = change.eTag;
  if (change.versionId !== undefined) object["version-id"] = change.versionId;
  object.sequencer = change.sequencer;
  const service = isServiceChange(change);
  const detail: Record<string, unknown> = {
    version: "0",
    bucket: { name: bucket.name },
    object,
    "request-id": change.requestId,
    // The requester's account, or S3 itself for a lifecycle expiration.
    requester: service ? servicePrincipal("s3") : requester,
  };
  if (!service) detail["source-ip-address"] = change.sourceIp;
  const reason = reasonOf(change.eventName);
  if (reason !== undefined) detail.reason = reason;
  if (detailType === "Object Deleted") {
    detail["deletion-type"] = change.eventName.endsWith(":DeleteMarkerCreated")
      ? "Delete Marker Created"
      : "Permanently Deleted";
  }
  return {
    source: "aws.s3",
    detailType,
    region: bucket.region,
    resources: [bucket.arn],
    time: change.eventTime,
    detail,
  };
}

function detailTypeOf(eventName: string): string | undefined {
  if (eventName.startsWith("ObjectCreated:")) return "Object Created";
  if (eventName.startsWith("ObjectRemoved:") || eventName.startsWith("LifecycleExpiration:"))
    return "Object Deleted";
  if (eventName === "ObjectTagging:Put") return "Object Tags Added";
  if (eventName === "ObjectTagging:Delete") return "Object Tags Deleted";
  return undefined;
}

function reasonOf(eventName: string): string | undefined {
  if (eventName.startsWith("ObjectCreated:")) return CREATED_REASON[eventName];
  if (eventName.startsWith("ObjectRemoved:")) return "DeleteObject";
  if (eventName.startsWith("LifecycleExpiration:")) return "Lifecycle Expiration";
  return undefined;
}

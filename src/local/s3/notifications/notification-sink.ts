/**
 * The S3 engine's ObjectChangeSink: inside the write's transaction, matches the change against
 * the bucket's notification configuration and writes one outbox row per destination (and one for
 * the default bus when the bucket has EventBridge enabled). Delivery happens after the commit
 * (notification-dispatcher.ts).
 */
import { bucketArnOf } from "../../../model/naming.ts";
import type { ObjectChange, ObjectChangeSink } from "../object-change.ts";
import type { BucketInfo } from "../types.ts";
import { eventKey } from "./event-key.ts";
import { type EventBucket, eventMessage } from "./event-message.ts";
import { busEvent } from "./eventbridge-event.ts";
import { matchingRules } from "./notification-match.ts";
import type { NotificationOutbox } from "./notification-outbox.ts";
import { notificationRules } from "./notification-rules.ts";

export interface NotificationSinkOptions {
  readonly outbox: NotificationOutbox;
  /** The bucket as the store holds it (read inside the write's transaction). */
  readonly bucket: (name: string) => BucketInfo | undefined;
  /** Called after rows were added; the dispatcher drains once the transaction has committed. */
  readonly onRecorded?: () => void;
}

export class NotificationSink implements ObjectChangeSink {
  constructor(private readonly options: NotificationSinkOptions) {}

  record(change: ObjectChange): void {
    const info = this.options.bucket(change.bucket);
    if (!info) return;
    const { rules, eventBridge } = notificationRules(info.configuration);
    if (rules.length === 0 && !eventBridge) return;
    const bucket: EventBucket = {
      name: info.name,
      region: info.region,
      owner: info.owner,
      arn: bucketArnOf(info.region, info.name),
    };
    const { outbox } = this.options;
    const common = {
      bucket: info.name,
      createdAt: change.eventTime,
      ...(change.traceHeader === undefined ? {} : { traceHeader: change.traceHeader }),
    };
    let added = 0;
    for (const rule of matchingRules(rules, change.eventName, eventKey(change.key))) {
      outbox.add({
        ...common,
        kind: rule.kind,
        target: rule.arn,
        body: eventMessage(change, bucket, rule.id),
      });
      added++;
    }
    const event = eventBridge ? busEvent(change, bucket, info.owner) : undefined;
    if (event) {
      outbox.add({ ...common, kind: "bus", target: bucket.arn, body: JSON.stringify(event) });
      added++;
    }
    if (added > 0) this.options.onRecorded?.();
  }
}

/**
 * Where a local cloud's S3 notifications go: a function's asynchronous invocation (Lambda's
 * internal queue, with the function's retries and destinations), a standard queue's SendMessage,
 * and the default bus. S3 names destinations by ARN; they are looked up in this cloud.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
import type { AppSpec } from "../model/app-spec.ts";
import { functionArn } from "../model/naming.ts";
import type { AsyncInvokeQueue } from "./async-invoke/index.ts";
import type { EventBusService } from "./events/index.ts";
import type { NotificationTargets } from "./s3/index.ts";
import type { QueueService } from "./sqs/index.ts";

export interface S3NotificationTargetsOptions {
  readonly spec: AppSpec;
  readonly asyncInvoke: Pick<AsyncInvokeQueue, "enqueue">;
  readonly sqs: Pick<QueueService, "getQueue" | "queueArn" | "sendMessage">;
  readonly events: () => Pick<EventBusService, "putServiceEvent">;
}

export function s3NotificationTargets(options: S3NotificationTargetsOptions): NotificationTargets {
  const { spec, asyncInvoke, sqs } = options;
  const functions = new Map(Object.values(spec.functions).map((fn) => [functionArn(spec, fn), fn.name]));
  const buckets = new Map(Object.values(spec.buckets ?? {}).map((b) => [b.bucketName, b.name]));
  // The trace source of a notification: the bucket in the definition's words (else its own name).
  const source = (bucket: string | undefined): string | undefined =>
    bucket === undefined ? undefined : `bucket:${buckets.get(bucket) ?? bucket}`;
  return {
    invokeAsync(arn, payload, traceHeader, bucket) {
      const name = functions.get(arn);
      if (name === undefined) return false;
      asyncInvoke.enqueue(name, payload, traceHeader, source(bucket));
      return true;
    },
    sendMessage(arn, body, traceHeader, bucket) {
      const name = arn.slice(arn.lastIndexOf(":") + 1);
      let queue: string;
      try {
        const found = sqs.getQueue(name);
        // "FIFO queues are not allowed" as a notification destination: S3 sends to standard queues only.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-queueconfiguration.html
        if (found.fifo) return false;
        queue = found.queueName;
      } catch {
        return false;
      }
      if (sqs.queueArn(queue) !== arn) return false;
      const from = source(bucket);
      sqs.sendMessage(queue, {
        body,
        ...(traceHeader === undefined ? {} : { traceHeader }),
        ...(from === undefined ? {} : { source: from }),
      });
      return true;
    },
    putEvent(event) {
      options.events().putServiceEvent({
        source: event.source,
        detailType: event.detailType,
        detail: event.detail,
        resources: event.resources,
        timeMs: event.time,
      });
    },
  };
}

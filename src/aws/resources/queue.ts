import type { QueueSpec } from "../../model/app-spec.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { queueArnValue } from "./references.ts";

/** Every attribute is written out, defaults included, so the template says what `dev` runs. */
export function queueResource(queue: QueueSpec): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    QueueName: queue.queueName,
    VisibilityTimeout: queue.visibilityTimeoutSeconds,
    DelaySeconds: queue.delaySeconds,
    MessageRetentionPeriod: queue.retentionSeconds,
    MaximumMessageSize: queue.maxMessageSize,
    ReceiveMessageWaitTimeSeconds: queue.receiveWaitTimeSeconds,
  };
  if (queue.fifo) {
    properties.FifoQueue = true;
    properties.ContentBasedDeduplication = queue.contentBasedDeduplication;
  }
  if (queue.deadLetter) {
    properties.RedrivePolicy = {
      deadLetterTargetArn: queueArnValue(queue.deadLetter.queue),
      maxReceiveCount: queue.deadLetter.maxReceiveCount,
    };
  }
  return {
    Type: "AWS::SQS::Queue",
    Properties: properties,
    DeletionPolicy: "Delete",
    UpdateReplacePolicy: "Delete",
  };
}

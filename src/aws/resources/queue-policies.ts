/**
 * One AWS::SQS::QueuePolicy per queue that an AWS service sends to: EventBridge (a rule's target
 * or a target's dead-letter queue), letting events.amazonaws.com SendMessage only for those rules,
 * and S3 (a bucket's notification), letting s3.amazonaws.com SendMessage only for those buckets of
 * this account (aws:SourceArn and aws:SourceAccount, as S3's example policy:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
 * One per queue, because a queue has one policy: two resources would overwrite each other.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { servicePrincipal } from "../../model/naming.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { notifiedQueues } from "./bucket.ts";
import { bucketArnValue, queueArnValue, queueUrlValue } from "./references.ts";
import { POLICY_VERSION } from "./role.ts";

export function queuePolicies(spec: AppSpec): Record<string, TemplateResource> {
  const rulesByQueue = sendersByQueue();
  for (const rule of Object.values(spec.events?.rules ?? {})) {
    for (const target of rule.targets) {
      const queues = [target.kind === "queue" ? target.name : undefined, target.deadLetterQueue];
      for (const queue of queues) if (queue !== undefined) rulesByQueue.add(queue, rule.name);
    }
  }
  const bucketsByQueue = sendersByQueue();
  for (const bucket of Object.values(spec.buckets ?? {})) {
    for (const queue of notifiedQueues(bucket)) bucketsByQueue.add(queue, bucket.name);
  }
  const queues = [...new Set([...rulesByQueue.queues(), ...bucketsByQueue.queues()])].sort((a, b) =>
    a.localeCompare(b),
  );
  const resources: Record<string, TemplateResource> = {};
  for (const queue of queues) {
    const statements: TemplateValue[] = [];
    const rules = rulesByQueue.of(queue);
    if (rules.length > 0) {
      statements.push({
        Sid: "EventBridgeRules",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("events") },
        Action: "sqs:SendMessage",
        Resource: queueArnValue(queue),
        Condition: {
          ArnEquals: { "aws:SourceArn": rules.map((r) => getAtt(logicalId("eventRule", r), "Arn")) },
        },
      });
    }
    const buckets = bucketsByQueue.of(queue);
    if (buckets.length > 0) {
      statements.push({
        Sid: "S3Buckets",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("s3") },
        Action: "sqs:SendMessage",
        Resource: queueArnValue(queue),
        Condition: {
          ArnEquals: { "aws:SourceArn": buckets.map((b) => bucketArnValue(spec, b)) },
          StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") },
        },
      });
    }
    resources[logicalId("eventsQueuePolicy", queue)] = {
      Type: "AWS::SQS::QueuePolicy",
      Properties: {
        Queues: [queueUrlValue(queue)],
        PolicyDocument: { Version: POLICY_VERSION, Statement: statements },
      },
    };
  }
  return resources;
}

/** Queue → the names of what sends to it, each once, sorted. */
function sendersByQueue() {
  const map = new Map<string, Set<string>>();
  return {
    add(queue: string, sender: string): void {
      const senders = map.get(queue) ?? new Set<string>();
      senders.add(sender);
      map.set(queue, senders);
    },
    queues: (): string[] => [...map.keys()],
    of: (queue: string): string[] => [...(map.get(queue) ?? [])].sort(),
  };
}

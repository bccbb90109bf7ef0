/**
 * One AWS::SQS::QueuePolicy per queue that EventBridge sends to (a rule's target or a target's
 * dead-letter queue), letting events.amazonaws.com SendMessage only for those rules
 * (aws:SourceArn). One per queue, because a queue has one policy: two resources would overwrite
 * each other.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { getAtt } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { queueArnValue, queueUrlValue } from "./references.ts";
import { POLICY_VERSION } from "./role.ts";

export function eventQueuePolicies(spec: AppSpec): Record<string, TemplateResource> {
  const rulesByQueue = new Map<string, Set<string>>();
  for (const rule of Object.values(spec.events?.rules ?? {})) {
    for (const target of rule.targets) {
      const queues = [target.kind === "queue" ? target.name : undefined, target.deadLetterQueue];
      for (const queue of queues) {
        if (queue === undefined) continue;
        const rules = rulesByQueue.get(queue) ?? new Set<string>();
        rules.add(rule.name);
        rulesByQueue.set(queue, rules);
      }
    }
  }
  const resources: Record<string, TemplateResource> = {};
  for (const [queue, rules] of [...rulesByQueue].sort(([a], [b]) => a.localeCompare(b))) {
    const sourceArns: TemplateValue[] = [...rules]
      .sort()
      .map((r) => getAtt(logicalId("eventRule", r), "Arn"));
    resources[logicalId("eventsQueuePolicy", queue)] = {
      Type: "AWS::SQS::QueuePolicy",
      Properties: {
        Queues: [queueUrlValue(queue)],
        PolicyDocument: {
          Version: POLICY_VERSION,
          Statement: [
            {
              Sid: "EventBridgeRules",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: queueArnValue(queue),
              Condition: { ArnEquals: { "aws:SourceArn": sourceArns } },
            },
          ],
        },
      },
    };
  }
  return resources;
}

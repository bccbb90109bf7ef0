/**
 * An EventBridge rule with its targets, and what each target needs to accept the rule's events:
 * a Lambda permission per function target (scoped to the rule's ARN) and, for bus targets, a role
 * the rule assumes to put events on them. Queue policies are per queue (queue-policies.ts).
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { DEFAULT_BUS, type EventTargetSpec, type RuleSpec } from "../../model/events.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { busArnValue, functionArnValue, queueArnValue } from "./references.ts";
import { POLICY_VERSION } from "./role.ts";

export function ruleResources(spec: AppSpec, rule: RuleSpec): Record<string, TemplateResource> {
  const ruleId = logicalId("eventRule", rule.name);
  const busTargets = rule.targets.filter((t) => t.kind === "bus");
  const roleId = busTargets.length > 0 ? logicalId("eventRuleRole", rule.name) : undefined;
  const resources: Record<string, TemplateResource> = {
    [ruleId]: {
      Type: "AWS::Events::Rule",
      Properties: {
        Name: rule.ruleName,
        EventBusName: rule.bus === DEFAULT_BUS ? DEFAULT_BUS : ref(logicalId("eventBus", rule.bus)),
        EventPattern: rule.pattern as TemplateValue,
        State: "ENABLED",
        Targets: rule.targets.map((t) => targetProperty(spec, t, roleId)),
      },
    },
  };
  for (const target of rule.targets) {
    if (target.kind !== "function") continue;
    resources[logicalId("eventRulePermission", `${rule.name}-${target.name}`)] = {
      Type: "AWS::Lambda::Permission",
      Properties: {
        Action: "lambda:InvokeFunction",
        FunctionName: functionArnValue(spec, target.name),
        Principal: "events.amazonaws.com",
        SourceArn: getAtt(ruleId, "Arn"),
      },
      DependsOn: [logicalId("function", target.name)],
    };
  }
  if (roleId !== undefined) {
    resources[roleId] = {
      Type: "AWS::IAM::Role",
      Properties: {
        Description: `Lets rule ${rule.ruleName} put events on its target buses`,
        AssumeRolePolicyDocument: {
          Version: POLICY_VERSION,
          Statement: [
            { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        },
        Policies: [
          {
            PolicyName: "sluice-event-rule",
            PolicyDocument: {
              Version: POLICY_VERSION,
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["events:PutEvents"],
                  Resource: busTargets.map((t) => busArnValue(t.name)),
                },
              ],
            },
          },
        ],
      },
    };
  }
  return resources;
}

function targetProperty(spec: AppSpec, target: EventTargetSpec, roleId: string | undefined): TemplateValue {
  const property: Record<string, TemplateValue> = {
    Id: target.id,
    Arn:
      target.kind === "function"
        ? functionArnValue(spec, target.name)
        : target.kind === "queue"
          ? queueArnValue(target.name)
          : busArnValue(target.name),
  };
  if (target.kind === "bus" && roleId !== undefined) property.RoleArn = getAtt(roleId, "Arn");
  const input = target.input;
  if (input?.kind === "constant") property.Input = input.json;
  if (input?.kind === "path") property.InputPath = input.path;
  if (input?.kind === "transformer") {
    property.InputTransformer = {
      InputPathsMap: { ...input.inputPathsMap },
      InputTemplate: input.inputTemplate,
    };
  }
  property.RetryPolicy = {
    MaximumRetryAttempts: target.maximumRetryAttempts,
    MaximumEventAgeInSeconds: target.maximumEventAgeSeconds,
  };
  if (target.deadLetterQueue !== undefined)
    property.DeadLetterConfig = { Arn: queueArnValue(target.deadLetterQueue) };
  if (target.messageGroupId !== undefined) property.SqsParameters = { MessageGroupId: target.messageGroupId };
  return property;
}

import type { AppSpec } from "../../model/app-spec.ts";
import { physicalBusName } from "../../model/events.ts";
import { resourcePrefix } from "../../model/naming.ts";
import { PROVISIONED_ALIAS, type ScheduleSpec } from "../../model/schedule/spec.ts";
import { arn, getAtt } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { provisionedIds } from "./provisioned-concurrency.ts";
import { functionArnValue, physicalName, queueArnValue } from "./references.ts";
import { POLICY_VERSION } from "./role.ts";

/** Logical IDs of a schedule and its execution role. */
function scheduleIds(name: string): { schedule: string; role: string } {
  const base = name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => (p[0] ?? "").toUpperCase() + p.slice(1))
    .join("");
  return { schedule: `${base}Schedule`, role: `${base}ScheduleRole` };
}

/**
 * An EventBridge Scheduler schedule with a templated target (Lambda Invoke, SQS SendMessage or
 * EventBridge PutEvents), its flexible time window off (one delivery per due time, as `dev` does)
 * and an execution role that may call only that target. The input is written out even when the
 * definition gives none (`{}`), so the deployed schedule sends what `dev` sends; Scheduler fills in
 * its context attributes (`<aws.scheduler.scheduled-time>` …) there, as `dev` does. No StartDate
 * is written: a rate() schedule then first invokes its target when it is created, as in `dev`.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export function scheduleResources(spec: AppSpec, schedule: ScheduleSpec): Record<string, TemplateResource> {
  const ids = scheduleIds(schedule.name);
  const { action, resource, target } = targetOf(spec, schedule);
  const role: TemplateResource = {
    Type: "AWS::IAM::Role",
    Properties: {
      Description: `Execution role of schedule ${schedule.scheduleName}`,
      AssumeRolePolicyDocument: {
        Version: POLICY_VERSION,
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "scheduler.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: "sluice-schedule",
          PolicyDocument: {
            Version: POLICY_VERSION,
            Statement: [{ Sid: "Target", Effect: "Allow", Action: [action], Resource: [resource] }],
          },
        },
      ],
    },
  };
  // Scheduler checks nothing on create; waiting for the target keeps a first fire from failing.
  const dependsOn = targetDependency(spec, schedule);
  const resourceSchedule: TemplateResource = {
    Type: "AWS::Scheduler::Schedule",
    ...(dependsOn === undefined ? {} : { DependsOn: [dependsOn] }),
    Properties: {
      Name: schedule.scheduleName,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timezone,
      FlexibleTimeWindow: { Mode: "OFF" },
      State: schedule.enabled ? "ENABLED" : "DISABLED",
      Target: { ...target, RoleArn: getAtt(ids.role, "Arn"), Input: schedule.target.input ?? "{}" },
    },
  };
  return { [ids.role]: role, [ids.schedule]: resourceSchedule };
}

function targetOf(
  spec: AppSpec,
  schedule: ScheduleSpec,
): { action: string; resource: TemplateValue; target: Record<string, TemplateValue> } {
  const { kind, name } = schedule.target;
  if (kind === "function") {
    const fn = spec.functions[name];
    // A function with provisioned concurrency is invoked through its alias, where that capacity is.
    const resource = fn?.provisionedConcurrency
      ? arn("lambda", `function:${physicalName(spec, name)}:${PROVISIONED_ALIAS}`)
      : functionArnValue(spec, name);
    return { action: "lambda:InvokeFunction", resource, target: { Arn: resource } };
  }
  if (kind === "queue") {
    const resource = queueArnValue(name);
    const fifo = spec.queues[name]?.fifo === true;
    return {
      action: "sqs:SendMessage",
      resource,
      target: { Arn: resource, ...(fifo ? { SqsParameters: { MessageGroupId: schedule.name } } : {}) },
    };
  }
  const bus = physicalBusName(resourcePrefix(spec), name);
  const resource = arn("events", `event-bus/${bus}`);
  return {
    action: "events:PutEvents",
    resource,
    target: {
      Arn: resource,
      EventBridgeParameters: { Source: "sluice.scheduler", DetailType: "Scheduled Event" },
    },
  };
}

function targetDependency(spec: AppSpec, schedule: ScheduleSpec): string | undefined {
  if (schedule.target.kind !== "function") return undefined;
  const fn = spec.functions[schedule.target.name];
  if (!fn) return undefined;
  return fn.provisionedConcurrency ? provisionedIds(fn).alias : logicalId("function", fn.name);
}

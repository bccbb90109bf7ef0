/**
 * EventBridge buses and rules, and EventBridge Scheduler schedules, of a region's deployed
 * stacks as the AppSpec's `events` and `schedules`, keyed by physical names.
 */
import type {
  BusSpec,
  EventsSpec,
  EventTargetInput,
  EventTargetSpec,
  RuleSpec,
} from "../../model/events-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import type { ScheduleSpec } from "../../model/schedule/spec.ts";
import { ruleBusName } from "../cloudformation/index.ts";
import { json, list, num, obj, type ResourceIndex, str } from "./deployed-resources.ts";

export function translateEvents(index: ResourceIndex): EventsSpec | undefined {
  const buses: Record<string, BusSpec> = {};
  for (const bus of index.of("AWS::Events::EventBus")) {
    const description = str(bus.properties.Description);
    buses[bus.physicalId] = {
      name: bus.physicalId,
      eventBusName: bus.physicalId,
      ...(description === undefined ? {} : { description }),
    };
  }
  const rules: Record<string, RuleSpec> = {};
  for (const rule of index.of("AWS::Events::Rule")) {
    if (str(rule.properties.State) === "DISABLED") continue;
    const ruleName = String(rule.attributes.RuleName);
    const bus = index.busName(ruleBusName(rule.properties));
    if (bus === undefined) {
      index.notes.push(
        `rule ${ruleName}: its bus ${ruleBusName(rule.properties)} is not deployed in this region`,
      );
      continue;
    }
    const key = bus === "default" ? ruleName : `${bus}/${ruleName}`;
    const targets = list(rule.properties.Targets).flatMap((t) => {
      const target = targetOf(index, ruleName, obj(t));
      return target ? [target] : [];
    });
    rules[key] = { name: key, ruleName, bus, pattern: json(rule.properties.EventPattern), targets };
  }
  if (Object.keys(buses).length === 0 && Object.keys(rules).length === 0) return undefined;
  return { buses, rules };
}

function targetOf(
  index: ResourceIndex,
  rule: string,
  t: Readonly<Record<string, unknown>>,
): EventTargetSpec | undefined {
  const arn = String(t.Arn ?? "");
  const target = index.target(arn);
  if (!target) {
    index.notes.push(`rule ${rule}: target ${String(t.Id)} (${arn}) is not deployed in this region`);
    return undefined;
  }
  const retry = obj(t.RetryPolicy);
  const dlqArn = str(obj(t.DeadLetterConfig).Arn);
  const deadLetterQueue = dlqArn === undefined ? undefined : index.queueName(dlqArn);
  const input = inputOf(t);
  const group = target.kind === "queue" ? str(obj(t.SqsParameters).MessageGroupId) : undefined;
  return {
    id: String(t.Id),
    kind: target.kind,
    name: target.name,
    ...(input ? { input } : {}),
    maximumRetryAttempts: num(retry.MaximumRetryAttempts, LIMITS.events.retryAttempts.default ?? 185),
    maximumEventAgeSeconds: num(retry.MaximumEventAgeInSeconds, LIMITS.events.eventAge.default ?? 86400),
    ...(deadLetterQueue === undefined ? {} : { deadLetterQueue }),
    ...(group === undefined ? {} : { messageGroupId: group }),
  };
}

function inputOf(t: Readonly<Record<string, unknown>>): EventTargetInput | undefined {
  const constant = str(t.Input);
  if (constant !== undefined) return { kind: "constant", json: constant };
  const path = str(t.InputPath);
  if (path !== undefined) return { kind: "path", path };
  const transformer = obj(t.InputTransformer);
  if (transformer.InputTemplate === undefined) return undefined;
  return {
    kind: "transformer",
    inputPathsMap: Object.fromEntries(
      Object.entries(obj(transformer.InputPathsMap)).map(([k, v]) => [k, String(v)]),
    ),
    inputTemplate: String(transformer.InputTemplate),
  };
}

export function translateSchedules(index: ResourceIndex): Record<string, ScheduleSpec> | undefined {
  const schedules: Record<string, ScheduleSpec> = {};
  for (const schedule of index.of("AWS::Scheduler::Schedule")) {
    const p = schedule.properties;
    const targetProps = obj(p.Target);
    const target = index.target(String(targetProps.Arn ?? ""));
    if (!target) {
      index.notes.push(
        `schedule ${schedule.physicalId}: target ${String(targetProps.Arn)} is not deployed in this region`,
      );
      continue;
    }
    const input = str(targetProps.Input);
    const group = str(obj(targetProps.SqsParameters).MessageGroupId);
    schedules[schedule.physicalId] = {
      name: schedule.physicalId,
      scheduleName: schedule.physicalId,
      expression: String(p.ScheduleExpression),
      timezone: str(p.ScheduleExpressionTimezone) ?? "UTC",
      target: {
        kind: target.kind,
        name: target.name,
        ...(input === undefined ? {} : { input }),
        ...(group === undefined ? {} : { messageGroupId: group }),
      },
      enabled: str(p.State) !== "DISABLED",
    };
  }
  return Object.keys(schedules).length === 0 ? undefined : schedules;
}

/**
 * AWS::Scheduler::Schedule: the expression and time zone are checked with Scheduler's grammar
 * (model/schedule-*), the target must be a function, queue or bus of the local cloud. The
 * region's scheduler is rebuilt from the schedules when the stack settles.
 */
import { ScheduleExpressionError } from "../../../model/schedule/error.ts";
import { parseSchedule } from "../../../model/schedule/expression.ts";
import { nextFireTimes } from "../../../model/schedule/next.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  generatedName,
  objectProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

function checkSchedule(properties: Properties, context: ResourceContext): void {
  const expression = requiredString(properties, "ScheduleExpression", context);
  const timezone = stringProp(properties, "ScheduleExpressionTimezone") ?? "UTC";
  try {
    nextFireTimes(parseSchedule(expression), 0, 1, timezone);
  } catch (error) {
    if (error instanceof ScheduleExpressionError)
      throw new ResourceFailure(`Invalid Schedule Expression ${expression}. ${error.message}`);
    throw error;
  }
  if (objectProp(properties, "FlexibleTimeWindow") === undefined) {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #: required key [FlexibleTimeWindow] not found`,
    );
  }
  const target = objectProp(properties, "Target");
  if (!target)
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #: required key [Target] not found`,
    );
  const arn = stringProp(target, "Arn") ?? "";
  if (!/^arn:[^:]+:(sqs|lambda|events):/.test(arn)) {
    throw new ResourceFailure(
      `The local cloud delivers schedules to Lambda functions, SQS queues and event buses (templated targets) only; the target is ${arn}.`,
    );
  }
  const state = stringProp(properties, "State") ?? "ENABLED";
  if (state !== "ENABLED" && state !== "DISABLED")
    throw new ResourceFailure(`Invalid State ${state}; it must be ENABLED or DISABLED.`);
}

export function scheduleProvider(env: ProviderEnv) {
  const provision = (name: string, properties: Properties, context: ResourceContext) => {
    const group = stringProp(properties, "GroupName") ?? "default";
    if (group !== "default")
      throw new ResourceFailure("The local cloud has the default schedule group only.");
    return {
      physicalId: name,
      attributes: { Arn: `${arnPrefix(context, "scheduler")}:schedule/${group}/${name}` },
    };
  };
  return defineProvider("AWS::Scheduler::Schedule", {
    create(properties, context) {
      const name =
        stringProp(properties, "Name") ??
        generatedName(context, { maxLength: 64, random: env.random ?? randomChars });
      if (!/^[0-9a-zA-Z-_.]{1,64}$/.test(name))
        throw new ResourceFailure(`Invalid schedule name ${name}: 1-64 of letters, digits, - _ and .`);
      checkSchedule(properties, context);
      return provision(name, properties, context);
    },
    update(current, properties, context) {
      checkSchedule(properties, context);
      return provision(current.physicalId, properties, context);
    },
  });
}

/**
 * AWS::Events::EventBus and AWS::Events::Rule. Patterns are checked with EventBridge's own
 * pattern rules (model/event-pattern); targets must be what the local cloud delivers to (queues,
 * functions, buses). The region's EventBridge is rebuilt from them when the stack settles.
 */

import { validatePattern } from "../../../model/event-pattern/validate-pattern.ts";
import { undefinedPlaceholders } from "../../../model/input-transformer.ts";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  arnTail,
  constraintFailure,
  generatedName,
  jsonProp,
  numberProp,
  objectProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

export function eventBusProvider() {
  return defineProvider("AWS::Events::EventBus", {
    create(properties, context) {
      const name = requiredString(properties, "Name", context);
      if (!BUS_NAME.test(name))
        constraintFailure(
          name,
          "name",
          "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
        );
      if (name === "default") throw new ResourceFailure("Event bus default already exists.");
      // The API's pattern allows `/`, but only in partner event bus names (API_CreateEventBus).
      if (name.includes("/")) {
        throw new ResourceFailure(
          `Event bus name ${name} is not valid: custom event bus names can't contain the / character.`,
        );
      }
      if (stringProp(properties, "EventSourceName") !== undefined) {
        throw new ResourceFailure("The local cloud has no partner event sources (EventSourceName).");
      }
      return {
        physicalId: name,
        attributes: { Arn: `${arnPrefix(context, "events")}:event-bus/${name}`, Name: name },
      };
    },
    update: (current) => ({ physicalId: current.physicalId, attributes: current.attributes }),
  });
}

/** The physical name of the bus a rule names by name or ARN. */
export function ruleBusName(properties: Properties): string {
  const bus = stringProp(properties, "EventBusName");
  return bus === undefined || bus === "" ? "default" : arnTail(bus, ":event-bus/");
}

function checkRule(properties: Properties): void {
  if (stringProp(properties, "ScheduleExpression") !== undefined) {
    throw new ResourceFailure(
      "The local cloud runs scheduled rules through EventBridge Scheduler only (AWS::Scheduler::Schedule); ScheduleExpression is not supported.",
    );
  }
  const pattern = jsonProp(properties, "EventPattern");
  if (pattern === undefined)
    throw new ResourceFailure("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  const check = validatePattern(pattern);
  if (!check.valid) throw new ResourceFailure(`Event pattern is not valid. Reason: ${check.error.message}`);
  const state = stringProp(properties, "State") ?? "ENABLED";
  if (!["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"].includes(state)) {
    constraintFailure(
      state,
      "state",
      "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
    );
  }
  const targets = properties.Targets ?? [];
  if (!Array.isArray(targets)) throw new ResourceFailure("Property Targets must be a list.");
  if (targets.length > LIMITS.events.targetsPerRule.max) {
    throw new ResourceFailure(
      `The requested number of targets exceeds the limit of ${LIMITS.events.targetsPerRule.max} per rule.`,
    );
  }
  for (const target of targets as Properties[]) {
    const arn = stringProp(target, "Arn") ?? "";
    if (!/^arn:[^:]+:(sqs|lambda|events):/.test(arn)) {
      throw new ResourceFailure(
        `The local cloud delivers rule targets to SQS queues, Lambda functions and event buses only; target ${String(target.Id)} is ${arn}.`,
      );
    }
    checkInputTemplate(target);
    const retry = objectProp(target, "RetryPolicy") ?? {};
    const attempts = numberProp(retry, "MaximumRetryAttempts", () =>
      constraintFailure(retry.MaximumRetryAttempts, "maximumRetryAttempts", "Member must be a number"),
    );
    const { retryAttempts, eventAge } = LIMITS.events;
    if (
      attempts !== undefined &&
      (attempts < (retryAttempts.min ?? 0) || attempts > (retryAttempts.max ?? 185))
    ) {
      constraintFailure(
        attempts,
        "targets.member.retryPolicy.maximumRetryAttempts",
        `Member must have value between ${retryAttempts.min} and ${retryAttempts.max}`,
      );
    }
    const age = numberProp(retry, "MaximumEventAgeInSeconds", () =>
      constraintFailure(
        retry.MaximumEventAgeInSeconds,
        "maximumEventAgeInSeconds",
        "Member must be a number",
      ),
    );
    if (age !== undefined && (age < (eventAge.min ?? 60) || age > (eventAge.max ?? 86400))) {
      constraintFailure(
        age,
        "targets.member.retryPolicy.maximumEventAgeInSeconds",
        `Member must have value between ${eventAge.min} and ${eventAge.max}`,
      );
    }
  }
}

/** PutTargets refuses a template placeholder that InputPathsMap and the predefined variables leave undefined. */
function checkInputTemplate(target: Properties): void {
  const transformer = objectProp(target, "InputTransformer");
  const template = transformer === undefined ? undefined : stringProp(transformer, "InputTemplate");
  if (transformer === undefined || template === undefined) return;
  const unknown = undefinedPlaceholders(template, objectProp(transformer, "InputPathsMap") ?? {});
  if (unknown.length > 0) {
    throw new ResourceFailure(
      `InputTemplate for target ${String(target.Id)} contains placeholders not defined in InputPathsMap: ${unknown.map((n) => `<${n}>`).join(", ")}.`,
    );
  }
}

export function ruleProvider(env: ProviderEnv) {
  const provision = (name: string, properties: Properties, context: ResourceContext) => {
    const bus = ruleBusName(properties);
    const prefix = `${arnPrefix(context, "events")}:rule/`;
    const arn = bus === "default" ? `${prefix}${name}` : `${prefix}${bus}/${name}`;
    return {
      physicalId: bus === "default" ? name : `${bus}|${name}`,
      attributes: { Arn: arn, RuleName: name },
    };
  };
  return defineProvider("AWS::Events::Rule", {
    create(properties, context) {
      const name =
        stringProp(properties, "Name") ??
        generatedName(context, { maxLength: 64, random: env.random ?? randomChars });
      if (!RULE_NAME.test(name))
        constraintFailure(
          name,
          "name",
          "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
        );
      checkRule(properties);
      return provision(name, properties, context);
    },
    update(current, properties, context) {
      checkRule(properties);
      return provision(String(current.attributes.RuleName), properties, context);
    },
  });
}

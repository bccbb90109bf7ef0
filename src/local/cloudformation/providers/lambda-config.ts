/**
 * The Lambda resources around a function: AWS::Lambda::EventSourceMapping (SQS queues and
 * DynamoDB streams),
 * EventInvokeConfig, Permission, Version and Alias. Each is checked with Lambda's ranges; the
 * region's cloud reads them when the stack settles (consumes, async settings, provisioned
 * concurrency). Refs and attributes as the resource schemas and Lambda's ARNs give them.
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  constraintFailure,
  functionNameOf,
  numberProp,
  objectProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
  UPPER_ALNUM,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

function within(properties: Properties, key: string, field: string, row: { min?: number; max?: number }) {
  const value = numberProp(properties, key, () =>
    constraintFailure(properties[key], field, "Member must be a number"),
  );
  if (value === undefined) return undefined;
  if (row.min !== undefined && value < row.min) {
    constraintFailure(value, field, `Member must have value greater than or equal to ${row.min}`);
  }
  if (row.max !== undefined && value > row.max)
    constraintFailure(value, field, `Member must have value less than or equal to ${row.max}`);
  return value;
}

function invalidParameter(message: string): never {
  throw new ResourceFailure(`${message} (Service: Lambda, Status Code: 400, Request ID: ${randomUUID()})`);
}

export function eventSourceMappingProvider() {
  const check = (properties: Properties, context: ResourceContext) => {
    requiredString(properties, "FunctionName", context);
    const source = requiredString(properties, "EventSourceArn", context);
    checkFilters(properties);
    if (isStreamArn(source)) {
      checkStreamMapping(properties);
      return;
    }
    if (!source.startsWith("arn:") || source.split(":")[2] !== "sqs") {
      throw new ResourceFailure(
        `The local cloud runs event source mappings from SQS queues and DynamoDB streams only; ${source} is neither.`,
      );
    }
    const limits = LIMITS.eventSourceMapping;
    const fifo = source.endsWith(".fifo");
    const batch = within(
      properties,
      "BatchSize",
      "batchSize",
      fifo ? limits.fifoBatchSize : limits.batchSize,
    );
    const window = within(
      properties,
      "MaximumBatchingWindowInSeconds",
      "maximumBatchingWindowInSeconds",
      limits.maximumBatchingWindow,
    );
    if (batch !== undefined && batch > limits.batchSizeWithoutWindow.max && (window ?? 0) < 1) {
      invalidParameter(
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
      );
    }
    within(
      objectProp(properties, "ScalingConfig") ?? {},
      "MaximumConcurrency",
      "scalingConfig.maximumConcurrency",
      limits.maxConcurrency,
    );
  };
  return defineProvider("AWS::Lambda::EventSourceMapping", {
    create(properties, context) {
      check(properties, context);
      const id = randomUUID();
      return {
        physicalId: id,
        attributes: {
          Id: id,
          EventSourceMappingArn: `${arnPrefix(context, "lambda")}:event-source-mapping:${id}`,
        },
      };
    },
    update(current, properties, context) {
      check(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}

/** `arn:…:dynamodb:<region>:<account>:table/<name>/stream/<label>`, a DynamoDB stream's ARN. */
export function isStreamArn(arn: string): boolean {
  return /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\/.+$/.test(arn);
}

/** Lambda's ranges for a DynamoDB stream mapping (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html). */
function checkStreamMapping(properties: Properties): void {
  const limits = LIMITS.streamEventSourceMapping;
  const position = stringProp(properties, "StartingPosition");
  if (position === undefined) constraintFailure(null, "startingPosition", "Member must not be null");
  // DynamoDB streams start at TRIM_HORIZON or LATEST (AT_TIMESTAMP is Kinesis's); the wording is Sluice's.
  if (!["TRIM_HORIZON", "LATEST"].includes(position)) {
    constraintFailure(
      position,
      "startingPosition",
      "Member must satisfy enum value set: [TRIM_HORIZON, LATEST]",
    );
  }
  within(properties, "BatchSize", "batchSize", limits.batchSize);
  within(
    properties,
    "MaximumBatchingWindowInSeconds",
    "maximumBatchingWindowInSeconds",
    limits.maximumBatchingWindow,
  );
  within(properties, "MaximumRetryAttempts", "maximumRetryAttempts", limits.maximumRetryAttempts);
  within(properties, "ParallelizationFactor", "parallelizationFactor", limits.parallelizationFactor);
  within(properties, "TumblingWindowInSeconds", "tumblingWindowInSeconds", limits.tumblingWindow);
  const age = within(properties, "MaximumRecordAgeInSeconds", "maximumRecordAgeInSeconds", {
    min: -1,
    max: limits.maximumRecordAge.max,
  });
  // The API's range is -1 to 604,800, but Lambda refuses 0–59 (limits.ts).
  if (age !== undefined && age !== -1 && age < limits.maximumRecordAge.min) {
    constraintFailure(
      age,
      "maximumRecordAgeInSeconds",
      `Member must have value greater than or equal to ${limits.maximumRecordAge.min}`,
    );
  }
  const onFailure = objectProp(objectProp(properties, "DestinationConfig") ?? {}, "OnFailure");
  const destination = onFailure === undefined ? undefined : stringProp(onFailure, "Destination");
  if (destination !== undefined && !/^arn:[^:]+:(sqs|sns|s3):/.test(destination)) {
    invalidParameter(
      `The provided destination config DestinationConfig.OnFailure is invalid: ${destination} is not a queue, topic or bucket ARN.`,
    );
  }
}

/** FilterCriteria: at most the quota of filters, each an event pattern as JSON text. */
function checkFilters(properties: Properties): void {
  const criteria = objectProp(properties, "FilterCriteria");
  if (!criteria) return;
  const filters = criteria.Filters === undefined ? [] : criteria.Filters;
  if (!Array.isArray(filters))
    constraintFailure(JSON.stringify(filters), "filterCriteria.filters", "Member must be a list");
  const max = LIMITS.streamEventSourceMapping.filters.max;
  if (filters.length > max) {
    constraintFailure(
      filters.length,
      "filterCriteria.filters",
      `Member must have length less than or equal to ${max}`,
    );
  }
  for (const filter of filters) {
    const pattern =
      typeof filter === "object" && filter !== null ? (filter as Properties).Pattern : undefined;
    let parsed: unknown;
    try {
      parsed = typeof pattern === "string" ? JSON.parse(pattern) : undefined;
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      invalidParameter(`Invalid filter pattern definition. ${String(pattern)} is not a JSON object.`);
    }
  }
}

export function eventInvokeConfigProvider() {
  const check = (properties: Properties, context: ResourceContext) => {
    const fn = requiredString(properties, "FunctionName", context);
    const qualifier = requiredString(properties, "Qualifier", context);
    within(properties, "MaximumRetryAttempts", "maximumRetryAttempts", LIMITS.lambda.asyncRetryAttempts);
    within(properties, "MaximumEventAgeInSeconds", "maximumEventAgeInSeconds", LIMITS.lambda.asyncEventAge);
    const destinations = objectProp(properties, "DestinationConfig") ?? {};
    for (const key of ["OnSuccess", "OnFailure"]) {
      const destination = objectProp(destinations, key);
      const arn = destination === undefined ? undefined : stringProp(destination, "Destination");
      if (arn !== undefined && !/^arn:[^:]+:(sqs|lambda|events|sns):/.test(arn)) {
        invalidParameter(
          `The provided destination config DestinationConfig.${key} is invalid: ${arn} is not a queue, function, bus or topic ARN.`,
        );
      }
    }
    return `${functionNameOf(fn).name}|${qualifier}`;
  };
  return defineProvider("AWS::Lambda::EventInvokeConfig", {
    create: (properties, context) => ({ physicalId: check(properties, context), attributes: {} }),
    update: (current, properties, context) => {
      check(properties, context);
      return { physicalId: current.physicalId, attributes: {} };
    },
  });
}

export function permissionProvider(env: ProviderEnv) {
  return defineProvider("AWS::Lambda::Permission", {
    create(properties, context) {
      const fn = requiredString(properties, "FunctionName", context);
      requiredString(properties, "Action", context);
      requiredString(properties, "Principal", context);
      const id = `${context.stackName}-${context.logicalId}-${(env.random ?? randomChars)(12, UPPER_ALNUM)}`;
      return { physicalId: `${functionNameOf(fn).name}|${id}`, attributes: { Id: id } };
    },
    update: (current) => ({ physicalId: current.physicalId, attributes: current.attributes }),
  });
}

/** Published version numbers per function, which Lambda never reuses. */
export interface VersionCounter {
  next(region: string, functionName: string): number;
}

export function versionProvider(versions: VersionCounter) {
  return defineProvider("AWS::Lambda::Version", {
    create(properties, context) {
      const { name } = functionNameOf(requiredString(properties, "FunctionName", context));
      const version = String(versions.next(context.region, name));
      const arn = `${arnPrefix(context, "lambda")}:function:${name}:${version}`;
      return { physicalId: arn, attributes: { Version: version, FunctionArn: arn } };
    },
    update: (current) => ({ physicalId: current.physicalId, attributes: current.attributes }),
  });
}

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;

export function aliasProvider() {
  const provision = (properties: Properties, context: ResourceContext) => {
    const { name: fn } = functionNameOf(requiredString(properties, "FunctionName", context));
    const name = requiredString(properties, "Name", context);
    requiredString(properties, "FunctionVersion", context);
    if (!ALIAS_NAME.test(name))
      constraintFailure(
        name,
        "name",
        "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
      );
    const provisioned = objectProp(properties, "ProvisionedConcurrencyConfig");
    if (provisioned) {
      within(provisioned, "ProvisionedConcurrentExecutions", "provisionedConcurrentExecutions", {
        min: 1,
        max: LIMITS.lambda.reservedConcurrency.max,
      });
    }
    const arn = `${arnPrefix(context, "lambda")}:function:${fn}:${name}`;
    return { physicalId: arn, attributes: { AliasArn: arn } };
  };
  return defineProvider("AWS::Lambda::Alias", {
    create: provision,
    update: (_current, properties, context) => provision(properties, context),
  });
}

export function scalableTargetProvider() {
  const provision = (properties: Properties, context: ResourceContext) => {
    const namespace = requiredString(properties, "ServiceNamespace", context);
    const dimension = requiredString(properties, "ScalableDimension", context);
    const resourceId = requiredString(properties, "ResourceId", context);
    // A server fleet's ECS service (issue 19): kept; its tasks are not simulated.
    const ecs = namespace === "ecs" && dimension === "ecs:service:DesiredCount";
    if (!ecs && (namespace !== "lambda" || dimension !== "lambda:function:ProvisionedConcurrency")) {
      throw new ResourceFailure(
        `The local cloud scales Lambda provisioned concurrency (ServiceNamespace lambda, ScalableDimension lambda:function:ProvisionedConcurrency) and ECS services' desired count (ecs, ecs:service:DesiredCount) only; got ${namespace} ${dimension}.`,
      );
    }
    // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (ResourceId)
    if (ecs ? !/^service\/[^/]+\/[^/]+$/.test(resourceId) : !/^function:[^:]+:[^:]+$/.test(resourceId)) {
      invalidParameter(
        `Unsupported resource ID ${resourceId}; expected ${ecs ? "service/<cluster>/<service>" : "function:<name>:<alias>"}.`,
      );
    }
    const min = within(properties, "MinCapacity", "minCapacity", { min: 0 });
    const max = within(properties, "MaxCapacity", "maxCapacity", { min: 0 });
    if (min !== undefined && max !== undefined && min > max) {
      throw new ResourceFailure("Minimum capacity cannot be greater than maximum capacity");
    }
    const id = `${resourceId}|${dimension}|${namespace}`;
    return { physicalId: id, attributes: { Id: id } };
  };
  return defineProvider("AWS::ApplicationAutoScaling::ScalableTarget", {
    create: provision,
    update: (_current, properties, context) => provision(properties, context),
  });
}

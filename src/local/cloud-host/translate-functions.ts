/**
 * Queues and functions of a region's deployed stacks as the AppSpec the local cloud runs: queue
 * attributes with CloudFormation's defaults, and each function with its event source mapping,
 * asynchronous invocation settings, concurrency and the inline policy of its execution role.
 */
import type {
  AsyncInvokeSpec,
  ConsumesSpec,
  FunctionSpec,
  PermissionSpec,
  QueueSpec,
  Runtime,
} from "../../model/app-spec.ts";
import type { PolicyDocument } from "../../model/iam/function-grants.ts";
import { LIMITS } from "../../model/limits.ts";
import type { ProvisionedConcurrencySpec } from "../../model/schedule/spec.ts";
import { CODE_DIRECTORY_ATTRIBUTE, handlerFile } from "../cloudformation/index.ts";
import type { FunctionCode } from "../lambda/index.ts";
import {
  type DeployedResource,
  json,
  list,
  num,
  obj,
  type ResourceIndex,
  str,
} from "./deployed-resources.ts";
import { consumesTableOf, isStreamMapping, mappingFilters } from "./translate-tables.ts";

export function translateQueues(index: ResourceIndex): Record<string, QueueSpec> {
  const queues: Record<string, QueueSpec> = {};
  const sqs = LIMITS.sqs;
  for (const resource of index.of("AWS::SQS::Queue")) {
    const p = resource.properties;
    const name = String(resource.attributes.QueueName);
    const fifo = p.FifoQueue === true || p.FifoQueue === "true";
    const redrive = json(p.RedrivePolicy);
    const deadLetter = str(redrive.deadLetterTargetArn);
    const dlq = deadLetter === undefined ? undefined : index.queueName(deadLetter);
    if (deadLetter !== undefined && dlq === undefined) {
      index.notes.push(`queue ${name}: its dead-letter queue ${deadLetter} is not deployed in this region`);
    }
    queues[name] = {
      name,
      queueName: name,
      fifo,
      visibilityTimeoutSeconds: num(p.VisibilityTimeout, sqs.visibilityTimeout.default),
      delaySeconds: num(p.DelaySeconds, sqs.delaySeconds.default),
      retentionSeconds: num(p.MessageRetentionPeriod, sqs.messageRetentionPeriod.default),
      maxMessageSize: num(p.MaximumMessageSize, sqs.maximumMessageSize.default),
      receiveWaitTimeSeconds: num(p.ReceiveMessageWaitTimeSeconds, sqs.receiveMessageWaitTime.default),
      contentBasedDeduplication:
        p.ContentBasedDeduplication === true || p.ContentBasedDeduplication === "true",
      ...(dlq === undefined
        ? {}
        : { deadLetter: { queue: dlq, maxReceiveCount: num(redrive.maxReceiveCount, 1) } }),
      generated: false,
    };
  }
  return queues;
}

export interface TranslatedFunctions {
  readonly functions: Record<string, FunctionSpec>;
  readonly code: Map<string, FunctionCode>;
}

export function translateFunctions(index: ResourceIndex): TranslatedFunctions {
  const functions: Record<string, FunctionSpec> = {};
  const code = new Map<string, FunctionCode>();
  for (const resource of index.of("AWS::Lambda::Function")) {
    const p = resource.properties;
    const name = resource.physicalId;
    const handler = str(p.Handler) ?? "index.handler";
    const dot = handler.lastIndexOf(".");
    const mapping = mappingOf(index, name);
    const consumes = mapping && !isStreamMapping(mapping) ? consumesOf(index, name, mapping) : undefined;
    const consumesTable =
      mapping && isStreamMapping(mapping) ? consumesTableOf(index, name, mapping) : undefined;
    const asyncSpec = asyncOf(index, resource);
    const permissions = rolePermissions(index, str(p.Role));
    const provisioned = provisionedOf(index, name);
    const reserved = p.ReservedConcurrentExecutions;
    const environment = Object.fromEntries(
      Object.entries(obj(obj(p.Environment).Variables)).map(([k, v]) => [k, String(v)]),
    );
    functions[name] = {
      name,
      functionName: name,
      handler: {
        module: dot < 0 ? handler : handler.slice(0, dot),
        export: dot < 0 ? "handler" : handler.slice(dot + 1),
      },
      runtime: (str(p.Runtime) ?? LIMITS.lambda.runtime.default) as Runtime,
      memorySize: num(p.MemorySize, LIMITS.lambda.memorySize.default),
      timeoutSeconds: num(p.Timeout, LIMITS.lambda.timeout.default),
      environment,
      ...(reserved === undefined ? {} : { reservedConcurrency: num(reserved, 0) }),
      ...(str(p.Description) ? { description: str(p.Description) as string } : {}),
      ...(consumes ? { consumes } : {}),
      ...(consumesTable ? { consumesTable } : {}),
      // Deployed bundles route through the AWS SDK themselves; the host's router has nothing to do.
      routes: { kind: "none" },
      ...(permissions.length > 0 ? { permissions } : {}),
      ...(asyncSpec ? { async: asyncSpec } : {}),
      ...(provisioned ? { provisionedConcurrency: provisioned } : {}),
    };
    const dir = str(resource.attributes[CODE_DIRECTORY_ATTRIBUTE]);
    if (dir !== undefined) code.set(name, { ...handlerFile(dir, handler), transport: "aws" });
  }
  return { functions, code };
}

/** The function's one enabled event source mapping (a queue's or a stream's). */
function mappingOf(index: ResourceIndex, fn: string): DeployedResource | undefined {
  const mappings = index
    .of("AWS::Lambda::EventSourceMapping")
    .filter((m) => index.functionName(String(m.properties.FunctionName ?? "")) === fn)
    .filter((m) => m.properties.Enabled !== false && m.properties.Enabled !== "false");
  if (mappings.length > 1) {
    index.notes.push(
      `function ${fn}: the local cloud runs one event source mapping per function; only ${mappings[0]?.logicalId} runs`,
    );
  }
  return mappings[0];
}

function consumesOf(index: ResourceIndex, fn: string, mapping: DeployedResource): ConsumesSpec | undefined {
  const p = mapping.properties;
  const queue = index.queueName(String(p.EventSourceArn ?? ""));
  if (queue === undefined) {
    index.notes.push(
      `function ${fn}: event source ${String(p.EventSourceArn)} is not a queue deployed in this region`,
    );
    return undefined;
  }
  const maxConcurrency = obj(p.ScalingConfig).MaximumConcurrency;
  const filters = mappingFilters(mapping);
  return {
    queue,
    batchSize: num(p.BatchSize, LIMITS.eventSourceMapping.batchSize.default),
    maximumBatchingWindowSeconds: num(p.MaximumBatchingWindowInSeconds, 0),
    ...(maxConcurrency === undefined ? {} : { maxConcurrency: num(maxConcurrency, 2) }),
    reportBatchItemFailures: list(p.FunctionResponseTypes).includes("ReportBatchItemFailures"),
    ...(filters ? { filters } : {}),
  };
}

function asyncOf(index: ResourceIndex, fn: DeployedResource): AsyncInvokeSpec | undefined {
  const config = index
    .of("AWS::Lambda::EventInvokeConfig")
    .find((c) => index.functionName(String(c.properties.FunctionName ?? "")) === fn.physicalId);
  const dlqArn = str(obj(fn.properties.DeadLetterConfig).TargetArn);
  if (!config && dlqArn === undefined) return undefined;
  const p = config?.properties ?? {};
  const destination = (key: string): string | undefined => {
    const arn = str(obj(obj(obj(p.DestinationConfig)[key])).Destination);
    if (arn === undefined) return undefined;
    const target = index.target(arn);
    if (!target)
      index.notes.push(`function ${fn.physicalId}: destination ${arn} is not deployed in this region`);
    return target?.name;
  };
  const onSuccess = destination("OnSuccess");
  const onFailure = destination("OnFailure");
  const deadLetterQueue = dlqArn === undefined ? undefined : index.queueName(dlqArn);
  return {
    maximumRetryAttempts: num(p.MaximumRetryAttempts, LIMITS.lambda.asyncRetryAttempts.default),
    maximumEventAgeSeconds: num(p.MaximumEventAgeInSeconds, LIMITS.lambda.asyncEventAge.default),
    ...(onSuccess === undefined ? {} : { onSuccess }),
    ...(onFailure === undefined ? {} : { onFailure }),
    ...(deadLetterQueue === undefined ? {} : { deadLetterQueue }),
  };
}

const rolePolicies = new WeakMap<FunctionSpec, PolicyDocument>();

/**
 * A deployed function's execution role as a policy: the Allow statements of its inline policies,
 * exactly, without what Sluice's own definitions imply. Lambda acts with it for the function
 * (writing its logs), so what the role does not allow does not happen.
 */
export function executionRolePolicy(fn: FunctionSpec): PolicyDocument {
  let policy = rolePolicies.get(fn);
  if (!policy) {
    policy = {
      Version: "2012-10-17",
      Statement: (fn.permissions ?? []).map((p, index) => ({
        Sid: `Role${index + 1}`,
        Effect: "Allow",
        Action: [...p.actions],
        Resource: [...p.resources],
      })),
    };
    rolePolicies.set(fn, policy);
  }
  return policy;
}

/** The Allow statements of the role's inline policies, as the IAM guard reads permissions. */
function rolePermissions(index: ResourceIndex, roleArn: string | undefined): PermissionSpec[] {
  const role = index.of("AWS::IAM::Role").find((r) => r.attributes.Arn === roleArn);
  if (!role) return [];
  const permissions: PermissionSpec[] = [];
  for (const policy of list(role.properties.Policies)) {
    for (const statement of list(json(obj(policy).PolicyDocument).Statement)) {
      const s = obj(statement);
      if (s.Effect !== "Allow" || s.Action === undefined || s.Resource === undefined) continue;
      permissions.push({ actions: list(s.Action).map(String), resources: list(s.Resource).map(String) });
    }
  }
  for (const arn of list(role.properties.ManagedPolicyArns).map(String)) {
    const name = arn.slice(arn.lastIndexOf("/") + 1);
    const known = Object.hasOwn(MANAGED_POLICIES, name) ? MANAGED_POLICIES[name] : undefined;
    if (known && arn.includes(":iam::aws:policy/")) permissions.push(...known);
    else
      index.notes.push(
        `role ${role.physicalId}: the managed policy ${arn} is not read; only its inline policies are`,
      );
  }
  return permissions;
}

/**
 * AWS managed policies the local cloud reads, by name. AWSLambdaBasicExecutionRole:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
 */
const MANAGED_POLICIES: Readonly<Record<string, readonly PermissionSpec[]>> = {
  AWSLambdaBasicExecutionRole: [
    { actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], resources: ["*"] },
  ],
};

function provisionedOf(index: ResourceIndex, fn: string): ProvisionedConcurrencySpec | undefined {
  for (const target of index.of("AWS::ApplicationAutoScaling::ScalableTarget")) {
    const resourceId = String(target.properties.ResourceId ?? "");
    if (resourceId.split(":")[1] !== fn) continue;
    const actions = list(target.properties.ScheduledActions).map((a) => {
      const action = obj(a);
      const scaling = obj(action.ScalableTargetAction);
      return {
        expression: String(action.Schedule),
        capacity: num(scaling.MinCapacity ?? scaling.MaxCapacity, 0),
        timezone: str(action.Timezone) ?? "UTC",
      };
    });
    if (actions.length > 0) return { kind: "scheduled", actions };
    const capacity = num(target.properties.MinCapacity, 0);
    if (capacity > 0) return { kind: "fixed", capacity };
  }
  for (const alias of index.of("AWS::Lambda::Alias")) {
    if (index.functionName(String(alias.properties.FunctionName ?? "")) !== fn) continue;
    const config = obj(alias.properties.ProvisionedConcurrencyConfig);
    if (config.ProvisionedConcurrentExecutions !== undefined) {
      return { kind: "fixed", capacity: num(config.ProvisionedConcurrentExecutions, 0) };
    }
  }
  return undefined;
}

/**
 * Resource discovery: the environment variables that tell a function where the resources it is
 * linked to live, named by `discoveryVariable` (`SLUICE_QUEUE_<NAME>_URL` and `_ARN`,
 * `SLUICE_FUNCTION_<NAME>_NAME` and `_ARN`, `SLUICE_BUS_<NAME>_NAME` and `_ARN`, `bus:default`
 * included, `SLUICE_TABLE_<NAME>_NAME` and `_ARN`, `SLUICE_BUCKET_<NAME>_NAME` and `_ARN`,
 * `SLUICE_STATE_MACHINE_<NAME>_ARN` for a machine it routes to or has permissions on). A
 * function is linked to what its grants name: the queue or table it consumes, what it may route
 * to, and the queues, functions, buses, tables and buckets its `permissions` name (a bucket that
 * notifies a function does not link it: S3, not the function's code, calls the function) (not its async or stream failure destinations: Lambda, not its
 * code, sends to those).
 * Locally queue URLs point at the endpoint; after deploy the template sets the same variables.
 */
import type { AppSpec, FunctionSpec, QueueSpec } from "./app-spec.ts";
import { DEFAULT_BUS, eventBusArn, physicalBusName } from "./events.ts";
import { functionGrants } from "./iam/function-grants.ts";
import {
  bucketArn,
  discoveryVariable,
  functionArn,
  queueArn,
  resourcePrefix,
  stateMachineArn,
  tableArn,
} from "./naming.ts";

export interface LinkedResources {
  /** Definition names of queues. */
  readonly queues: readonly string[];
  /** Definition names of functions. */
  readonly functions: readonly string[];
  /** Definition names of EventBridge buses; absent when none. */
  readonly buses?: readonly string[];
  /** Definition names of DynamoDB tables; absent when none. */
  readonly tables?: readonly string[];
  /** Definition names of S3 buckets; absent when none. */
  readonly buckets?: readonly string[];
  /** Definition names of Step Functions state machines; absent when none. */
  readonly stateMachines?: readonly string[];
}

export function linkedResources(spec: AppSpec, fn: FunctionSpec): LinkedResources {
  const queues = new Set<string>();
  const functions = new Set<string>();
  const buses = new Set<string>();
  const tables = new Set<string>();
  const buckets = new Set<string>();
  const stateMachines = new Set<string>();
  for (const grant of functionGrants(spec, fn)) {
    if (grant.byLambda) continue;
    for (const resource of grant.resources) {
      if (resource.kind === "queue" && spec.queues[resource.name]) queues.add(resource.name);
      if (resource.kind === "function" && spec.functions[resource.name]) functions.add(resource.name);
      // The account's default bus is not the app's to declare, but a function may still name it.
      if (resource.kind === "bus" && (resource.name === DEFAULT_BUS || spec.events?.buses[resource.name]))
        buses.add(resource.name);
      if ((resource.kind === "table" || resource.kind === "tableStream") && spec.tables?.[resource.name])
        tables.add(resource.name);
      if ((resource.kind === "bucket" || resource.kind === "bucketObjects") && spec.buckets?.[resource.name])
        buckets.add(resource.name);
      if (
        (resource.kind === "stateMachine" || resource.kind === "stateMachineExecutions") &&
        spec.stateMachines?.[resource.name]
      )
        stateMachines.add(resource.name);
    }
  }
  return {
    queues: [...queues],
    functions: [...functions],
    ...(buses.size > 0 ? { buses: [...buses] } : {}),
    ...(tables.size > 0 ? { tables: [...tables] } : {}),
    ...(buckets.size > 0 ? { buckets: [...buckets] } : {}),
    ...(stateMachines.size > 0 ? { stateMachines: [...stateMachines] } : {}),
  };
}

/** The discovery variables of `fn`; `queueUrl` builds a queue's URL where it is served. */
export function resourceVariables(
  spec: AppSpec,
  fn: FunctionSpec,
  queueUrl: (queue: QueueSpec) => string,
): Record<string, string> {
  const variables: Record<string, string> = {};
  const linked = linkedResources(spec, fn);
  for (const name of linked.queues) {
    const queue = spec.queues[name];
    if (!queue) continue;
    variables[discoveryVariable("QUEUE_URL", name)] = queueUrl(queue);
    variables[discoveryVariable("QUEUE_ARN", name)] = queueArn(spec, queue);
  }
  for (const name of linked.functions) {
    const target = spec.functions[name];
    if (!target) continue;
    variables[discoveryVariable("FUNCTION_NAME", name)] = target.functionName;
    variables[discoveryVariable("FUNCTION_ARN", name)] = functionArn(spec, target);
  }
  for (const name of linked.buses ?? []) {
    variables[discoveryVariable("BUS_NAME", name)] = physicalBusName(resourcePrefix(spec), name);
    variables[discoveryVariable("BUS_ARN", name)] = eventBusArn(spec, name);
  }
  for (const name of linked.tables ?? []) {
    const table = spec.tables?.[name];
    if (!table) continue;
    variables[discoveryVariable("TABLE_NAME", name)] = table.tableName;
    variables[discoveryVariable("TABLE_ARN", name)] = tableArn(spec, table);
  }
  for (const name of linked.buckets ?? []) {
    const bucket = spec.buckets?.[name];
    if (!bucket) continue;
    variables[discoveryVariable("BUCKET_NAME", name)] = bucket.bucketName;
    variables[discoveryVariable("BUCKET_ARN", name)] = bucketArn(spec, bucket);
  }
  for (const name of linked.stateMachines ?? []) {
    if (spec.stateMachines?.[name])
      variables[discoveryVariable("STATE_MACHINE_ARN", name)] = stateMachineArn(spec, name);
  }
  return variables;
}

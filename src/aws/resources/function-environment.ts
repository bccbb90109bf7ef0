/**
 * A function's environment on AWS: its own variables plus the discovery variables of every
 * resource it is linked to (`model/resource-variables.ts` decides which, for `dev` and deploy
 * alike), here as references the stack resolves.
 */
import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { physicalBusName } from "../../model/events.ts";
import {
  bucketArnOf,
  discoveryVariable,
  partition,
  physicalBucketName,
  physicalStateMachineName,
  physicalTableName,
  resourcePrefix,
  stateMachineArnOf,
  urlSuffix,
} from "../../model/naming.ts";
import { linkedResources } from "../../model/resource-variables.ts";
import type { TemplateValue } from "../template/template.ts";
import {
  bucketArnValue,
  bucketNameValue,
  busArnValue,
  functionArnValue,
  physicalName,
  queueArnValue,
  queueUrlValue,
  stateMachineArnValue,
  tableArnValue,
  tableNameValue,
} from "./references.ts";

export function functionEnvironment(spec: AppSpec, fn: FunctionSpec): Record<string, TemplateValue> {
  const linked = linkedResources(spec, fn);
  const variables: Record<string, TemplateValue> = { ...fn.environment };
  for (const queue of linked.queues) {
    variables[discoveryVariable("QUEUE_URL", queue)] = queueUrlValue(queue);
    variables[discoveryVariable("QUEUE_ARN", queue)] = queueArnValue(queue);
  }
  for (const target of linked.functions) {
    variables[discoveryVariable("FUNCTION_NAME", target)] = physicalName(spec, target);
    variables[discoveryVariable("FUNCTION_ARN", target)] = functionArnValue(spec, target);
  }
  for (const bus of linked.buses ?? []) {
    variables[discoveryVariable("BUS_NAME", bus)] = physicalBusName(resourcePrefix(spec), bus);
    variables[discoveryVariable("BUS_ARN", bus)] = busArnValue(bus);
  }
  for (const table of linked.tables ?? []) {
    variables[discoveryVariable("TABLE_NAME", table)] = tableNameValue(spec, table);
    variables[discoveryVariable("TABLE_ARN", table)] = tableArnValue(spec, table);
  }
  // Written out, not a Ref: a bucket waits for the functions it notifies (bucket.ts).
  for (const bucket of linked.buckets ?? []) {
    variables[discoveryVariable("BUCKET_NAME", bucket)] = bucketNameValue(spec, bucket);
    variables[discoveryVariable("BUCKET_ARN", bucket)] = bucketArnValue(spec, bucket);
  }
  // Written out, not a Ref: the machine may invoke this very function (references.ts).
  for (const machine of linked.stateMachines ?? []) {
    variables[discoveryVariable("STATE_MACHINE_ARN", machine)] = stateMachineArnValue(spec, machine);
  }
  return variables;
}

/**
 * The environment's size once deployed, as Lambda counts it (keys and values), with each
 * reference replaced by the value it takes in the app's region and a 12-digit account.
 */
export function estimatedEnvironmentBytes(spec: AppSpec, fn: FunctionSpec): number {
  const linked = linkedResources(spec, fn);
  const arnPartition = partition(spec.region);
  const suffix = urlSuffix(spec.region);
  const account = "123456789012";
  let bytes = 0;
  const add = (key: string, value: string) => {
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  };
  for (const [key, value] of Object.entries(fn.environment)) add(key, value);
  for (const name of linked.queues) {
    const queueName = spec.queues[name]?.queueName ?? name;
    add(discoveryVariable("QUEUE_URL", name), `https://sqs.${spec.region}.${suffix}/${account}/${queueName}`);
    add(
      discoveryVariable("QUEUE_ARN", name),
      `arn:${arnPartition}:sqs:${spec.region}:${account}:${queueName}`,
    );
  }
  for (const name of linked.functions) {
    const functionName = physicalName(spec, name);
    add(discoveryVariable("FUNCTION_NAME", name), functionName);
    add(
      discoveryVariable("FUNCTION_ARN", name),
      `arn:${arnPartition}:lambda:${spec.region}:${account}:function:${functionName}`,
    );
  }
  for (const name of linked.buses ?? []) {
    const busName = physicalBusName(resourcePrefix(spec), name);
    add(discoveryVariable("BUS_NAME", name), busName);
    add(
      discoveryVariable("BUS_ARN", name),
      `arn:${arnPartition}:events:${spec.region}:${account}:event-bus/${busName}`,
    );
  }
  for (const name of linked.tables ?? []) {
    const tableName = spec.tables?.[name]?.tableName ?? physicalTableName(resourcePrefix(spec), name);
    add(discoveryVariable("TABLE_NAME", name), tableName);
    add(
      discoveryVariable("TABLE_ARN", name),
      `arn:${arnPartition}:dynamodb:${spec.region}:${account}:table/${tableName}`,
    );
  }
  for (const name of linked.buckets ?? []) {
    const bucketName = physicalBucketName({ ...spec, accountId: account }, name);
    add(discoveryVariable("BUCKET_NAME", name), bucketName);
    add(discoveryVariable("BUCKET_ARN", name), bucketArnOf(spec.region, bucketName));
  }
  for (const name of linked.stateMachines ?? []) {
    const machineName =
      spec.stateMachines?.[name]?.stateMachineName ?? physicalStateMachineName(resourcePrefix(spec), name);
    add(discoveryVariable("STATE_MACHINE_ARN", name), stateMachineArnOf(spec.region, account, machineName));
  }
  return bytes;
}

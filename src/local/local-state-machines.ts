/**
 * The state machines a LocalCloud runs: each of the spec's machines with its document resolved
 * (model `resolveDefinition`) to this cloud's names, as the engine takes them. Where a task names a
 * function, bus or state machine it gets that resource's ARN, a queue its URL, a table or bucket its
 * physical name: what Step Functions' integrations take in those fields.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-parameters.html
 */
import type { AppSpec } from "../model/app-spec.ts";
import { eventBusArn } from "../model/events.ts";
import { functionArn, partition, queueUrl, stateMachineArn, urlSuffix } from "../model/naming.ts";
import {
  resolveDefinition,
  type StateMachineReference,
  type StateMachineSpec,
} from "../model/state-machines.ts";
import type { LocalStateMachine } from "./stepfunctions/index.ts";

/**
 * @param endpointUrl the local endpoint queue URLs point at; without one, AWS's own queue URL form
 * (`https://sqs.<region>.<suffix>/<account>/<name>`), which the local SQS reads the same way.
 */
export function localStateMachines(spec: AppSpec, endpointUrl: string | undefined): LocalStateMachine[] {
  const base = endpointUrl ?? `https://sqs.${spec.region}.${urlSuffix(spec.region)}`;
  return Object.values(spec.stateMachines ?? {}).map((machine) => ({
    name: machine.name,
    stateMachineName: machine.stateMachineName,
    arn: stateMachineArn(spec, machine),
    type: machine.type,
    roleArn: stateMachineRoleArn(spec, machine),
    definition: resolveDefinition(machine, (reference) => resolved(spec, base, reference)),
    logging: machine.logging,
  }));
}

function resolved(spec: AppSpec, base: string, reference: StateMachineReference): string {
  switch (reference.kind) {
    case "function":
      return functionArn(spec, reference.name);
    case "queue":
      return queueUrl(base, spec, reference.name);
    case "bus":
      return eventBusArn(spec, reference.name);
    case "table":
      return spec.tables?.[reference.name]?.tableName ?? reference.name;
    case "bucket":
      return spec.buckets?.[reference.name]?.bucketName ?? reference.name;
    case "stateMachine":
      return stateMachineArn(spec, reference.name);
  }
}

/**
 * The role the machine runs as (the Context object's Execution.RoleArn): `<stateMachineName>-role`,
 * a stable local name for the role synth creates (CloudFormation names that one). Locally the engine
 * reports it and checks nothing against it.
 */
function stateMachineRoleArn(spec: AppSpec, machine: StateMachineSpec): string {
  return `arn:${partition(spec.region)}:iam::${spec.accountId}:role/${machine.stateMachineName}-role`;
}

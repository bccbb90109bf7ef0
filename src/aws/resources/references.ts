/** How generated resources refer to each other, chosen so no two functions depend on each other. */
import type { AppSpec } from "../../model/app-spec.ts";
import { DEFAULT_BUS } from "../../model/events.ts";
import { connectionsResourcePath, type GrantResource } from "../../model/iam/function-grants.ts";
import {
  bucketNameStem,
  logGroupName,
  physicalStateMachineName,
  physicalTableName,
  resourcePrefix,
} from "../../model/naming.ts";
import { arn, getAtt, ref, sub } from "../template/intrinsics.ts";
import { API_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";

/** A bus of the app (by its generated resource), or the account's default bus. */
export function busArnValue(bus: string): TemplateValue {
  return bus === DEFAULT_BUS ? arn("events", "event-bus/default") : getAtt(logicalId("eventBus", bus), "Arn");
}

export function queueArnValue(name: string): TemplateValue {
  return getAtt(logicalId("queue", name), "Arn");
}

/**
 * A table of the app by its generated resource; `suffix` names its indexes or streams (`/index/*`).
 * A global table is no resource of the regional stack (global-table.ts): its replica in the
 * stack's region is named by its physical name, the same in every region, so `${AWS::Region}`
 * makes each region's role reach its own replica only.
 */
export function tableArnValue(spec: AppSpec, name: string, suffix = ""): TemplateValue {
  const table = spec.tables?.[name];
  if (!table || table.global)
    return arn(
      "dynamodb",
      `table/${table?.tableName ?? physicalTableName(resourcePrefix(spec), name)}${suffix}`,
    );
  const id = logicalId("table", name);
  return suffix === "" ? getAtt(id, "Arn") : sub(`\${${id}.Arn}${suffix}`);
}

/**
 * A bucket's physical name as the template writes it: the name `sluice dev` uses
 * (naming.ts physicalBucketName, `…-<accountId>-<region>`), with the account and region as
 * `${AWS::AccountId}` and `${AWS::Region}`, so the template says where it belongs and nothing has
 * to `Ref` the bucket to know its name. Functions read the name, and the bucket waits for the
 * permissions of the functions it notifies (bucket.ts): a `Ref` would make that a cycle.
 */
export function bucketNameValue(spec: AppSpec, name: string): TemplateValue {
  return sub(bucketNameText(spec, name));
}

/** `arn:${AWS::Partition}:s3:::<bucket><suffix>`: S3 ARNs name no region and no account. */
export function bucketArnValue(spec: AppSpec, name: string, suffix = ""): TemplateValue {
  return sub(`arn:\${AWS::Partition}:s3:::${bucketNameText(spec, name)}${suffix}`);
}

/**
 * The `Fn::Sub` text of a bucket's name (see bucketNameValue): physicalBucketName's stem, whose
 * digest (when cut to S3's 63 characters) leaves the account out for this very use.
 */
function bucketNameText(spec: AppSpec, name: string): string {
  return `${bucketNameStem(spec, name)}-\${AWS::AccountId}-\${AWS::Region}`;
}

/** A table's physical name: a `Ref` to the regional stack's table, the name itself for a global table. */
export function tableNameValue(spec: AppSpec, name: string): TemplateValue {
  const table = spec.tables?.[name];
  if (table?.global) return table.tableName;
  return ref(logicalId("table", name));
}

export function queueUrlValue(name: string): TemplateValue {
  return ref(logicalId("queue", name));
}

/**
 * A function's ARN built from its physical name, not `Fn::GetAtt`: two functions that route to
 * each other would otherwise depend on each other through their roles and environments.
 */
export function functionArnValue(spec: AppSpec, name: string): TemplateValue {
  return arn("lambda", `function:${physicalName(spec, name)}`);
}

/**
 * A state machine's ARN from its physical name, not a `Ref`: the machine names the functions its
 * tasks invoke and a function may start the machine, so references each way would be a cycle.
 */
export function stateMachineArnValue(spec: AppSpec, name: string, resource = "stateMachine"): TemplateValue {
  const machine = spec.stateMachines?.[name];
  const physical = machine?.stateMachineName ?? physicalStateMachineName(resourcePrefix(spec), name);
  return arn(
    "states",
    resource === "stateMachine" ? `stateMachine:${physical}` : `${resource}:${physical}:*`,
  );
}

export function physicalName(spec: AppSpec, name: string): string {
  const fn = spec.functions[name];
  return fn ? fn.functionName : `${resourcePrefix(spec)}-${name}`;
}

/** The group and its streams (`log-group:NAME:*`): what CreateLogStream and PutLogEvents act on. */
function logGroupArnValue(spec: AppSpec, functionName: string): TemplateValue {
  const fn = spec.functions[functionName];
  const group = fn ? logGroupName(fn) : `/aws/lambda/${resourcePrefix(spec)}-${functionName}`;
  return arn("logs", `log-group:${group}:*`);
}

/**
 * What a grant's resource is in the template. A function also stands for its qualified ARNs
 * (versions and aliases), as the local IAM check reads the same grant.
 */
export function grantResourceValues(spec: AppSpec, resource: GrantResource): TemplateValue[] {
  switch (resource.kind) {
    case "queue":
      return [queueArnValue(resource.name)];
    case "function":
      return [
        functionArnValue(spec, resource.name),
        arn("lambda", `function:${physicalName(spec, resource.name)}:*`),
      ];
    case "bus":
      return [busArnValue(resource.name)];
    // The table and its indexes; its streams (`…/stream/*`, as DynamoDB's example policy for a
    // stream-driven function names them), so a new stream label needs no new role.
    case "table":
      return [tableArnValue(spec, resource.name), tableArnValue(spec, resource.name, "/index/*")];
    case "tableStream":
      return [tableArnValue(spec, resource.name, "/stream/*")];
    // S3 authorizes bucket actions on the bucket's ARN and object actions on `<bucket>/<key>`
    // (model/iam/bucket-grants.ts decides which a statement needs).
    case "bucket":
      return [bucketArnValue(spec, resource.name)];
    case "bucketObjects":
      return [bucketArnValue(spec, resource.name, `/${resource.key}`)];
    case "logGroup":
      return [logGroupArnValue(spec, resource.function)];
    case "stateMachine":
      return [stateMachineArnValue(spec, resource.name)];
    // DescribeExecution and StopExecution act on executions: `execution:<machine>:<name>`.
    case "stateMachineExecutions":
      return [stateMachineArnValue(spec, resource.name, "execution")];
    case "arn":
      return [resource.arn];
    case "any":
      return ["*"];
    case "websocketConnections":
      return [
        arn(
          "execute-api",
          `\${${API_LOGICAL_IDS.websocketApi}}/${connectionsResourcePath(spec.websocket?.stage ?? "", resource.method)}`,
        ),
      ];
  }
}

/**
 * AWS::StepFunctions::StateMachine from a StateMachineSpec, with the role it runs with and, when
 * logging is on, its log group. The definition is the document as written with each Sluice name
 * replaced by a `${<LogicalId>}` placeholder, and DefinitionSubstitutions maps each placeholder to
 * the resource's ARN, URL or name, so the template shows the workflow as the developer wrote it.
 * A definition change is an update in place; only a new name or type replaces the machine
 * (StateMachineName and StateMachineType are its create-only properties).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { physicalBusName } from "../../model/events.ts";
import { SYNC_EXECUTION_RULE, stateMachineGrants } from "../../model/iam/state-machine-grants.ts";
import { arn as modelArn, resourcePrefix, servicePrincipal } from "../../model/naming.ts";
import {
  resolveDefinition,
  type StateMachineReference,
  type StateMachineSpec,
} from "../../model/state-machines.ts";
import { arn, getAtt, ref } from "../template/intrinsics.ts";
import { type LogicalIdKind, logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import type { LogRetentionDays } from "./log-group.ts";
import {
  bucketArnValue,
  bucketNameValue,
  busArnValue,
  functionArnValue,
  grantResourceValues,
  queueArnValue,
  queueUrlValue,
  stateMachineArnValue,
  tableArnValue,
  tableNameValue,
} from "./references.ts";
import { POLICY_VERSION } from "./role.ts";

/**
 * Where Step Functions logs a machine's executions: under `/aws/vendedlogs/`, which AWS
 * recommends so the log group's resource policy does not grow with each machine
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html).
 */
export function stateMachineLogGroupName(machine: Pick<StateMachineSpec, "stateMachineName">): string {
  return `/aws/vendedlogs/states/${machine.stateMachineName}`;
}

/** The machine, its role and its log group (when logging is on), by logical ID. */
export function stateMachineResources(
  spec: AppSpec,
  machine: StateMachineSpec,
  retentionInDays: LogRetentionDays,
): Record<string, TemplateResource> {
  const ids = {
    machine: logicalId("stateMachine", machine.name),
    role: logicalId("stateMachineRole", machine.name),
    logGroup: logicalId("stateMachineLogGroup", machine.name),
  };
  const substitutions: Record<string, TemplateValue> = {};
  const definition = resolveDefinition(machine, (reference) => {
    const key = substitutionKey(reference);
    substitutions[key] = substitutionValue(spec, reference);
    return `\${${key}}`;
  });
  const logging = machine.logging.level !== "OFF";
  const resources: Record<string, TemplateResource> = {};
  if (logging) {
    resources[ids.logGroup] = {
      Type: "AWS::Logs::LogGroup",
      Properties: { LogGroupName: stateMachineLogGroupName(machine), RetentionInDays: retentionInDays },
      DeletionPolicy: "Delete",
      UpdateReplacePolicy: "Delete",
    };
  }
  resources[ids.role] = stateMachineRole(spec, machine);
  resources[ids.machine] = {
    Type: "AWS::StepFunctions::StateMachine",
    Properties: {
      StateMachineName: machine.stateMachineName,
      StateMachineType: machine.type,
      Definition: definition as unknown as TemplateValue,
      ...(Object.keys(substitutions).length > 0 ? { DefinitionSubstitutions: substitutions } : {}),
      RoleArn: getAtt(ids.role, "Arn"),
      // Written out when off too, so the template says what runs. Destinations must then be left
      // out: CloudFormation refuses an empty list ("expected minimum item count: 1").
      LoggingConfiguration: {
        Level: machine.logging.level,
        IncludeExecutionData: machine.logging.includeExecutionData,
        ...(logging
          ? { Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: getAtt(ids.logGroup, "Arn") } }] }
          : {}),
      },
      TracingConfiguration: { Enabled: false },
    },
  };
  return resources;
}

/**
 * The role Step Functions assumes to run the machine's tasks: exactly what its tasks call, on
 * exactly the resources they name (model/iam/state-machine-grants.ts), and CloudWatch Logs'
 * delivery actions when it logs.
 */
function stateMachineRole(spec: AppSpec, machine: StateMachineSpec): TemplateResource {
  // The ARNs the grants spell in the stack's own region and account (the `.sync` managed rule, a
  // distributed Map's child executions), written as the template's other ARNs are.
  const ownArns = new Map<string, TemplateValue>(
    (
      [
        ["events", `rule/${SYNC_EXECUTION_RULE}`],
        ["states", `execution:${machine.stateMachineName}/*`],
      ] as const
    ).map(([service, resource]) => [
      modelArn(service, spec.region, spec.accountId, resource),
      arn(service, resource),
    ]),
  );
  const statements: TemplateValue[] = stateMachineGrants(spec, machine).map((grant) => ({
    Sid: grant.sid,
    Effect: "Allow",
    Action: [...grant.actions],
    Resource: grant.resources.flatMap((resource) => {
      const own = resource.kind === "arn" ? ownArns.get(resource.arn) : undefined;
      return own === undefined ? grantResourceValues(spec, resource) : [own];
    }),
  }));
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      Description: `Execution role of state machine ${machine.stateMachineName}`,
      AssumeRolePolicyDocument: {
        Version: POLICY_VERSION,
        Statement: [
          { Effect: "Allow", Principal: { Service: servicePrincipal("states") }, Action: "sts:AssumeRole" },
        ],
      },
      Policies:
        statements.length > 0
          ? [
              {
                PolicyName: "sluice-state-machine",
                PolicyDocument: { Version: POLICY_VERSION, Statement: statements },
              },
            ]
          : [],
    },
  };
}

/** Each kind's logical ID suffix, and the form a reference of that kind takes unless it says otherwise. */
const KINDS: Record<
  StateMachineReference["kind"],
  { id: LogicalIdKind; form: StateMachineReference["form"] }
> = {
  function: { id: "function", form: "arn" },
  queue: { id: "queue", form: "url" },
  bus: { id: "eventBus", form: "arn" },
  table: { id: "table", form: "name" },
  bucket: { id: "bucket", form: "name" },
  stateMachine: { id: "stateMachine", form: "arn" },
};

/** `${WorkerFunction}`, `${JobsQueue}`; a form other than the kind's usual one adds it (`${JobsQueueArn}`). */
function substitutionKey(reference: StateMachineReference): string {
  const kind = KINDS[reference.kind];
  const suffix =
    reference.form === kind.form
      ? ""
      : reference.form === "arn"
        ? "Arn"
        : reference.form === "url"
          ? "Url"
          : "Name";
  return `${logicalId(kind.id, reference.name)}${suffix}`;
}

/**
 * What a placeholder becomes. Functions and machines by ARNs built from their physical names, as
 * references.ts does for functions: a function that starts this machine names it in its role and
 * environment, so a `Fn::GetAtt` each way would be a cycle.
 */
function substitutionValue(spec: AppSpec, reference: StateMachineReference): TemplateValue {
  const { kind, name, form } = reference;
  switch (kind) {
    case "function":
      return functionArnValue(spec, name);
    case "queue":
      return form === "arn" ? queueArnValue(name) : queueUrlValue(name);
    case "bus":
      return form === "name" ? physicalBusName(resourcePrefix(spec), name) : busArnValue(name);
    case "table":
      return form === "arn" ? tableArnValue(spec, name) : tableNameValue(spec, name);
    case "bucket":
      return form === "arn" ? bucketArnValue(spec, name) : bucketNameValue(spec, name);
    case "stateMachine":
      return stateMachineArnValue(spec, name);
  }
}

/** The output stacks export for each machine: its ARN (`Ref`). */
export function stateMachineArnOutput(machine: StateMachineSpec): TemplateValue {
  return ref(logicalId("stateMachine", machine.name));
}

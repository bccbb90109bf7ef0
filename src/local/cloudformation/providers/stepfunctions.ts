/**
 * AWS::StepFunctions::StateMachine. Checked as AWS's resource handler and CreateStateMachine check
 * it: the name, the role ARN, the type and the logging configuration with Step Functions' rules and
 * wording, the definition as stepfunctions-definition.ts reads and checks it. The region's cloud runs the machine with
 * the definition this provider keeps (DEFINITION_ATTRIBUTE) once the stack settles
 * (cloud-host/translate-state-machines.ts). Ref is the ARN; GetAtt Arn, Name, StateMachineRevisionId.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 * The handler's checks and messages: aws-cloudformation/aws-cloudformation-resource-providers-stepfunctions
 * (statemachine/…/DefinitionProcessor.java, Constants.java).
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  booleanProp,
  objectProp,
  type Properties,
  randomChars,
  stringProp,
  UPPER_ALNUM,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";
import { checkedDefinition, refused } from "./stepfunctions-definition.ts";

/** The definition the machine runs (substitutions applied, JSON text), kept for the region's cloud. */
export const DEFINITION_ATTRIBUTE = "Sluice::Definition";

const MACHINES = LIMITS.stepFunctions;
const TYPES: readonly string[] = ["STANDARD", "EXPRESS"];
const LEVELS: readonly string[] = ["ALL", "ERROR", "FATAL", "OFF"];

/** The state machine's name: StateMachineName, or `<logical id>-<12 random>` as the handler makes one. */
function machineName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const given = stringProp(properties, "StateMachineName");
  const name =
    given ??
    `${context.logicalId.slice(0, MACHINES.stateMachineName.max - 13)}-${(env.random ?? randomChars)(12, UPPER_ALNUM)}`;
  if (
    name.length < MACHINES.stateMachineName.min ||
    name.length > MACHINES.stateMachineName.max ||
    !MACHINES.stateMachineName.pattern.test(name)
  ) {
    refused("InvalidName", `Invalid Name: '${name}'`);
  }
  return name;
}

/** An IAM role's ARN, as CreateStateMachine takes it. */
function checkRole(properties: Properties, context: ResourceContext): string {
  const role = stringProp(properties, "RoleArn");
  if (role === undefined) {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #: required key [RoleArn] not found`,
    );
  }
  if (!/^arn:[a-z-]+:iam::\d{12}:role\/.+/.test(role)) {
    refused("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${role}'`);
  }
  return role;
}

function checkType(properties: Properties, context: ResourceContext): string {
  const type = stringProp(properties, "StateMachineType") ?? "STANDARD";
  if (!TYPES.includes(type)) {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #/StateMachineType: ${type} is not a valid enum value`,
    );
  }
  return type;
}

/**
 * LoggingConfiguration: a level other than OFF needs exactly one CloudWatch Logs group
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_LoggingConfiguration.html),
 * and a name CloudWatch Logs accepts (API_CreateStateMachine: "To enable logging with CloudWatch
 * Logs, the name should only contain 0-9, A-Z, a-z, - and _").
 */
function checkLogging(properties: Properties, context: ResourceContext, name: string): void {
  const logging = objectProp(properties, "LoggingConfiguration");
  if (!logging) return;
  // The resource schema's rules (an enum Level, at least one item in Destinations), which
  // CloudFormation checks before the handler calls Step Functions, as for StateMachineType.
  const invalid = (message: string): never => {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #/LoggingConfiguration/${message}`,
    );
  };
  const level = stringProp(logging, "Level") ?? "OFF";
  if (!LEVELS.includes(level)) invalid(`Level: ${level} is not a valid enum value`);
  booleanProp(logging, "IncludeExecutionData");
  const destinations = logging.Destinations;
  const count = Array.isArray(destinations) ? destinations.length : 0;
  if (Array.isArray(destinations) && count === 0) {
    invalid("Destinations: expected minimum item count: 1, found: 0");
  }
  if (level === "OFF" && count === 0) return;
  if (count !== 1) {
    refused(
      "InvalidLoggingConfiguration",
      "Invalid Logging Configuration: Must specify exactly one Log Destination.",
    );
  }
  const destination = (destinations as unknown[])[0];
  const group = objectProp(objectProp({ destination }, "destination") ?? {}, "CloudWatchLogsLogGroup");
  const groupArn = group ? stringProp(group, "LogGroupArn") : undefined;
  if (groupArn === undefined || !/^arn:[a-z-]+:logs:[^:]+:\d{12}:log-group:.+/.test(groupArn)) {
    refused(
      "InvalidLoggingConfiguration",
      "Invalid Logging Configuration: Must specify a CloudWatch Logs log group ARN.",
    );
  }
  // The log group's ARN names its streams (`…:*`), as AWS::Logs::LogGroup's Arn attribute does.
  if (!groupArn.endsWith(":*")) {
    refused(
      "InvalidLoggingConfiguration",
      "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    );
  }
  if (!/^[0-9A-Za-z_-]+$/.test(name)) {
    refused(
      "InvalidName",
      `Invalid Name: '${name}' (to enable logging with CloudWatch Logs, the name may contain only 0-9, A-Z, a-z, - and _)`,
    );
  }
}

/** Everything CreateStateMachine checks; the definition to run. */
function checked(properties: Properties, context: ResourceContext, env: ProviderEnv, name: string): string {
  checkRole(properties, context);
  checkType(properties, context);
  const text = checkedDefinition(properties, env);
  checkLogging(properties, context, name);
  return text;
}

export function stateMachineProvider(env: ProviderEnv) {
  const provision = (name: string, definition: string, revision: string, context: ResourceContext) => {
    const arn = `${arnPrefix(context, "states")}:stateMachine:${name}`;
    return {
      physicalId: arn,
      attributes: {
        Arn: arn,
        Name: name,
        StateMachineRevisionId: revision,
        [DEFINITION_ATTRIBUTE]: definition,
      },
    };
  };
  return defineProvider("AWS::StepFunctions::StateMachine", {
    create(properties, context) {
      const name = machineName(properties, context, env);
      const definition = checked(properties, context, env, name);
      return provision(name, definition, randomUUID(), context);
    },
    // An update keeps the machine (and its executions); a new definition, role or logging
    // configuration is a new revision (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html).
    update(current, properties, context) {
      const name = String(current.attributes.Name);
      const definition = checked(properties, context, env, name);
      const same =
        definition === current.attributes[DEFINITION_ATTRIBUTE] &&
        JSON.stringify([properties.RoleArn, properties.LoggingConfiguration]) ===
          JSON.stringify([current.properties.RoleArn, current.properties.LoggingConfiguration]);
      const revision = same ? String(current.attributes.StateMachineRevisionId) : randomUUID();
      return provision(name, definition, revision, context);
    },
  });
}

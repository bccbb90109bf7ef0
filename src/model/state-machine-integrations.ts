/**
 * The Step Functions integrations Sluice runs, and where each names an app resource: the table
 * of the reference rule (the field of `Parameters`/`Arguments` that holds the name, what the name
 * becomes, and the IAM actions the state machine's role needs for it). Sources:
 * - Resource URIs and patterns: https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
 * - Lambda: https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 * - SQS: https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
 * - EventBridge: https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
 * - DynamoDB: https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 * - Nested executions: https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 *   and their IAM policies: https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
 * - AWS SDK (S3): https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * - Distributed Map ItemReader: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 */
import type { StateMachineReferenceKind } from "./state-machines.ts";

/** How a Task waits (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html). */
export type IntegrationPattern = "requestResponse" | "sync" | "sync:2" | "waitForTaskToken";

export interface TaskResource {
  /** The API part of the URI: `lambda:invoke`, `aws-sdk:s3:getObject`. */
  readonly api: string;
  readonly pattern: IntegrationPattern;
}

export interface IntegrationRule {
  readonly kind: StateMachineReferenceKind;
  /** Field of Parameters/Arguments holding the name; `Entries[].X` means X of each entry. */
  readonly field: string;
  readonly form: "arn" | "url" | "name";
  /** The role's actions for the request-response (and callback) pattern. */
  readonly actions: readonly string[];
  /** The patterns this integration supports. */
  readonly patterns: readonly IntegrationPattern[];
}

const CALLBACK: readonly IntegrationPattern[] = ["requestResponse", "waitForTaskToken"];

/** A `.sync` nested execution also describes and stops the child and listens to its end through AWS's managed rule. */
export const SYNC_EXECUTION_ACTIONS = [
  "states:DescribeExecution",
  "states:StopExecution",
  "events:PutTargets",
  "events:PutRule",
  "events:DescribeRule",
] as const;

export const TASK_INTEGRATIONS: Readonly<Record<string, IntegrationRule>> = {
  "lambda:invoke": {
    kind: "function",
    field: "FunctionName",
    form: "arn",
    actions: ["lambda:InvokeFunction"],
    patterns: CALLBACK,
  },
  "sqs:sendMessage": {
    kind: "queue",
    field: "QueueUrl",
    form: "url",
    actions: ["sqs:SendMessage"],
    patterns: CALLBACK,
  },
  "events:putEvents": {
    kind: "bus",
    field: "Entries[].EventBusName",
    form: "arn",
    actions: ["events:PutEvents"],
    patterns: CALLBACK,
  },
  "dynamodb:getItem": dynamodb("dynamodb:GetItem"),
  "dynamodb:putItem": dynamodb("dynamodb:PutItem"),
  "dynamodb:updateItem": dynamodb("dynamodb:UpdateItem"),
  "dynamodb:deleteItem": dynamodb("dynamodb:DeleteItem"),
  "states:startExecution": {
    kind: "stateMachine",
    field: "StateMachineArn",
    form: "arn",
    actions: ["states:StartExecution"],
    patterns: ["requestResponse", "sync", "sync:2", "waitForTaskToken"],
  },
  "aws-sdk:s3:getObject": s3("s3:GetObject"),
  "aws-sdk:s3:putObject": s3("s3:PutObject"),
};

/** A distributed Map's ItemReader: the S3 APIs it reads items with. */
export const ITEM_READER_INTEGRATIONS: Readonly<Record<string, IntegrationRule>> = {
  "s3:getObject": { ...s3("s3:GetObject"), patterns: ["requestResponse"] },
  "s3:listObjectsV2": { ...s3("s3:ListBucket"), patterns: ["requestResponse"] },
};

/** The actions a task's rule needs with its pattern. */
export function integrationActions(rule: IntegrationRule, pattern: IntegrationPattern): readonly string[] {
  if (rule.kind === "stateMachine" && (pattern === "sync" || pattern === "sync:2")) {
    return [...rule.actions, ...SYNC_EXECUTION_ACTIONS];
  }
  return rule.actions;
}

const SERVICE_URI = /^arn:[a-z-]+:states:::(.+)$/;
const PATTERN_SUFFIX = /\.(sync:2|sync|waitForTaskToken)$/;

/** An optimized or AWS SDK integration's Resource URI (`arn:<partition>:states:::<api>[.<pattern>]`), else undefined. */
export function parseTaskResource(resource: string): TaskResource | undefined {
  const uri = SERVICE_URI.exec(resource)?.[1];
  if (uri === undefined) return undefined;
  const suffix = PATTERN_SUFFIX.exec(uri)?.[1] as "sync" | "sync:2" | "waitForTaskToken" | undefined;
  return {
    api: suffix === undefined ? uri : uri.slice(0, -(suffix.length + 1)),
    pattern: suffix ?? "requestResponse",
  };
}

function dynamodb(action: string): IntegrationRule {
  return {
    kind: "table",
    field: "TableName",
    form: "name",
    actions: [action],
    patterns: ["requestResponse"],
  };
}

function s3(action: string): IntegrationRule {
  return { kind: "bucket", field: "Bucket", form: "name", actions: [action], patterns: CALLBACK };
}

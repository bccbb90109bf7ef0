/**
 * Least privilege, checked on the finished template (decorators included): no statement allows
 * an action with `*` in it, and a `*` resource appears only for actions that AWS evaluates against
 * `*` because they have no resource type to name.
 */
import { LOG_DELIVERY_ACTIONS } from "../../model/iam/state-machine-grants.ts";
import type { Template, TemplateValue } from "./template.ts";

/**
 * Actions that support no resource-level permissions, so `*` is the narrowest resource there is
 * (Service Authorization Reference: the action's "Resource types" column is empty).
 */
const WILDCARD_RESOURCE_ALLOWED: Readonly<Record<string, string>> = {
  "sqs:ListQueues":
    "ListQueues lists the account's queues; it has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html)",
  "lambda:ListFunctions":
    "ListFunctions lists the account's functions; it has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html)",
  "xray:PutTraceSegments":
    "X-Ray trace uploads have no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html)",
  "xray:PutTelemetryRecords":
    "X-Ray telemetry uploads have no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html)",
  "dynamodb:ListTables":
    "ListTables lists the account's tables; it has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)",
  "dynamodb:DescribeLimits":
    "DescribeLimits reads the account's quotas; it has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)",
  "dynamodb:DescribeEndpoints":
    "DescribeEndpoints names the regional endpoint; it has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html)",
  "s3:ListAllMyBuckets":
    "ListAllMyBuckets (ListBuckets) lists the account's buckets; it has no resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)",
  ...Object.fromEntries(
    LOG_DELIVERY_ACTIONS.map((action) => [
      action,
      "Step Functions' log delivery to CloudWatch Logs: these actions take no resource type, so the role names `*` (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy)",
    ]),
  ),
  "cloudwatch:PutMetricData":
    "PutMetricData has no resource type; narrow it with the cloudwatch:namespace condition key (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html)",
};

export interface PolicyProblem {
  /** Where the statement is: `RenderRole Policies[0] Statement[2]`. */
  readonly at: string;
  readonly message: string;
}

/** Every problem in every IAM policy of the template. */
export function checkTemplatePolicies(template: Template): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    for (const [where, document] of policyDocuments(resource.Type, resource.Properties ?? {})) {
      problems.push(...checkPolicyDocument(document, `${id} ${where}`));
    }
  }
  return problems;
}

function checkPolicyDocument(document: TemplateValue, at: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const statements = asArray(field(document, "Statement"));
  for (const [index, statement] of statements.entries()) {
    const where = `${at} Statement[${index}]`;
    if (field(statement, "Effect") === "Deny") continue;
    if (field(statement, "NotAction") !== undefined || field(statement, "NotResource") !== undefined) {
      problems.push({
        at: where,
        message: "NotAction/NotResource allow everything else; list what is allowed instead",
      });
    }
    const actions = asArray(field(statement, "Action")).map(String);
    for (const action of actions.filter((a) => a.includes("*"))) {
      problems.push({
        at: where,
        message: `action "${action}" is a wildcard; name each action the code calls`,
      });
    }
    const wildcard = asArray(field(statement, "Resource")).some((r) => r === "*");
    if (!wildcard) continue;
    const narrowable = actions.filter((a) => WILDCARD_RESOURCE_ALLOWED[a] === undefined);
    if (narrowable.length > 0) {
      problems.push({
        at: where,
        message: `resource "*" for ${narrowable.join(", ")}, which support resource-level permissions; name the resources`,
      });
    }
  }
  return problems;
}

/** The policy documents a resource carries, by type: inline role policies, policies, assume-role documents are not grants. */
function policyDocuments(type: string, properties: Record<string, TemplateValue>): [string, TemplateValue][] {
  if (type === "AWS::IAM::Role" || type === "AWS::IAM::User" || type === "AWS::IAM::Group") {
    return asArray(properties.Policies).map((policy, i) => [
      `Policies[${i}]`,
      field(policy, "PolicyDocument") ?? {},
    ]);
  }
  if (type === "AWS::IAM::Policy" || type === "AWS::IAM::ManagedPolicy" || type === "AWS::IAM::RolePolicy") {
    return [["PolicyDocument", properties.PolicyDocument ?? {}]];
  }
  return [];
}

function field(value: TemplateValue | undefined, name: string): TemplateValue | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value[name];
}

function asArray(value: TemplateValue | undefined): TemplateValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

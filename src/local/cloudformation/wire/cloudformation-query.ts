/**
 * CloudFormation's query protocol (`Action=…&Version=2010-05-15`, XML answers), as
 * `@aws-sdk/client-cloudformation` and the AWS CLI speak it.
 */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../../model/errors.ts";
import {
  asString,
  field,
  indexed,
  own,
  type QueryTree,
  queryTree,
  sendQueryError,
  sendQueryResponse,
  text,
} from "../../wire/index.ts";
import type { CloudFormationService } from "../cloudformation-service.ts";
import { validationError } from "../errors.ts";
import type { Tag } from "../records.ts";
import type { GivenParameter } from "../template/parameters.ts";
import {
  CFN_XMLNS,
  changeSetSummaryXml,
  changeSetXml,
  eventXml,
  members,
  resourceSummaryXml,
  stackResourceXml,
  stackXml,
  stringMembers,
} from "./cloudformation-xml.ts";

export interface QueryContext {
  readonly region: string;
  readonly requestId: string;
}

type Handler = (service: CloudFormationService, q: QueryTree, region: string) => string | undefined;

const ACTIONS: Readonly<Record<string, Handler>> = {
  CreateChangeSet: (service, q, region) => {
    const { changeSetId, stackId } = service.createChangeSet(region, {
      stackName: required(q, "StackName"),
      changeSetName: required(q, "ChangeSetName"),
      ...optional(q, "ChangeSetType", "changeSetType"),
      ...optional(q, "TemplateBody", "templateBody"),
      ...optional(q, "TemplateURL", "templateUrl"),
      ...optional(q, "Description", "description"),
      ...(asString(q.UsePreviousTemplate) === "true" ? { usePreviousTemplate: true } : {}),
      parameters: parameters(q),
      capabilities: list(q, "Capabilities"),
      ...(q.Tags === undefined ? {} : { tags: tags(q) }),
    });
    return text("Id", changeSetId) + text("StackId", stackId);
  },
  DescribeChangeSet: (service, q, region) =>
    changeSetXml(service.describeChangeSet(region, required(q, "ChangeSetName"), asString(q.StackName))),
  ExecuteChangeSet: (service, q, region) => {
    service.executeChangeSet(
      region,
      required(q, "ChangeSetName"),
      asString(q.StackName),
      asString(q.ClientRequestToken),
    );
    return "";
  },
  DeleteChangeSet: (service, q, region) => {
    service.deleteChangeSet(region, required(q, "ChangeSetName"), asString(q.StackName));
    return "";
  },
  ListChangeSets: (service, q, region) =>
    members("Summaries", service.listChangeSets(region, required(q, "StackName")), changeSetSummaryXml),
  DescribeStacks: (service, q, region) =>
    members("Stacks", service.describeStacks(region, asString(q.StackName)), stackXml),
  DescribeStackEvents: (service, q, region) => {
    const page = service.describeStackEvents(region, required(q, "StackName"), asString(q.NextToken));
    return members("StackEvents", page.events, eventXml) + text("NextToken", page.nextToken);
  },
  ListStackResources: (service, q, region) =>
    members(
      "StackResourceSummaries",
      service.listStackResources(region, required(q, "StackName")).resources,
      resourceSummaryXml,
    ),
  DescribeStackResources: (service, q, region) => {
    const { stack, resources } = service.listStackResources(region, required(q, "StackName"));
    const logicalId = asString(q.LogicalResourceId);
    const chosen = resources.filter((r) => logicalId === undefined || r.logicalId === logicalId);
    return members("StackResources", chosen, (r) => stackResourceXml(stack, r));
  },
  GetTemplate: (service, q, region) => {
    const body = service.getTemplate(region, asString(q.StackName), asString(q.ChangeSetName));
    return text("TemplateBody", body) + stringMembers("StagesAvailable", ["Original", "Processed"]);
  },
  DeleteStack: (service, q, region) => {
    service.deleteStack(region, required(q, "StackName"), asString(q.ClientRequestToken));
    return undefined;
  },
  ValidateTemplate: (service, q) => {
    const { template, capability } = service.validateTemplate({
      ...optional(q, "TemplateBody", "templateBody"),
      ...optional(q, "TemplateURL", "templateUrl"),
    });
    const declared = Object.entries(template.Parameters ?? {});
    return (
      members(
        "Parameters",
        declared,
        ([key, p]) =>
          text("ParameterKey", key) +
          text("DefaultValue", p.Default === undefined ? undefined : String(p.Default)) +
          text("NoEcho", p.NoEcho === true || p.NoEcho === "true") +
          text("Description", p.Description),
      ) +
      text("Description", template.Description) +
      (capability
        ? stringMembers("Capabilities", [capability]) +
          text("CapabilitiesReason", "The following resource(s) require capabilities: [AWS::IAM::Role]")
        : "")
    );
  },
};

/** Answers one CloudFormation query-protocol call. */
export async function handleCloudFormationQuery(
  service: CloudFormationService,
  params: URLSearchParams,
  context: QueryContext,
  res: ServerResponse,
): Promise<void> {
  try {
    const action = params.get("Action") ?? "";
    // Own entries only: `Action=__proto__` or `Action=toString` names no handler.
    const handler = own(ACTIONS, action);
    if (!handler) {
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/CommonErrors.html
      throw new AwsError(
        action === "" ? "MissingAction" : "InvalidAction",
        `The action or operation requested is invalid: the local cloud's CloudFormation does not serve ${action || "(no Action)"}; it serves ${Object.keys(ACTIONS).join(", ")}.`,
        400,
      );
    }
    const result = handler(service, queryTree(params), context.region);
    sendQueryResponse(res, action, CFN_XMLNS, result, context.requestId);
  } catch (error) {
    sendQueryError(res, error, context.requestId, CFN_XMLNS);
  }
}

function required(q: QueryTree, name: string): string {
  const value = asString(q[name]);
  if (value === undefined || value === "") {
    throw validationError(
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optional<K extends string>(q: QueryTree, name: string, key: K): { [P in K]?: string } {
  const value = asString(q[name]);
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function list(q: QueryTree, name: string): string[] {
  return indexed(field(q[name], "member")).flatMap((v) => (typeof v === "string" ? [v] : []));
}

function parameters(q: QueryTree): GivenParameter[] {
  return indexed(field(q.Parameters, "member")).map((p) => {
    const key = asString(field(p, "ParameterKey"));
    if (key === undefined) throw validationError("Every member of Parameters needs a ParameterKey.");
    const value = asString(field(p, "ParameterValue"));
    return {
      key,
      ...(value === undefined ? {} : { value }),
      ...(asString(field(p, "UsePreviousValue")) === "true" ? { usePreviousValue: true } : {}),
    };
  });
}

function tags(q: QueryTree): Tag[] {
  return indexed(field(q.Tags, "member")).map((t) => ({
    Key: asString(field(t, "Key")) ?? "",
    Value: asString(field(t, "Value")) ?? "",
  }));
}

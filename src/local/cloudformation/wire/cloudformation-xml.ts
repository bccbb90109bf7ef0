/** CloudFormation's query-protocol XML for stacks, change sets, events and resources. */
import { element, escapeXml, text } from "../../wire/index.ts";
import type { ChangeDetail, ResourceChange } from "../change-set/resource-change.ts";
import type { ChangeSetRecord, EventRecord, ResourceRecord, StackRecord, Tag } from "../records.ts";

export const CFN_XMLNS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** A query-protocol list: `<Name><member>…</member>…</Name>`. */
export function members<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return element(name, items.map((item) => element("member", render(item))).join(""));
}

/** A query-protocol list of strings: `<Name><member>text</member>…</Name>`. */
export function stringMembers(name: string, values: readonly string[]): string {
  return members(name, values, escapeXml);
}

function parametersXml(parameters: Readonly<Record<string, string>>, noEcho: readonly string[]): string {
  return members(
    "Parameters",
    Object.entries(parameters),
    ([key, value]) =>
      text("ParameterKey", key) + text("ParameterValue", noEcho.includes(key) ? "****" : value),
  );
}

function tagsXml(tags: readonly Tag[]): string {
  return members("Tags", tags, (t) => text("Key", t.Key) + text("Value", t.Value));
}

export function stackXml(stack: StackRecord): string {
  return (
    text("StackId", stack.stackId) +
    text("StackName", stack.name) +
    text("ChangeSetId", stack.changeSetId) +
    text("Description", stack.description) +
    parametersXml(stack.parameters, stack.noEcho) +
    text("CreationTime", iso(stack.createdAt)) +
    text("DeletionTime", iso(stack.deletedAt)) +
    text("LastUpdatedTime", iso(stack.updatedAt)) +
    element("RollbackConfiguration", "") +
    text("StackStatus", stack.status) +
    text("StackStatusReason", stack.statusReason) +
    text("DisableRollback", false) +
    element("NotificationARNs", "") +
    stringMembers("Capabilities", stack.capabilities) +
    members(
      "Outputs",
      stack.outputs,
      (o) =>
        text("OutputKey", o.key) +
        text("OutputValue", o.value) +
        text("Description", o.description) +
        text("ExportName", o.exportName),
    ) +
    tagsXml(stack.tags) +
    text("EnableTerminationProtection", false) +
    element("DriftInformation", text("StackDriftStatus", "NOT_CHECKED"))
  );
}

export function changeSetXml(changeSet: ChangeSetRecord): string {
  const { definition } = changeSet;
  return (
    text("ChangeSetName", changeSet.name) +
    text("ChangeSetId", changeSet.changeSetId) +
    text("StackId", changeSet.stackId) +
    text("StackName", changeSet.stackName) +
    text("Description", changeSet.description) +
    parametersXml(definition.parameters, definition.noEcho) +
    text("CreationTime", iso(changeSet.createdAt)) +
    changeSetStatusXml(changeSet) +
    element("NotificationARNs", "") +
    element("RollbackConfiguration", "") +
    stringMembers("Capabilities", definition.capabilities) +
    tagsXml(definition.tags) +
    members(
      "Changes",
      changeSet.changes,
      (c) => text("Type", "Resource") + element("ResourceChange", resourceChangeXml(c)),
    ) +
    text("IncludeNestedStacks", false)
  );
}

function resourceChangeXml(change: ResourceChange): string {
  return (
    text("Action", change.action) +
    resourceIdsXml(change) +
    text("Replacement", change.replacement) +
    stringMembers("Scope", change.scope) +
    members("Details", change.details, detailXml)
  );
}

function detailXml(detail: ChangeDetail): string {
  const { target } = detail;
  return (
    element(
      "Target",
      text("Attribute", target.attribute) +
        text("Name", target.name) +
        text("RequiresRecreation", target.requiresRecreation),
    ) +
    text("Evaluation", detail.evaluation) +
    text("ChangeSource", detail.changeSource) +
    text("CausingEntity", detail.causingEntity)
  );
}

export function changeSetSummaryXml(changeSet: ChangeSetRecord): string {
  return (
    text("StackId", changeSet.stackId) +
    text("StackName", changeSet.stackName) +
    text("ChangeSetId", changeSet.changeSetId) +
    text("ChangeSetName", changeSet.name) +
    changeSetStatusXml(changeSet) +
    text("CreationTime", iso(changeSet.createdAt)) +
    text("Description", changeSet.description) +
    text("IncludeNestedStacks", false)
  );
}

export function eventXml(event: EventRecord): string {
  return (
    text("StackId", event.stackId) +
    text("EventId", event.eventId) +
    text("StackName", event.stackName) +
    resourceIdsXml(event) +
    text("Timestamp", iso(event.timestamp)) +
    text("ResourceStatus", event.status) +
    text("ResourceStatusReason", event.statusReason) +
    text("ResourceProperties", event.properties) +
    text("ClientRequestToken", event.clientRequestToken)
  );
}

export function resourceSummaryXml(resource: ResourceRecord): string {
  return resourceStateXml(resource, "LastUpdatedTimestamp");
}

export function stackResourceXml(stack: StackRecord, resource: ResourceRecord): string {
  return (
    text("StackName", stack.name) + text("StackId", stack.stackId) + resourceStateXml(resource, "Timestamp")
  );
}

function changeSetStatusXml(changeSet: ChangeSetRecord): string {
  return (
    text("ExecutionStatus", changeSet.executionStatus) +
    text("Status", changeSet.status) +
    text("StatusReason", changeSet.statusReason)
  );
}

/** What every resource-shaped member starts with. */
function resourceIdsXml(resource: {
  readonly logicalId: string;
  readonly physicalId?: string | undefined;
  readonly resourceType: string;
}): string {
  return (
    text("LogicalResourceId", resource.logicalId) +
    text("PhysicalResourceId", resource.physicalId) +
    text("ResourceType", resource.resourceType)
  );
}

/** A live resource's state; ListStackResources and DescribeStackResources name its time differently. */
function resourceStateXml(resource: ResourceRecord, timestamp: "LastUpdatedTimestamp" | "Timestamp"): string {
  return (
    resourceIdsXml(resource) +
    text(timestamp, iso(resource.updatedAt)) +
    text("ResourceStatus", resource.status) +
    text("ResourceStatusReason", resource.statusReason) +
    element("DriftInformation", text("StackResourceDriftStatus", "NOT_CHECKED"))
  );
}

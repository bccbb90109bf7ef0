/**
 * What a change set will do, sorted into added, modified, replaced and removed resources, and the
 * changes that put data at risk: replacing or removing a resource that holds data.
 */
import type { Change } from "@aws-sdk/client-cloudformation";

/** Resource types whose replacement or removal deletes data. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  "AWS::SQS::Queue": "the messages waiting in the queue",
  "AWS::DynamoDB::Table": "every item in the table",
  "AWS::DynamoDB::GlobalTable": "every item in the table",
  // S3 deletes only an empty bucket (BucketNotEmpty): CloudFormation leaves one that holds objects.
  "AWS::S3::Bucket": "the bucket, if S3 lets it go: S3 keeps a bucket that holds objects",
  "AWS::Logs::LogGroup": "the log events stored in the group",
  "AWS::Events::Archive": "the archived events",
  // DeleteStateMachine terminates the running executions at their next state transition, and
  // their history goes with the machine
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html).
  "AWS::StepFunctions::StateMachine":
    "the running executions (stopped at their next state transition) and the executions' history",
};

export type ChangeAction = "add" | "modify" | "replace" | "remove";

export interface ResourceDiff {
  readonly action: ChangeAction;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  /** Properties (and other attributes such as Tags) that change; empty for add and remove. */
  readonly properties: readonly string[];
  /** For a replacement CloudFormation decides at execution ("Conditional"): it may not happen. */
  readonly conditional?: boolean;
  /** Set when this change deletes data: what is lost. */
  readonly dataLoss?: string;
}

export interface ChangeSummary {
  readonly added: readonly ResourceDiff[];
  readonly modified: readonly ResourceDiff[];
  readonly replaced: readonly ResourceDiff[];
  readonly removed: readonly ResourceDiff[];
  /** Replacements and removals of stateful resources: these need confirmation. */
  readonly risky: readonly ResourceDiff[];
}

export function summariseChanges(changes: readonly Change[]): ChangeSummary {
  const rows = changes.flatMap((change) => {
    const rc = change.ResourceChange;
    if (change.Type !== "Resource" || rc === undefined || rc.LogicalResourceId === undefined) return [];
    return [resourceDiff(rc)];
  });
  const by = (action: ChangeAction) =>
    rows.filter((row) => row.action === action).sort((a, b) => (a.logicalId < b.logicalId ? -1 : 1));
  return {
    added: by("add"),
    modified: by("modify"),
    replaced: by("replace"),
    removed: by("remove"),
    risky: rows
      .filter((row) => row.dataLoss !== undefined)
      .sort((a, b) => (a.logicalId < b.logicalId ? -1 : 1)),
  };
}

function resourceDiff(rc: NonNullable<Change["ResourceChange"]>): ResourceDiff {
  const type = rc.ResourceType ?? "unknown";
  const action = actionOf(rc.Action, rc.Replacement);
  const properties = [
    ...new Set(
      (rc.Details ?? []).flatMap((detail) => {
        const target = detail.Target;
        if (target === undefined) return [];
        if (target.Attribute === "Properties" && target.Name) return [target.Name];
        return target.Attribute ? [target.Attribute] : [];
      }),
    ),
  ].sort();
  const loses = action === "replace" || action === "remove" ? STATEFUL_TYPES[type] : undefined;
  return {
    action,
    logicalId: rc.LogicalResourceId ?? "",
    type,
    ...(rc.PhysicalResourceId ? { physicalId: rc.PhysicalResourceId } : {}),
    properties: action === "modify" || action === "replace" ? properties : [],
    ...(action === "replace" && rc.Replacement === "Conditional" ? { conditional: true } : {}),
    ...(loses === undefined ? {} : { dataLoss: loses }),
  };
}

function actionOf(action: string | undefined, replacement: string | undefined): ChangeAction {
  if (action === "Add" || action === "Import") return "add";
  if (action === "Remove") return "remove";
  // "Conditional" means CloudFormation decides during the update; treat it as a replacement.
  if (replacement === "True" || replacement === "Conditional") return "replace";
  return "modify";
}

export function isEmptySummary(summary: ChangeSummary): boolean {
  return (
    summary.added.length + summary.modified.length + summary.replaced.length + summary.removed.length === 0
  );
}

/**
 * One stack through a change set, the path both `bootstrap` and `deploy` take: create the change
 * set, report the diff, ask before deleting data, execute, follow the events, and report how it
 * ended (with the first failures and the rollback's final status when it failed).
 */
import {
  type Capability,
  ExecuteChangeSetCommand,
  type Parameter,
  type Tag,
} from "@aws-sdk/client-cloudformation";
import { type ChangeSummary, summariseChanges } from "./change-diff.ts";
import { type ChangeSetType, createChangeSet, deleteChangeSet } from "./change-set.ts";
import type { AwsClients } from "./clients.ts";
import { dataAtStake } from "./data-at-stake.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import type { Confirm, DeployListener, StackEventRow } from "./deploy-events.ts";
import type { Polling } from "./polling.ts";
import { clearRolledBackStack } from "./rolled-back-stack.ts";
import { currentEventIds, firstFailures, watchStack } from "./stack-events.ts";
import { describeStack, isInProgress, stackOutputs } from "./stacks.ts";
import type { TemplateSource } from "./template-source.ts";

export interface StackDeployment {
  readonly stackName: string;
  readonly template: TemplateSource;
  readonly parameters: readonly Parameter[];
  readonly tags: readonly Tag[];
  readonly capabilities: readonly Capability[];
}

export interface StackDeployResult {
  readonly stackName: string;
  readonly outcome: "no-changes" | "deployed" | "failed";
  readonly changeSetType?: ChangeSetType;
  readonly summary?: ChangeSummary;
  /** The stack's status at the end: what the rollback left, when it failed. */
  readonly finalStatus: string;
  readonly statusReason?: string;
  /** The first *_FAILED events: the resources that failed and why. */
  readonly failures: readonly StackEventRow[];
  readonly outputs: Readonly<Record<string, string>>;
}

export interface StackContext {
  readonly clients: AwsClients;
  readonly polling: Polling;
  readonly onEvent: DeployListener;
  readonly confirm: Confirm;
}

const SUCCESS = new Set(["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"]);

export async function deployStack(
  context: StackContext,
  deployment: StackDeployment,
): Promise<StackDeployResult> {
  const { clients, polling, onEvent } = context;
  const cfn = clients.cloudFormation;
  const region = clients.region;
  const { stackName } = deployment;
  let existing = await describeStack(cfn, stackName);
  if (existing?.StackStatus === "ROLLBACK_COMPLETE") {
    // A first create that never completed holds nothing: delete it (once agreed) and create anew.
    await clearRolledBackStack(context, existing);
    existing = undefined;
  }
  const status = existing?.StackStatus;
  if (status !== undefined && isInProgress(status)) {
    throw new DeployError(
      DEPLOY_ERROR.stackBusy,
      `stack ${stackName} in ${region} is busy (${status}); wait until it settles, then deploy again`,
      { context: { stackName, region } },
    );
  }
  const changeSetType: ChangeSetType =
    existing === undefined || status === "REVIEW_IN_PROGRESS" ? "CREATE" : "UPDATE";
  const outcome = await createChangeSet(
    cfn,
    {
      stackName,
      changeSetType,
      template: deployment.template,
      parameters: deployment.parameters,
      tags: deployment.tags,
      capabilities: deployment.capabilities,
    },
    polling,
  );
  if (outcome.kind === "no-changes") {
    onEvent({ type: "no-changes", region, stackName });
    return {
      stackName,
      outcome: "no-changes",
      changeSetType,
      finalStatus: status ?? "UNKNOWN",
      failures: [],
      outputs: existing ? stackOutputs(existing) : {},
    };
  }
  const summary = summariseChanges(outcome.changes);
  const atStake = await dataAtStake(clients, summary.risky);
  onEvent({ type: "change-set", region, stackName, changeSetType, summary, atStake });
  if (atStake.length > 0) {
    // A refusal (or no terminal to ask on) leaves nothing behind: the change set goes too.
    const confirmed = await context
      .confirm({ region, stackName, atStake, action: "deploy" })
      .catch(async (error: unknown) => {
        await deleteChangeSet(cfn, outcome.changeSetId);
        throw error;
      });
    if (!confirmed) {
      await deleteChangeSet(cfn, outcome.changeSetId);
      throw new DeployError(
        DEPLOY_ERROR.declined,
        `deploy of ${stackName} in ${region} cancelled: it would delete data (see above); nothing was changed`,
        { context: { stackName, region } },
      );
    }
  }
  const seen = await currentEventIds(cfn, outcome.stackId);
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: outcome.changeSetId }));
  onEvent({ type: "executing", region, stackName });
  const watched = await watchStack(cfn, outcome.stackId, seen, polling, (event) =>
    onEvent({ type: "stack-event", region, stackName, event }),
  );
  const after = await describeStack(cfn, outcome.stackId);
  const ok = SUCCESS.has(watched.status);
  return {
    stackName,
    outcome: ok ? "deployed" : "failed",
    changeSetType,
    summary,
    finalStatus: watched.status,
    ...(watched.statusReason ? { statusReason: watched.statusReason } : {}),
    failures: ok ? [] : firstFailures(watched.events),
    outputs: after ? stackOutputs(after) : {},
  };
}

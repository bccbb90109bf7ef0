/**
 * Creating a change set and waiting for CloudFormation to compute it. A change set that fails
 * because nothing changed is deleted and reported as "no changes", which is not an error.
 */

import { randomBytes } from "node:crypto";
import {
  type Capability,
  type Change,
  type CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type Parameter,
  type Tag,
} from "@aws-sdk/client-cloudformation";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import { type Polling, pollUntil } from "./polling.ts";
import type { TemplateSource } from "./template-source.ts";

export type ChangeSetType = "CREATE" | "UPDATE";

export interface ChangeSetRequest {
  readonly stackName: string;
  readonly changeSetType: ChangeSetType;
  readonly template: TemplateSource;
  readonly parameters: readonly Parameter[];
  readonly tags: readonly Tag[];
  readonly capabilities: readonly Capability[];
}

export type ChangeSetOutcome =
  | { readonly kind: "no-changes" }
  | {
      readonly kind: "ready";
      readonly changeSetId: string;
      readonly stackId: string;
      readonly changes: Change[];
    };

/** The two reasons CloudFormation gives for a change set with nothing to do. */
const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i];

export function isNoChangesReason(reason: string | undefined): boolean {
  return reason !== undefined && NO_CHANGES.some((pattern) => pattern.test(reason));
}

export async function createChangeSet(
  cfn: CloudFormationClient,
  request: ChangeSetRequest,
  poll: Polling,
): Promise<ChangeSetOutcome> {
  const created = await cfn.send(
    new CreateChangeSetCommand({
      StackName: request.stackName,
      ChangeSetName: `sluice-${randomBytes(8).toString("hex")}`,
      ChangeSetType: request.changeSetType,
      ...("TemplateBody" in request.template
        ? { TemplateBody: request.template.TemplateBody }
        : { TemplateURL: request.template.TemplateURL }),
      Parameters: [...request.parameters],
      Tags: [...request.tags],
      Capabilities: [...request.capabilities],
      Description: "created by sluice deploy",
    }),
  );
  const changeSetId = created.Id ?? "";
  const status = await pollUntil(
    poll,
    async () => {
      const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
      if (described.Status === "CREATE_COMPLETE" || described.Status === "FAILED") return described;
      return undefined;
    },
    () =>
      new DeployError(
        DEPLOY_ERROR.timeout,
        `change set ${changeSetId} was not ready within ${poll.timeoutMs} ms`,
      ),
  );
  if (status.Status === "FAILED") {
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
    if (isNoChangesReason(status.StatusReason)) return { kind: "no-changes" };
    throw new DeployError(
      DEPLOY_ERROR.changeSetFailed,
      `CloudFormation could not create the change set for ${request.stackName}: ${status.StatusReason ?? "no reason given"}`,
      { context: { stackName: request.stackName } },
    );
  }
  return {
    kind: "ready",
    changeSetId,
    stackId: created.StackId ?? status.StackId ?? request.stackName,
    changes: await allChanges(cfn, changeSetId, status.Changes ?? [], status.NextToken),
  };
}

async function allChanges(
  cfn: CloudFormationClient,
  changeSetId: string,
  first: Change[],
  token: string | undefined,
): Promise<Change[]> {
  const changes = [...first];
  let next = token;
  while (next) {
    const page = await cfn.send(
      new DescribeChangeSetCommand({ ChangeSetName: changeSetId, NextToken: next }),
    );
    changes.push(...(page.Changes ?? []));
    next = page.NextToken;
  }
  return changes;
}

export async function deleteChangeSet(cfn: CloudFormationClient, changeSetId: string): Promise<void> {
  await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId }));
}

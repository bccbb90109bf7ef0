/**
 * `sluice deploy` in one region, either strategy. In place (default): update the live stack of
 * the stage (found by its tags), or create `<app>-<stage>`. Switchover: deploy generation N+1
 * beside the live one, run the hook, move every waiting message from each old queue to the new
 * queue with the same logical ID, and only then delete the old stack. A re-run after a stop
 * finds both stacks and continues: it updates the newer one, runs the hook again, moves what is
 * left and deletes the older.
 */
import { type AwsClients, createClients } from "./clients.ts";
import {
  bucketContents,
  bucketHoldsData,
  queueDepth,
  tableHoldsItems,
  totalMessages,
} from "./data-at-stake.ts";
import { deleteStack } from "./delete-stack.ts";
import { type DeployTarget, deployGeneration, type GenerationResult } from "./deploy-app.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import type { Confirm, DeployListener } from "./deploy-events.ts";
import type { StackContext } from "./deploy-stack.ts";
import { moveMessages } from "./move-messages.ts";
import type { Polling } from "./polling.ts";
import { type StageStack, stackResources, stageStacks } from "./stacks.ts";
import { hookFile, loadHook } from "./switchover-hook.ts";

export const STRATEGIES = ["in-place", "switchover"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface RegionDeployOptions extends DeployTarget {
  readonly region: string;
  readonly endpointUrl?: string;
  /** @default "in-place" */
  readonly strategy?: Strategy;
  /** Switchover hook module. @default sluice.switchover.ts in the app folder, when present */
  readonly hook?: string;
  readonly polling: Polling;
  readonly onEvent: DeployListener;
  readonly confirm: Confirm;
}

export interface SwitchoverReport {
  readonly oldStacks: readonly string[];
  readonly hook?: string;
  readonly moved: readonly { readonly logicalId: string; readonly moved: number }[];
  /** Status of each old stack's deletion. */
  readonly deleted: readonly { readonly stackName: string; readonly status: string }[];
}

export interface RegionDeployResult extends GenerationResult {
  readonly region: string;
  readonly strategy: Strategy;
  readonly switchover?: SwitchoverReport;
}

export async function deployRegion(options: RegionDeployOptions): Promise<RegionDeployResult> {
  const clients = createClients({
    region: options.region,
    endpointUrl: options.endpointUrl,
  });
  try {
    const context: StackContext = {
      clients,
      polling: options.polling,
      onEvent: options.onEvent,
      confirm: options.confirm,
    };
    const strategy = options.strategy ?? "in-place";
    const app = options.app.spec.name;
    const stacks = await stageStacks(clients.cloudFormation, app, options.stage);
    // A generation whose first create rolled back never served: it is not live, and deploying
    // to it again deletes it first, once the user agrees (rolled-back-stack.ts).
    const live = stacks.filter((s) => s.status !== "ROLLBACK_COMPLETE");
    const newest = live.at(-1);
    if (strategy === "in-place" || newest === undefined) {
      const result = await deployGeneration(
        context,
        options,
        newest?.generation ?? stacks.at(-1)?.generation ?? 1,
      );
      return { ...result, region: options.region, strategy };
    }
    // Two or more stacks: an earlier switchover stopped half-way; the newest is the new one.
    const continuing = live.length > 1;
    const generation = continuing ? newest.generation : newest.generation + 1;
    const old = continuing ? live.slice(0, -1) : live;
    const result = await deployGeneration(context, options, generation);
    if (result.outcome === "failed") return { ...result, region: options.region, strategy };
    const switchover = await switchOver(context, options, old, result);
    return { ...result, region: options.region, strategy, switchover };
  } finally {
    clients.destroy();
  }
}

async function switchOver(
  context: StackContext,
  options: RegionDeployOptions,
  old: readonly StageStack[],
  next: GenerationResult,
): Promise<SwitchoverReport> {
  const { clients, onEvent, polling } = context;
  const file = hookFile(options.app, options.hook);
  if (file !== undefined) {
    const hook = await loadHook(options.app, file);
    onEvent({ type: "hook", region: clients.region, file });
    for (const stack of old) {
      try {
        await hook({
          region: clients.region,
          stage: options.stage,
          old: { stackName: stack.stackName, outputs: stack.outputs },
          new: { stackName: next.stackName, outputs: next.outputs },
        });
      } catch (error) {
        throw new DeployError(
          DEPLOY_ERROR.hook,
          `the switchover hook ${file} failed: ${(error as Error).message}. Both stacks are up and no message moved; fix the hook and run the deploy again to continue.`,
          { cause: error },
        );
      }
    }
  }
  const moved: { logicalId: string; moved: number }[] = [];
  const deleted: { stackName: string; status: string }[] = [];
  const targets = await queuesOf(clients, next.stackName);
  for (const stack of old) {
    for (const [logicalId, fromUrl] of await queuesOf(clients, stack.stackName)) {
      const toUrl = targets.get(logicalId);
      if (toUrl === undefined) {
        const waiting = totalMessages(await queueDepth(clients.sqs, fromUrl));
        if (waiting === 0) continue;
        throw new DeployError(
          DEPLOY_ERROR.stackFailed,
          `queue ${logicalId} of ${stack.stackName} holds ${waiting} message(s) and the new stack ${next.stackName} has no queue ${logicalId}; the old stack is kept. Drain it (or add the queue back) and run the deploy again.`,
        );
      }
      const count = await moveMessages(
        clients.sqs,
        { fromUrl, toUrl, fifo: fromUrl.endsWith(".fifo") },
        polling,
      );
      moved.push({ logicalId, moved: count });
      onEvent({ type: "messages-moved", region: clients.region, logicalId, moved: count });
    }
    await refuseToDropTableItems(clients, stack.stackName, next.stackName);
    await refuseToDropBucketObjects(clients, stack.stackName, next.stackName);
    onEvent({ type: "deleting-old-stack", region: clients.region, stackName: stack.stackName });
    deleted.push({ stackName: stack.stackName, status: (await deleteStack(context, stack.stackId)).status });
  }
  return { oldStacks: old.map((s) => s.stackName), ...(file ? { hook: file } : {}), moved, deleted };
}

/**
 * A switchover moves queues' messages but copies no table's items, and deleting the old stack
 * deletes its tables: one that holds items keeps the old stack, to be emptied or migrated first.
 */
async function refuseToDropTableItems(
  clients: AwsClients,
  oldStack: string,
  newStack: string,
): Promise<void> {
  const resources = await stackResources(clients.cloudFormation, oldStack);
  for (const r of resources) {
    if (r.ResourceType !== "AWS::DynamoDB::Table" || !r.PhysicalResourceId) continue;
    // Only a table that is gone holds nothing: a Scan refused or throttled must not read as "empty".
    const holds = await tableHoldsItems(clients.dynamodb, r.PhysicalResourceId).catch((error: unknown) => {
      if ((error as { name?: string }).name === "ResourceNotFoundException") return false;
      throw error;
    });
    if (!holds) continue;
    throw new DeployError(
      DEPLOY_ERROR.stackFailed,
      `table ${r.LogicalResourceId} (${r.PhysicalResourceId}) of ${oldStack} holds items, and a switchover copies no table items to ${newStack}; the old stack is kept. Copy its items to the new stack's table and empty it (or deploy in place), then run the deploy again.`,
    );
  }
}

/**
 * Nor does it copy a bucket's objects, and S3 deletes only an empty bucket: deleting the old stack
 * would stop in DELETE_FAILED with the bucket left. One that holds objects keeps the old stack.
 */
export async function refuseToDropBucketObjects(
  clients: Pick<AwsClients, "cloudFormation" | "s3">,
  oldStack: string,
  newStack: string,
): Promise<void> {
  const resources = await stackResources(clients.cloudFormation, oldStack);
  for (const r of resources) {
    if (r.ResourceType !== "AWS::S3::Bucket" || !r.PhysicalResourceId) continue;
    // Only a bucket that is gone holds nothing: a listing refused must not read as "empty".
    const contents = await bucketContents(clients.s3, r.PhysicalResourceId).catch((error: unknown) => {
      if ((error as { name?: string }).name === "NoSuchBucket") return undefined;
      throw error;
    });
    if (contents === undefined || !bucketHoldsData(contents)) continue;
    throw new DeployError(
      DEPLOY_ERROR.stackFailed,
      `bucket ${r.LogicalResourceId} (${r.PhysicalResourceId}) of ${oldStack} holds objects, and a switchover copies no objects to ${newStack}; the old stack is kept. Copy them to the new stack's bucket (aws s3 sync s3://${r.PhysicalResourceId} s3://<new bucket>) and empty it (or deploy in place), then run the deploy again.`,
    );
  }
}

/** Logical ID → queue URL (a queue's physical ID) of a stack's queues. */
async function queuesOf(clients: AwsClients, stackName: string): Promise<Map<string, string>> {
  const resources = await stackResources(clients.cloudFormation, stackName);
  return new Map(
    resources
      .filter((r) => r.ResourceType === "AWS::SQS::Queue" && r.PhysicalResourceId && r.LogicalResourceId)
      .map((r) => [r.LogicalResourceId as string, r.PhysicalResourceId as string]),
  );
}

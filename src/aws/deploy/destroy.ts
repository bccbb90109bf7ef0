/**
 * `sluice destroy`: what deleting a stage's stacks removes and which data goes with it, then
 * DeleteStack for each, followed to DELETE_COMPLETE (or DELETE_FAILED with the reasons).
 */
import { STATEFUL_TYPES } from "./change-diff.ts";
import type { AwsClients } from "./clients.ts";
import { type DataAtStake, dataAtStake } from "./data-at-stake.ts";
import { deleteStack, type StackWork } from "./delete-stack.ts";
import type { StackEventRow } from "./deploy-events.ts";
import { firstFailures } from "./stack-events.ts";
import { globalStack, type StageStack, stackResources, stageStacks } from "./stacks.ts";
import type { GlobalPart } from "./stage.ts";

export interface DestroyPlan {
  readonly stacks: readonly StageStack[];
  /** Every resource, per stack. */
  readonly resources: readonly {
    readonly stackName: string;
    readonly logicalId: string;
    readonly type: string;
    readonly physicalId?: string;
  }[];
  readonly atStake: readonly DataAtStake[];
}

export interface DestroyResult {
  readonly stackName: string;
  readonly status: string;
  readonly statusReason?: string;
  /** Resources whose DELETE_COMPLETE event was seen. */
  readonly removed: readonly {
    readonly logicalId: string;
    readonly type: string;
    readonly physicalId?: string;
  }[];
  readonly failures: readonly StackEventRow[];
}

/**
 * What deleting the stage's stacks in the clients' region removes: its regional stacks, or with
 * `part` its global table or global stack (a multi-region app destroys those around the regional
 * ones: the global stack first, the global tables last).
 */
export async function planDestroy(
  clients: AwsClients,
  app: string,
  stage: string,
  part?: GlobalPart,
): Promise<DestroyPlan> {
  const found = part ? await globalStack(clients.cloudFormation, app, stage, part) : undefined;
  const stacks = part ? (found ? [found] : []) : await stageStacks(clients.cloudFormation, app, stage);
  const resources: DestroyPlan["resources"][number][] = [];
  for (const stack of stacks) {
    for (const r of await stackResources(clients.cloudFormation, stack.stackName)) {
      resources.push({
        stackName: stack.stackName,
        logicalId: r.LogicalResourceId ?? "",
        type: r.ResourceType ?? "",
        ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
      });
    }
  }
  const stateful = resources
    .filter((r) => STATEFUL_TYPES[r.type] !== undefined)
    .map((r) => ({ ...r, dataLoss: STATEFUL_TYPES[r.type] }));
  return { stacks, resources, atStake: await dataAtStake(clients, stateful) };
}

export async function destroyStacks(context: StackWork, plan: DestroyPlan): Promise<DestroyResult[]> {
  const results: DestroyResult[] = [];
  // Newest first: an interrupted switchover's new stack goes before the one it replaces.
  for (const stack of [...plan.stacks].reverse()) {
    const watched = await deleteStack(context, stack.stackId);
    results.push({
      stackName: stack.stackName,
      status: watched.status,
      ...(watched.statusReason ? { statusReason: watched.statusReason } : {}),
      removed: watched.events
        .filter((e) => e.status === "DELETE_COMPLETE" && e.type !== "AWS::CloudFormation::Stack")
        .map((e) => ({
          logicalId: e.logicalId,
          type: e.type,
          ...(e.physicalId ? { physicalId: e.physicalId } : {}),
        })),
      failures: watched.status === "DELETE_COMPLETE" ? [] : firstFailures(watched.events),
    });
  }
  return results;
}

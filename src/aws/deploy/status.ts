/** `sluice status`: each stack of the stage, its outputs, its functions' states and its queues' depths. */
import type { AwsClients } from "./clients.ts";
import { type QueueDepth, queueDepth } from "./data-at-stake.ts";
import { type DeployedFunctionState, functionStates } from "./function-states.ts";
import { type StageStack, stackResources, stageStacks } from "./stacks.ts";

export interface StackStatusReport extends StageStack {
  readonly functions: readonly DeployedFunctionState[];
  readonly queues: readonly ({ readonly logicalId: string; readonly queueUrl: string } & QueueDepth)[];
}

export interface StageStatus {
  readonly region: string;
  /** Oldest generation first; two only while a switchover is under way or stopped half-way. */
  readonly stacks: readonly StackStatusReport[];
}

export async function stageStatus(clients: AwsClients, app: string, stage: string): Promise<StageStatus> {
  const stacks = await stageStacks(clients.cloudFormation, app, stage);
  const reports: StackStatusReport[] = [];
  for (const stack of stacks) {
    const resources = await stackResources(clients.cloudFormation, stack.stackName);
    const queues = await Promise.all(
      resources
        // A rolled-back stack still lists what its rollback deleted: those queues are gone.
        .filter((r) => r.ResourceType === "AWS::SQS::Queue" && r.PhysicalResourceId && !deleted(r))
        .map(async (r) => ({
          logicalId: r.LogicalResourceId ?? "",
          queueUrl: r.PhysicalResourceId ?? "",
          ...(await queueDepth(clients.sqs, r.PhysicalResourceId ?? "")),
        })),
    );
    const functions = await functionStates(clients.cloudFormation, clients.lambda, stack.stackName);
    reports.push({ ...stack, functions, queues });
  }
  return { region: clients.region, stacks: reports };
}

function deleted(resource: { readonly ResourceStatus?: string }): boolean {
  return resource.ResourceStatus === "DELETE_COMPLETE";
}

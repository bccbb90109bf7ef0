/** DeleteStack, followed to DELETE_COMPLETE (or DELETE_FAILED with the reasons): destroy and deploy share it. */
import { DeleteStackCommand } from "@aws-sdk/client-cloudformation";
import type { AwsClients } from "./clients.ts";
import type { DeployListener } from "./deploy-events.ts";
import type { Polling } from "./polling.ts";
import { currentEventIds, type StackWatch, watchStack } from "./stack-events.ts";

/** What following a stack operation needs (a StackContext has it). */
export interface StackWork {
  readonly clients: AwsClients;
  readonly polling: Polling;
  readonly onEvent: DeployListener;
}

export async function deleteStack(context: StackWork, stackId: string): Promise<StackWatch> {
  const cfn = context.clients.cloudFormation;
  const seen = await currentEventIds(cfn, stackId);
  await cfn.send(new DeleteStackCommand({ StackName: stackId }));
  return watchStack(cfn, stackId, seen, context.polling, (event) =>
    context.onEvent({ type: "stack-event", region: context.clients.region, stackName: stackId, event }),
  );
}

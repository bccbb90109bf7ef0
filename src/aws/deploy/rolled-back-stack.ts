/**
 * A stack in ROLLBACK_COMPLETE: its first creation failed (or was interrupted) and CloudFormation
 * rolled it back. Whatever the create made was deleted, and only a delete operation can be
 * performed on it (stack status codes:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html); an update
 * fails with "is in ROLLBACK_COMPLETE state and can not be updated". `sluice deploy` offers to
 * delete it and carry on with a fresh create, as CloudFormation users expect.
 */
import type { Stack } from "@aws-sdk/client-cloudformation";
import { deleteStack, type StackWork } from "./delete-stack.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import type { Confirm } from "./deploy-events.ts";

/**
 * Deletes the rolled-back stack once the user agrees (`--yes`, or yes on a terminal); else
 * throws with the exact command that deletes it. Resolves when the stack is gone.
 */
export async function clearRolledBackStack(
  context: StackWork & { readonly confirm: Confirm },
  stack: Stack,
): Promise<void> {
  const { clients, onEvent } = context;
  const region = clients.region;
  const stackName = stack.StackName ?? "";
  onEvent({
    type: "rolled-back-stack",
    region,
    stackName,
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
  });
  const refused = (why: string, cause?: unknown) =>
    new DeployError(
      DEPLOY_ERROR.rollbackComplete,
      `stack ${stackName} in ${region} is in ROLLBACK_COMPLETE: its first deploy failed and was rolled back, so it holds no resources, and CloudFormation cannot update it. ${why} Run the deploy again with --yes to delete it and deploy, or delete it with: ${deleteCommand(stackName, region, clients.endpointUrl)}`,
      { context: { stackName, region }, cause },
    );
  let confirmed: boolean;
  try {
    confirmed = await context.confirm({ region, stackName, atStake: [], action: "delete-rolled-back" });
  } catch (error) {
    // No terminal and no --yes: nobody can agree, so say what to run instead.
    if (error instanceof DeployError && error.code === DEPLOY_ERROR.declined) {
      throw refused("There is no terminal to ask on, so it was left as it is.", error);
    }
    throw error;
  }
  if (!confirmed) throw refused("It was left as it is.");
  onEvent({ type: "deleting-rolled-back-stack", region, stackName });
  const watched = await deleteStack(context, stack.StackId ?? stackName);
  if (watched.status !== "DELETE_COMPLETE") {
    throw new DeployError(
      DEPLOY_ERROR.stackFailed,
      `could not delete ${stackName} in ${region}, left in ROLLBACK_COMPLETE by its failed first deploy: it ended ${watched.status}${watched.statusReason ? ` (${watched.statusReason})` : ""}. Delete it with: ${deleteCommand(stackName, region, clients.endpointUrl)}`,
      { context: { stackName, region } },
    );
  }
}

/** The AWS CLI command that deletes exactly this stack, at the endpoint the deploy uses. */
function deleteCommand(stackName: string, region: string, endpointUrl: string | undefined): string {
  const endpoint = endpointUrl === undefined ? "" : ` --endpoint-url ${endpointUrl}`;
  return `aws cloudformation delete-stack --stack-name ${stackName} --region ${region}${endpoint}`;
}

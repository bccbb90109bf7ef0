/**
 * A deploy is done when every function of the stack can run its new code: State Active and
 * LastUpdateStatus Successful (Lambda's function states). Failed in either ends the wait.
 */

import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { GetFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import type { DeployListener } from "./deploy-events.ts";
import { type Polling, pollUntil } from "./polling.ts";
import { stackResources } from "./stacks.ts";

/** A deployed function's Lambda state as GetFunctionConfiguration reports it (the local one is local/lambda/function-state.ts). */
export interface DeployedFunctionState {
  readonly logicalId: string;
  readonly functionName: string;
  readonly state: string;
  readonly lastUpdateStatus: string;
  readonly reason?: string;
}

function isReady(fn: DeployedFunctionState): boolean {
  return fn.state === "Active" && fn.lastUpdateStatus === "Successful";
}

function isBroken(fn: DeployedFunctionState): boolean {
  return fn.state === "Failed" || fn.lastUpdateStatus === "Failed";
}

export async function functionStates(
  cfn: CloudFormationClient,
  lambda: LambdaClient,
  stackName: string,
): Promise<DeployedFunctionState[]> {
  const resources = await stackResources(cfn, stackName);
  const functions = resources.filter(
    // A rolled-back stack still lists the functions its rollback deleted: they have no state.
    (r) =>
      r.ResourceType === "AWS::Lambda::Function" &&
      r.PhysicalResourceId &&
      r.ResourceStatus !== "DELETE_COMPLETE",
  );
  return Promise.all(
    functions.map(async (r) => {
      const config = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: r.PhysicalResourceId }),
      );
      const reason = config.StateReason ?? config.LastUpdateStatusReason;
      return {
        logicalId: r.LogicalResourceId ?? "",
        functionName: r.PhysicalResourceId ?? "",
        state: config.State ?? "Unknown",
        // Functions that were never updated report no LastUpdateStatus on some runtimes' first create.
        lastUpdateStatus: config.LastUpdateStatus ?? "Successful",
        ...(reason ? { reason } : {}),
      };
    }),
  );
}

export async function waitForFunctions(
  clients: { cloudFormation: CloudFormationClient; lambda: LambdaClient; region: string },
  stackName: string,
  poll: Polling,
  onEvent: DeployListener,
): Promise<DeployedFunctionState[]> {
  let last: DeployedFunctionState[] = [];
  return pollUntil(
    poll,
    async () => {
      last = await functionStates(clients.cloudFormation, clients.lambda, stackName);
      const broken = last.filter(isBroken);
      if (broken.length > 0) {
        throw new DeployError(
          DEPLOY_ERROR.functionsFailed,
          `function(s) of ${stackName} in ${clients.region} failed: ${broken
            .map(
              (fn) =>
                `${fn.functionName} (State ${fn.state}, LastUpdateStatus ${fn.lastUpdateStatus}${fn.reason ? `: ${fn.reason}` : ""})`,
            )
            .join("; ")}`,
        );
      }
      const pending = last.filter((fn) => !isReady(fn));
      if (pending.length === 0) return last;
      onEvent({
        type: "functions-waiting",
        region: clients.region,
        pending: pending.map((fn) => fn.functionName),
      });
      return undefined;
    },
    () =>
      new DeployError(
        DEPLOY_ERROR.timeout,
        `functions of ${stackName} did not become Active/Successful: ${last
          .filter((fn) => !isReady(fn))
          .map((fn) => `${fn.functionName} ${fn.state}/${fn.lastUpdateStatus}`)
          .join(", ")}`,
      ),
  );
}

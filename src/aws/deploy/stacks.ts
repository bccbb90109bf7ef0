/** Reading stacks: one by name, the stacks of an app's stage (by tags), outputs and resources. */
import {
  type CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type Stack,
  type StackResourceSummary,
} from "@aws-sdk/client-cloudformation";
import { type GlobalPart, globalStackName, TAG } from "./stage.ts";

export interface StageStack {
  readonly stackName: string;
  readonly stackId: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly generation: number;
  readonly outputs: Readonly<Record<string, string>>;
}

/** The stack, or undefined when CloudFormation says it does not exist. */
export async function describeStack(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const result = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return result.Stacks?.[0];
  } catch (error) {
    if (isMissingStack(error)) return undefined;
    throw error;
  }
}

/** CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist". */
function isMissingStack(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === "ValidationError" && /does not exist/.test(e.message ?? "");
}

/** Every live stack (not DELETE_COMPLETE) tagged with this app and stage, oldest generation first. */
export async function stageStacks(
  cfn: CloudFormationClient,
  app: string,
  stage: string,
): Promise<StageStack[]> {
  const found: StageStack[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStacksCommand(token === undefined ? {} : { NextToken: token }));
    for (const stack of page.Stacks ?? []) {
      const tags = new Map((stack.Tags ?? []).map((t) => [t.Key, t.Value]));
      if (tags.get(TAG.app) !== app || tags.get(TAG.stage) !== stage) continue;
      // The global table and global stacks are no generation of the regional stack.
      if (tags.has(TAG.part)) continue;
      if (stack.StackStatus === "DELETE_COMPLETE") continue;
      found.push(toStageStack(stack, Number(tags.get(TAG.generation) ?? "1") || 1));
    }
    token = page.NextToken;
  } while (token);
  return found.sort((a, b) => a.generation - b.generation);
}

/**
 * The parameters a change set on `stack` may keep (UsePreviousValue): none when this deploy
 * creates it anew, from REVIEW_IN_PROGRESS (a create never executed) or ROLLBACK_COMPLETE (which
 * deployStack deletes first): CloudFormation refuses UsePreviousValue on a create.
 */
export function previousParameterKeys(stack: Stack | undefined): Set<string> {
  const status = stack?.StackStatus;
  if (status === undefined || status === "REVIEW_IN_PROGRESS" || status === "ROLLBACK_COMPLETE") {
    return new Set();
  }
  return new Set((stack?.Parameters ?? []).map((p) => p.ParameterKey ?? ""));
}

/** A stage's global table or global stack (found by name: one per stage), when it is there. */
export async function globalStack(
  cfn: CloudFormationClient,
  app: string,
  stage: string,
  part: GlobalPart,
): Promise<StageStack | undefined> {
  const stack = await describeStack(cfn, globalStackName(app, stage, part));
  if (stack === undefined || stack.StackStatus === "DELETE_COMPLETE") return undefined;
  return toStageStack(stack, 1);
}

function toStageStack(stack: Stack, generation: number): StageStack {
  return {
    stackName: stack.StackName ?? "",
    stackId: stack.StackId ?? stack.StackName ?? "",
    status: stack.StackStatus ?? "UNKNOWN",
    ...(stack.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}),
    generation,
    outputs: stackOutputs(stack),
  };
}

export function stackOutputs(stack: Stack): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const output of stack.Outputs ?? []) {
    if (output.OutputKey !== undefined && output.OutputValue !== undefined) {
      outputs[output.OutputKey] = output.OutputValue;
    }
  }
  return outputs;
}

export async function stackResources(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(
      new ListStackResourcesCommand({ StackName: stackName, ...(token ? { NextToken: token } : {}) }),
    );
    resources.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  return resources;
}

/** In progress: the stack cannot take another change until it settles. */
export function isInProgress(status: string): boolean {
  return status.endsWith("_IN_PROGRESS") && status !== "REVIEW_IN_PROGRESS";
}

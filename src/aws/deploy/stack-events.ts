/**
 * Follows a stack operation through DescribeStackEvents: reports each new event once, oldest
 * first, until the stack settles (a status that is not *_IN_PROGRESS).
 */
import {
  type CloudFormationClient,
  DescribeStackEventsCommand,
  type StackEvent,
} from "@aws-sdk/client-cloudformation";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import type { StackEventRow } from "./deploy-events.ts";
import { type Polling, pollUntil } from "./polling.ts";
import { describeStack, isInProgress } from "./stacks.ts";

export interface StackWatch {
  /** The stack's status once it settled; DELETE_COMPLETE when it no longer exists. */
  readonly status: string;
  readonly statusReason?: string;
  /** Every event seen during the operation, oldest first. */
  readonly events: readonly StackEventRow[];
}

/** Ids of the events that exist now, so a watch reports only what happens after. */
export async function currentEventIds(cfn: CloudFormationClient, stackId: string): Promise<Set<string>> {
  const seen = new Set<string>();
  try {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
    for (const e of page.StackEvents ?? []) if (e.EventId) seen.add(e.EventId);
  } catch {
    // a stack with no events yet (or none at all): nothing to skip
  }
  return seen;
}

export async function watchStack(
  cfn: CloudFormationClient,
  stackId: string,
  seen: Set<string>,
  poll: Polling,
  onEvent: (event: StackEventRow) => void,
): Promise<StackWatch> {
  const events: StackEventRow[] = [];
  const drain = async () => {
    for (const event of await newEvents(cfn, stackId, seen)) {
      events.push(event);
      onEvent(event);
    }
  };
  // Right after ExecuteChangeSet the stack may still show its previous, settled status: trust a
  // settled status once the stack's own event for it arrived, or after a few polls without one.
  let settledPolls = 0;
  const settled = await pollUntil(
    poll,
    async () => {
      await drain();
      const stack = await describeStack(cfn, stackId);
      const status = stack?.StackStatus ?? "DELETE_COMPLETE";
      if (isInProgress(status) || status === "REVIEW_IN_PROGRESS") return undefined;
      const own = events.some((e) => e.type === "AWS::CloudFormation::Stack" && e.status === status);
      if (stack !== undefined && !own && ++settledPolls < 3) return undefined;
      return { status, ...(stack?.StackStatusReason ? { statusReason: stack.StackStatusReason } : {}) };
    },
    () =>
      new DeployError(DEPLOY_ERROR.timeout, `stack ${stackId} did not settle within ${poll.timeoutMs} ms`),
  );
  await drain();
  return { ...settled, events };
}

/** Pages from the newest event back to the first one already seen. */
async function newEvents(
  cfn: CloudFormationClient,
  stackId: string,
  seen: Set<string>,
): Promise<StackEventRow[]> {
  const fresh: StackEvent[] = [];
  let token: string | undefined;
  try {
    outer: do {
      const page = await cfn.send(
        new DescribeStackEventsCommand({ StackName: stackId, ...(token ? { NextToken: token } : {}) }),
      );
      for (const e of page.StackEvents ?? []) {
        if (e.EventId === undefined || seen.has(e.EventId)) break outer;
        fresh.push(e);
      }
      token = page.NextToken;
    } while (token);
  } catch (error) {
    // A deleted stack's events may no longer be readable by name.
    if ((error as { name?: string }).name !== "ValidationError") throw error;
  }
  for (const e of fresh) if (e.EventId) seen.add(e.EventId);
  return fresh.reverse().map(toRow);
}

function toRow(e: StackEvent): StackEventRow {
  return {
    eventId: e.EventId ?? "",
    timestamp: e.Timestamp ?? new Date(0),
    logicalId: e.LogicalResourceId ?? "",
    type: e.ResourceType ?? "",
    status: e.ResourceStatus ?? "",
    ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
    ...(e.PhysicalResourceId ? { physicalId: e.PhysicalResourceId } : {}),
  };
}

/** The first failures of an operation: the resources that caused it, not the cancellations after. */
export function firstFailures(events: readonly StackEventRow[]): StackEventRow[] {
  const failed = events.filter(
    (e) => e.status.endsWith("_FAILED") && e.type !== "AWS::CloudFormation::Stack",
  );
  const causes = failed.filter((e) => !/cancelled|canceled/i.test(e.reason ?? ""));
  return (causes.length > 0 ? causes : failed).slice(0, 5);
}

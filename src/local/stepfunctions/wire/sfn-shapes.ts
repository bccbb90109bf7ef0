/**
 * The engine's answers in the shapes of Step Functions' API: dates from epoch milliseconds to the
 * epoch seconds (a number with a fraction) AWS's JSON protocols carry
 * (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html: timestamps default to
 * epoch-seconds), optional members left out rather than null, and the list paging of
 * ListStateMachines (an opaque nextToken).
 */
import { LIMITS } from "../../../model/limits.ts";
import type {
  ExecutionDescription,
  ExecutionSummary,
  HistoryEvent,
  StateMachineSummary,
} from "../service-api.ts";
import { SfnApiError } from "../service-api.ts";

const seconds = (ms: number): number => ms / 1000;

export function summaryOfMachine(m: StateMachineSummary): Record<string, unknown> {
  return {
    stateMachineArn: m.stateMachineArn,
    name: m.name,
    type: m.type,
    creationDate: seconds(m.creationDate),
  };
}

export function summaryOfExecution(e: ExecutionSummary): Record<string, unknown> {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    ...(e.stopDate === undefined ? {} : { stopDate: seconds(e.stopDate) }),
  };
}

/** DescribeExecution's (and StartSyncExecution's) answer. */
export function describedExecution(e: ExecutionDescription): Record<string, unknown> {
  return {
    ...summaryOfExecution(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output === undefined ? {} : { output: e.output, outputDetails: { included: true } }),
    ...(e.error === undefined ? {} : { error: e.error }),
    ...(e.cause === undefined ? {} : { cause: e.cause }),
    ...(e.traceHeader === undefined ? {} : { traceHeader: e.traceHeader }),
  };
}

/** One history event with its timestamp in seconds; its details object is passed as the engine wrote it. */
export function historyEvent(event: HistoryEvent): Record<string, unknown> {
  return { ...event, timestamp: seconds(event.timestamp) };
}

/** The default page size of Step Functions' list operations (maxResults absent or 0). */
const DEFAULT_PAGE = LIMITS.stepFunctionsApi.listMaxResults.default;

/**
 * One page of an in-memory list: `nextToken` is the next index, opaque to the client (base64url),
 * and anything else is InvalidToken as AWS answers a token it did not issue.
 */
export function pageOf<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
): { items: readonly T[]; next: { nextToken?: string } } {
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^list:(\d{1,9})$/.exec(Buffer.from(nextToken, "base64url").toString("utf8"));
    if (!decoded) throw new SfnApiError("InvalidToken", `Invalid Token: '${nextToken.slice(0, 64)}'`);
    start = Number(decoded[1]);
  }
  const size = maxResults || DEFAULT_PAGE;
  const end = start + size;
  return {
    items: items.slice(start, end),
    next: end < items.length ? { nextToken: Buffer.from(`list:${end}`).toString("base64url") } : {},
  };
}

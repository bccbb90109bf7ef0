/**
 * The shapes the engine's API answers with, built from its rows: an execution's summary and
 * description (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html),
 * history events without their data, and offset paging.
 */
import { LIMITS } from "../../../model/limits.ts";
import { type ExecutionDescription, type ExecutionSummary, SfnApiError } from "../service-api.ts";
import type { ExecutionRow } from "./records.ts";

export function summary(r: ExecutionRow): ExecutionSummary {
  return {
    executionArn: r.arn,
    stateMachineArn: r.machineArn,
    name: r.name,
    status: r.status,
    startDate: r.startMs,
    ...(r.stopMs !== null ? { stopDate: r.stopMs } : {}),
  };
}

export function describe(r: ExecutionRow): ExecutionDescription {
  return {
    ...summary(r),
    input: r.input,
    ...(r.output !== null ? { output: r.output } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.cause !== null ? { cause: r.cause } : {}),
    ...(r.traceHeader !== null ? { traceHeader: r.traceHeader } : {}),
  };
}

/** includeExecutionData=false: the events without their input, output and parameters. */
export function withoutData(
  details: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!details) return details;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    const inner = { ...(value as Record<string, unknown>) };
    for (const k of ["input", "inputDetails", "output", "outputDetails", "parameters"]) delete inner[k];
    out[key] = inner;
  }
  return out;
}

/** nextToken is the offset of the next page, as text. */
export function page<T, R>(
  all: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  make: (list: T[], next?: string) => R,
): R {
  const size = maxResults && maxResults > 0 ? maxResults : LIMITS.stepFunctionsApi.listMaxResults.default;
  const from = nextToken ? Number.parseInt(nextToken, 10) : 0;
  if (!Number.isInteger(from) || from < 0)
    throw new SfnApiError("InvalidToken", `Invalid Token: '${nextToken}'`);
  const list = all.slice(from, from + size);
  return make(list, from + size < all.length ? String(from + size) : undefined);
}

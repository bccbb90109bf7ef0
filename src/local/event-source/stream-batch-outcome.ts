import type { ShardRecord } from "../dynamodb/index.ts";
import type { InvokeResult } from "../lambda/index.ts";

/**
 * How a stream batch's invocation ended. With reportBatchItemFailures, the lowest reported
 * sequence number is where the batch failed: the records before it are done (the checkpoint), and
 * it and every later record are retried. A response naming an empty, missing or unknown
 * identifier fails the whole batch; an empty or absent list is full success.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
export type StreamOutcome =
  | { readonly kind: "succeeded"; readonly response: unknown }
  | { readonly kind: "failed"; readonly reason: string }
  | { readonly kind: "partial"; readonly failedIndex: number; readonly response: unknown };

export function readStreamOutcome(
  result: InvokeResult,
  batch: readonly ShardRecord[],
  reportBatchItemFailures: boolean,
): StreamOutcome {
  if (result.functionError) return { kind: "failed", reason: `function error: ${result.payload}` };
  let response: unknown;
  try {
    response = JSON.parse(result.payload);
  } catch {
    response = undefined;
  }
  if (!reportBatchItemFailures) return { kind: "succeeded", response };
  const failures =
    response !== null && typeof response === "object"
      ? (response as { batchItemFailures?: unknown }).batchItemFailures
      : undefined;
  if (failures === undefined || failures === null) return { kind: "succeeded", response };
  if (!Array.isArray(failures)) return { kind: "failed", reason: "batchItemFailures is not a list" };
  let lowest = -1;
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index =
      typeof id === "string" && id !== ""
        ? batch.findIndex((r) => r.record.dynamodb.SequenceNumber === id)
        : -1;
    if (index < 0)
      return {
        kind: "failed",
        reason: `batchItemFailures names ${JSON.stringify(id)}, which is not a sequence number of this batch`,
      };
    if (lowest < 0 || index < lowest) lowest = index;
  }
  return lowest < 0 ? { kind: "succeeded", response } : { kind: "partial", failedIndex: lowest, response };
}

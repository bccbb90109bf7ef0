/**
 * Reads a partial batch response. As on AWS, a response that names an id not in the batch, or an
 * empty id, fails the whole batch; `null`, an empty list or no `batchItemFailures` means success.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export type BatchOutcome =
  | { readonly kind: "all-succeeded" }
  | { readonly kind: "all-failed"; readonly reason: string }
  | { readonly kind: "partial"; readonly failed: ReadonlySet<string> };

export function readBatchResponse(payload: string, messageIds: readonly string[]): BatchOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { kind: "all-succeeded" };
  }
  if (parsed === null || typeof parsed !== "object") return { kind: "all-succeeded" };
  const failures = (parsed as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: "all-succeeded" };
  if (!Array.isArray(failures)) return { kind: "all-failed", reason: "batchItemFailures is not a list" };
  const known = new Set(messageIds);
  const failed = new Set<string>();
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || id === "" || !known.has(id)) {
      return {
        kind: "all-failed",
        reason: `batchItemFailures names ${JSON.stringify(id)}, which is not a message of this batch`,
      };
    }
    failed.add(id);
  }
  return failed.size === 0 ? { kind: "all-succeeded" } : { kind: "partial", failed };
}

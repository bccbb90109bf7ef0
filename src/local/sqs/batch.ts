import { matchesLimit } from "../../model/limit-rules.ts";
import { LIMITS } from "../../model/limits.ts";
import { SqsError } from "./errors.ts";
import type { BatchResultError } from "./types.ts";

const { batchEntries, batchEntryId } = LIMITS.sqs;

/** The checks SQS makes on a whole batch before looking at any entry. */
export function checkBatchEntries(entries: readonly { readonly id: string }[]): void {
  if (entries.length === 0) {
    throw new SqsError("EmptyBatchRequest", "There should be at least one entry in the request.");
  }
  if (entries.length > batchEntries.max) {
    throw new SqsError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${batchEntries.max}. You have sent ${entries.length}; split the batch.`,
    );
  }
  const seen = new Set<string>();
  for (const { id } of entries) {
    if (typeof id !== "string" || !matchesLimit(batchEntryId, id)) {
      throw new SqsError(
        "InvalidBatchEntryId",
        `A batch entry id can only contain alphanumeric characters, hyphens and underscores, up to ${batchEntryId.max} (got "${id}").`,
      );
    }
    if (seen.has(id)) {
      throw new SqsError(
        "BatchEntryIdsNotDistinct",
        `Id ${id} repeated. Give each entry in a batch its own id.`,
      );
    }
    seen.add(id);
  }
}

/** Runs one entry; an SqsError becomes that entry's failure, anything else is a bug and escapes. */
export function runEntry<T>(id: string, failed: BatchResultError[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    failed.push({ id, code: error.code, message: error.message, senderFault: error.senderFault });
    return undefined;
  }
}

/** `runEntry` for entries that return nothing: true when the entry succeeded. */
export function entrySucceeds(id: string, failed: BatchResultError[], fn: () => void): boolean {
  return (
    runEntry(id, failed, () => {
      fn();
      return true;
    }) === true
  );
}

/**
 * The operations addressed by a receipt handle: DeleteMessage and ChangeMessageVisibility, singly
 * and in batches. Standard and FIFO queues differ on stale handles, as SQS's do.
 */

import { LIMITS } from "../../model/limits.ts";
import { checkBatchEntries, entrySucceeds } from "./batch.ts";
import type { EngineParts } from "./engine-parts.ts";
import { invalidParameter, type SqsError } from "./errors.ts";
import { checkInteger } from "./parameter-checks.ts";
import type { QueueRecord } from "./queue-registry.ts";
import { decodeReceiptHandle } from "./receipt-handle.ts";
import type {
  BatchResult,
  BatchResultError,
  ChangeMessageVisibilityBatchEntry,
  DeleteMessageBatchEntry,
} from "./types.ts";

export class ReceiptOperations {
  constructor(private readonly parts: EngineParts) {}

  deleteMessage(queue: string, receiptHandle: string): void {
    const q = this.parts.registry.resolve(queue);
    this.deleteOne(q, receiptHandle);
  }

  deleteMessageBatch(
    queue: string,
    entries: readonly DeleteMessageBatchEntry[],
  ): BatchResult<{ readonly id: string }> {
    return this.eachEntry(queue, entries, (q, e) => this.deleteOne(q, e.receiptHandle));
  }

  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): void {
    const q = this.parts.registry.resolve(queue);
    this.changeOne(q, receiptHandle, visibilityTimeoutSeconds);
  }

  changeMessageVisibilityBatch(
    queue: string,
    entries: readonly ChangeMessageVisibilityBatchEntry[],
  ): BatchResult<{ readonly id: string }> {
    return this.eachEntry(queue, entries, (q, e) =>
      this.changeOne(q, e.receiptHandle, e.visibilityTimeoutSeconds),
    );
  }

  /** One transaction for the batch; an entry that fails is reported and the others still apply. */
  private eachEntry<E extends { readonly id: string }>(
    queue: string,
    entries: readonly E[],
    apply: (q: QueueRecord, entry: E) => void,
  ): BatchResult<{ readonly id: string }> {
    const q = this.parts.registry.resolve(queue);
    checkBatchEntries(entries);
    const failed: BatchResultError[] = [];
    const successful = this.parts.db.transaction(() =>
      entries.filter((e) => entrySucceeds(e.id, failed, () => apply(q, e))).map((e) => ({ id: e.id })),
    )();
    return { successful, failed };
  }

  /** Deletes with any handle the message was given (standard); FIFO needs the current, unexpired one. */
  private deleteOne(q: QueueRecord, receiptHandle: string): void {
    const { clock, store, waiters } = this.parts;
    const handle = decodeReceiptHandle(receiptHandle, q.id);
    if (!q.spec.fifo) {
      store.deleteBySeq.run({ seq: handle.seq, queue: q.id });
      return;
    }
    const row = store.selectBySeq.get(handle.seq);
    if (!row || row.queue_id !== q.id) return; // Already deleted, or moved: SQS answers success.
    if (row.receipt !== handle.token || row.received_at === null || row.visible_at <= clock.now()) {
      throw expiredHandle(receiptHandle);
    }
    store.deleteBySeq.run({ seq: handle.seq, queue: q.id });
    waiters.notify(q.id); // The group's next message may be receivable now.
  }

  private changeOne(q: QueueRecord, receiptHandle: string, seconds: number): void {
    const { clock, store, waiters } = this.parts;
    checkInteger("VisibilityTimeout", seconds, LIMITS.sqs.visibilityTimeout);
    const handle = decodeReceiptHandle(receiptHandle, q.id);
    const row = store.selectBySeq.get(handle.seq);
    if (!row || row.queue_id !== q.id) {
      throw invalidParameter(
        "ReceiptHandle",
        receiptHandle,
        "Message does not exist or is not available for visibility timeout change.",
      );
    }
    const now = clock.now();
    const current = row.receipt === handle.token && row.received_at !== null && row.visible_at > now;
    if (!current) {
      // SQS ignores an expired or superseded handle on a standard queue; a FIFO queue rejects it.
      if (q.spec.fifo) throw expiredHandle(receiptHandle);
      return;
    }
    const visibleAt = now + seconds * 1000;
    if (visibleAt > (row.received_at ?? now) + LIMITS.sqs.messageVisibility.max * 1000) {
      throw invalidParameter(
        "VisibilityTimeout",
        seconds,
        `Total VisibilityTimeout for the message is beyond the limit [${LIMITS.sqs.messageVisibility.max} seconds] counted from its receive.`,
      );
    }
    store.setVisibleAt.run({ seq: handle.seq, visibleAt });
    if (seconds === 0) waiters.notify(q.id);
    else waiters.reschedule(q.id);
  }
}

function expiredHandle(receiptHandle: string): SqsError {
  return invalidParameter(
    "ReceiptHandle",
    receiptHandle,
    "The receipt handle has expired. Receive the message again and use the new handle.",
  );
}

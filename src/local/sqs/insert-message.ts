import { randomUUID } from "node:crypto";
import { LIMITS } from "../../model/limits.ts";
import type { MessageStore } from "./message-store.ts";
import type { QueueRecord } from "./queue-registry.ts";
import { sequenceNumber } from "./to-received-message.ts";
import type { SendMessageResult } from "./types.ts";
import type { PreparedMessage } from "./validate-message.ts";

/** SQS's FIFO deduplication interval. */
const DEDUP_INTERVAL_MS = LIMITS.sqs.deduplicationInterval.default * 1000;
/** Expired deduplication ids are swept now and then rather than on every send. */
const DEDUP_SWEEP_EVERY = 256;

/**
 * Stores one validated message. For FIFO queues the caller wraps this in a transaction: a
 * deduplication id seen in the last 5 minutes is accepted but not enqueued again, and the answer
 * carries the original message's id and sequence number, as SQS's does.
 */
export class MessageInserter {
  private fifoSends = 0;

  constructor(private readonly store: MessageStore) {}

  insert(q: QueueRecord, m: PreparedMessage, now: number): SendMessageResult {
    const md5 = {
      md5OfMessageBody: m.md5Body,
      ...(m.md5Attributes && { md5OfMessageAttributes: m.md5Attributes }),
      ...(m.md5SystemAttributes && { md5OfMessageSystemAttributes: m.md5SystemAttributes }),
    };
    const { store } = this;
    if (q.spec.fifo && m.dedupId !== null) {
      const duplicate = store.selectDedup.get({ queue: q.id, dedupId: m.dedupId });
      if (duplicate && duplicate.expires_at > now) {
        return { messageId: duplicate.message_id, sequenceNumber: duplicate.sequence_number, ...md5 };
      }
    }
    const messageId = randomUUID();
    const { lastInsertRowid } = store.insert.run({
      queue: q.id,
      messageId,
      body: m.body,
      md5Body: m.md5Body,
      attributes: m.attributesJson,
      md5Attributes: m.md5Attributes ?? null,
      systemAttributes: m.systemAttributesJson,
      groupId: m.groupId,
      dedupId: m.dedupId,
      now,
      visibleAt: now + m.delaySeconds * 1000,
      senderId: m.senderId,
    });
    if (!q.spec.fifo || m.dedupId === null) return { messageId, ...md5 };
    const seq = sequenceNumber(Number(lastInsertRowid));
    const expiresAt = now + DEDUP_INTERVAL_MS;
    store.upsertDedup.run({ queue: q.id, dedupId: m.dedupId, messageId, sequenceNumber: seq, expiresAt });
    if (++this.fifoSends % DEDUP_SWEEP_EVERY === 0) store.sweepDedup.run({ queue: q.id, now });
    return { messageId, sequenceNumber: seq, ...md5 };
  }
}

import { randomUUID } from "node:crypto";
import { LIMITS } from "../../model/limits.ts";
import type { Mutable } from "../../model/mutable.ts";
import type { MessageStore } from "./message-store.ts";
import { type SentHop, sentHop } from "./message-trace.ts";
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
 * carries the original message's id and sequence number, as SQS's does. With the queue attribute
 * `DeduplicationScope` set to `messageGroup` (high-throughput FIFO), an id is a duplicate only
 * within its message group ([high throughput](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/high-throughput-fifo.html)).
 */
export class MessageInserter {
  private fifoSends = 0;

  constructor(private readonly store: MessageStore) {}

  /** `sent` collects the stored message's trace hop (not a FIFO duplicate's: nothing is stored). */
  insert(q: QueueRecord, m: PreparedMessage, now: number, sent: SentHop[]): SendMessageResult {
    const { store } = this;
    const dedupKey = q.spec.fifo && m.dedupId !== null ? this.dedupKey(q, m.groupId, m.dedupId) : undefined;
    if (dedupKey !== undefined) {
      const duplicate = store.selectDedup.get({ queue: q.id, dedupId: dedupKey });
      if (duplicate && duplicate.expires_at > now) {
        return result(duplicate.message_id, m, duplicate.sequence_number);
      }
    }
    const row = this.row(q, m, now, sent);
    const { lastInsertRowid } = store.insert.run(...row.values);
    if (dedupKey === undefined) return row.result;
    const messageId = row.result.messageId;
    const seq = sequenceNumber(Number(lastInsertRowid));
    const expiresAt = now + DEDUP_INTERVAL_MS;
    store.upsertDedup.run({ queue: q.id, dedupId: dedupKey, messageId, sequenceNumber: seq, expiresAt });
    if (++this.fifoSends % DEDUP_SWEEP_EVERY === 0) store.sweepDedup.run({ queue: q.id, now });
    return result(messageId, m, seq);
  }

  /**
   * What a deduplication id is remembered by: the id, or with `messageGroup` scope the group and
   * the id, apart by a space, which neither may contain (letters, digits and punctuation only).
   */
  private dedupKey(q: QueueRecord, groupId: string | null, dedupId: string): string {
    const scope = this.store.dedupScope.get({ queue: q.id })?.value;
    return scope === "messageGroup" ? `${groupId ?? ""} ${dedupId}` : dedupId;
  }

  /** A message as the insert statement's values and the send's answer, with its new id and trace hop (`sent`). */
  row(q: QueueRecord, m: PreparedMessage, now: number, sent: SentHop[]): MessageRowValues {
    const messageId = randomUUID();
    const hop = sentHop(messageId, m.body, m.givenTraceHeader, now);
    sent.push(hop);
    const values: InsertValues = [
      q.id,
      messageId,
      m.body,
      m.md5Body,
      m.attributesJson,
      m.md5Attributes ?? null,
      m.systemAttributesJson,
      m.groupId,
      m.dedupId,
      now,
      now,
      now,
      now + m.delaySeconds * 1000,
      m.senderId,
      hop.header,
    ];
    return { values, result: result(messageId, m) };
  }
}

/** The values of a message's row (the insert statement's, in order) and the send's answer. */
export interface MessageRowValues {
  readonly values: InsertValues;
  readonly result: SendMessageResult;
}

export type InsertValues = Parameters<MessageStore["insert"]["run"]>;

/** One literal with the optional digests assigned: spreads are V8's slow path, on every send (issue 14). */
function result(messageId: string, m: PreparedMessage, sequenceNumber?: string): SendMessageResult {
  const out: Mutable<SendMessageResult> = { messageId, md5OfMessageBody: m.md5Body };
  if (sequenceNumber !== undefined) out.sequenceNumber = sequenceNumber;
  if (m.md5Attributes) out.md5OfMessageAttributes = m.md5Attributes;
  if (m.md5SystemAttributes) out.md5OfMessageSystemAttributes = m.md5SystemAttributes;
  return out;
}

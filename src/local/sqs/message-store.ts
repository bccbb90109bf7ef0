import type { Statement } from "better-sqlite3";
import type { Db } from "../store/index.ts";
import type { MessageRow } from "./schema.ts";

const COPY_COLUMNS =
  "message_id, body, md5_body, attributes, md5_attributes, system_attributes, group_id, dedup_id, sent_at, sender_id";

interface MoveParams {
  /** Queue the message moves to. */
  to: number;
  now: number;
  /** 1 to restart the retention clock (FIFO), 0 to keep the original enqueue time (standard). */
  resetRetention: number;
}

type Run<P> = Statement<[P]>;
type Rows<P, R> = Statement<[P], R>;

/**
 * Every statement the SQS surface runs against `sqs_messages` and `sqs_dedup` (and the one queue
 * attribute a send reads, its deduplication scope), prepared once.
 * Callers wrap them in transactions; nothing here decides semantics.
 */
export class MessageStore {
  /**
   * Bound by position, in column order (queue_id … trace_header; `now` is sent_at, enqueued_at and
   * retention_base): named parameters are looked up on the object one by one, about a µs more per
   * SendMessage (issue 14).
   */
  readonly insert: Statement<
    [
      queue: number,
      messageId: string,
      body: string,
      md5Body: string,
      attributes: string | null,
      md5Attributes: string | null,
      systemAttributes: string | null,
      groupId: string | null,
      dedupId: string | null,
      sentAt: number,
      enqueuedAt: number,
      retentionBase: number,
      visibleAt: number,
      senderId: string | null,
      traceHeader: string,
    ]
  >;
  /** Standard receive: the oldest-due visible messages. */
  readonly selectReady: Rows<{ queue: number; now: number; limit: number }, MessageRow>;
  /** Fair queues: whether a standard queue holds any message with a MessageGroupId (the partial index). */
  readonly anyGrouped: Rows<{ queue: number }, { one: number }>;
  /** Fair queues: in-flight messages per MessageGroupId (null: messages without one). */
  readonly inFlightByGroup: Rows<{ queue: number; now: number }, { group_id: string | null; n: number }>;
  /** Fair queues: visible messages outside the noisy groups (a JSON array), oldest due first. */
  readonly selectReadyQuiet: Rows<{ queue: number; now: number; noisy: string; limit: number }, MessageRow>;
  /** Fair queues: one group's visible messages, oldest due first. */
  readonly selectReadyInGroup: Rows<{ queue: number; now: number; group: string; limit: number }, MessageRow>;
  /**
   * FIFO: visible messages of groups with nothing in flight, oldest due first, after a cursor.
   * The blocked groups are filtered inside SQLite, so a large blocked group costs an index scan,
   * not a row per message in JavaScript.
   */
  readonly selectFifoCandidates: Rows<
    { queue: number; now: number; afterVisibleAt: number; afterSeq: number; limit: number },
    { group_id: string; visible_at: number; seq: number }
  >;
  readonly selectGroupFrom: Rows<
    { queue: number; group: string; fromSeq: number; limit: number },
    MessageRow
  >;
  readonly selectBySeq: Statement<[number], MessageRow>;
  readonly markReceived: Run<{ seq: number; now: number; visibleAt: number; receipt: string }>;
  readonly setVisibleAt: Run<{ seq: number; visibleAt: number }>;
  readonly deleteBySeq: Run<{ seq: number; queue: number }>;
  /** `traceHeader`: the header of the `dead-letter` hop, which the DLQ's receivers continue. */
  readonly moveToDeadLetter: Run<MoveParams & { seq: number; source: string; traceHeader: string }>;
  readonly redriveAll: Run<MoveParams & { from: number }>;
  readonly redriveBySource: Run<MoveParams & { from: number; source: string }>;
  readonly deleteRedrivenAll: Run<{ from: number; now: number }>;
  readonly deleteRedrivenBySource: Run<{ from: number; now: number; source: string }>;
  readonly redriveSources: Rows<{ from: number; now: number }, { source_queue: string | null }>;
  readonly sweepExpired: Run<{ queue: number; cutoff: number }>;
  readonly deleteQueueMessages: Statement<[number]>;
  readonly anyVisible: Rows<{ queue: number; now: number }, { one: number }>;
  readonly nextDue: Rows<{ queue: number; now: number }, { due: number | null }>;
  readonly counts: Rows<
    { queue: number; now: number },
    { visible: number | null; in_flight: number | null; delayed: number | null; oldest: number | null }
  >;
  readonly selectDedup: Rows<
    { queue: number; dedupId: string },
    { message_id: string; sequence_number: string; expires_at: number }
  >;
  readonly upsertDedup: Run<{
    queue: number;
    dedupId: string;
    messageId: string;
    sequenceNumber: string;
    expiresAt: number;
  }>;
  readonly sweepDedup: Run<{ queue: number; now: number }>;
  /** A FIFO queue's `DeduplicationScope` as SetQueueAttributes stored it (absent: `queue`). */
  readonly dedupScope: Rows<{ queue: number }, { value: string }>;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO sqs_messages (queue_id, message_id, body, md5_body, attributes, md5_attributes, system_attributes,
        group_id, dedup_id, sent_at, enqueued_at, retention_base, visible_at, sender_id, trace_header)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectReady = db.prepare(
      "SELECT * FROM sqs_messages WHERE queue_id = @queue AND visible_at <= @now ORDER BY visible_at, seq LIMIT @limit",
    );
    this.anyGrouped = db.prepare(
      "SELECT 1 AS one FROM sqs_messages WHERE queue_id = @queue AND group_id IS NOT NULL LIMIT 1",
    );
    this.inFlightByGroup = db.prepare(
      `SELECT group_id, COUNT(*) AS n FROM sqs_messages
       WHERE queue_id = @queue AND visible_at > @now AND received_at IS NOT NULL GROUP BY group_id`,
    );
    this.selectReadyQuiet = db.prepare(
      `SELECT * FROM sqs_messages WHERE queue_id = @queue AND visible_at <= @now
         AND (group_id IS NULL OR group_id NOT IN (SELECT value FROM json_each(@noisy)))
       ORDER BY visible_at, seq LIMIT @limit`,
    );
    this.selectReadyInGroup = db.prepare(
      `SELECT * FROM sqs_messages WHERE queue_id = @queue AND group_id = @group AND visible_at <= @now
       ORDER BY visible_at, seq LIMIT @limit`,
    );
    this.selectFifoCandidates = db.prepare(
      `SELECT group_id, visible_at, seq FROM sqs_messages
       WHERE queue_id = @queue AND visible_at <= @now AND (visible_at, seq) > (@afterVisibleAt, @afterSeq)
         AND group_id NOT IN (SELECT group_id FROM sqs_messages WHERE queue_id = @queue AND group_id IS NOT NULL
           AND received_at IS NOT NULL AND visible_at > @now)
       ORDER BY visible_at, seq LIMIT @limit`,
    );
    this.selectGroupFrom = db.prepare(
      `SELECT * FROM sqs_messages WHERE queue_id = @queue AND group_id = @group AND seq >= @fromSeq
       ORDER BY seq LIMIT @limit`,
    );
    this.selectBySeq = db.prepare("SELECT * FROM sqs_messages WHERE seq = ?");
    this.markReceived = db.prepare(
      `UPDATE sqs_messages SET visible_at = @visibleAt, receive_count = receive_count + 1,
        first_received_at = COALESCE(first_received_at, @now), received_at = @now, receipt = @receipt WHERE seq = @seq`,
    );
    this.setVisibleAt = db.prepare("UPDATE sqs_messages SET visible_at = @visibleAt WHERE seq = @seq");
    this.deleteBySeq = db.prepare("DELETE FROM sqs_messages WHERE seq = @seq AND queue_id = @queue");
    // A dead-lettered message keeps its id, body, attributes, SentTimestamp and receive count.
    this.moveToDeadLetter = db.prepare(
      `INSERT INTO sqs_messages (queue_id, ${COPY_COLUMNS}, enqueued_at, retention_base, visible_at, receive_count,
        first_received_at, source_queue, trace_header)
       SELECT @to, ${COPY_COLUMNS}, @now, CASE WHEN @resetRetention THEN @now ELSE retention_base END, @now,
        receive_count, first_received_at, @source, @traceHeader
       FROM sqs_messages WHERE seq = @seq`,
    );
    // A redriven message starts over: no receives, no source, visible now, appended in DLQ order.
    const redrive = `INSERT INTO sqs_messages (queue_id, ${COPY_COLUMNS}, trace_header, enqueued_at, retention_base, visible_at)
       SELECT @to, ${COPY_COLUMNS}, trace_header, @now, CASE WHEN @resetRetention THEN @now ELSE retention_base END, @now
       FROM sqs_messages WHERE queue_id = @from AND (received_at IS NULL OR visible_at <= @now)`;
    this.redriveAll = db.prepare(`${redrive} ORDER BY seq`);
    this.redriveBySource = db.prepare(`${redrive} AND source_queue = @source ORDER BY seq`);
    const deleteRedriven =
      "DELETE FROM sqs_messages WHERE queue_id = @from AND (received_at IS NULL OR visible_at <= @now)";
    this.deleteRedrivenAll = db.prepare(deleteRedriven);
    this.deleteRedrivenBySource = db.prepare(`${deleteRedriven} AND source_queue = @source`);
    this.redriveSources = db.prepare(
      `SELECT DISTINCT source_queue FROM sqs_messages
       WHERE queue_id = @from AND (received_at IS NULL OR visible_at <= @now)`,
    );
    // Two seeks (schema.ts): rows whose retention clock is their enqueue time through the age
    // index, and moved rows with an earlier clock through their partial index. The first branch
    // also checks retention_base, so a clock set back between enqueue and move stays exact.
    this.sweepExpired = db.prepare(
      `DELETE FROM sqs_messages WHERE queue_id = @queue AND (
         (enqueued_at <= @cutoff AND retention_base <= @cutoff)
         OR (retention_base < enqueued_at AND retention_base <= @cutoff))`,
    );
    this.deleteQueueMessages = db.prepare("DELETE FROM sqs_messages WHERE queue_id = ?");
    this.anyVisible = db.prepare(
      "SELECT 1 AS one FROM sqs_messages WHERE queue_id = @queue AND visible_at <= @now LIMIT 1",
    );
    this.nextDue = db.prepare(
      "SELECT MIN(visible_at) AS due FROM sqs_messages WHERE queue_id = @queue AND visible_at > @now",
    );
    // Independent of the queue's depth: the stored count is one row the triggers keep (schema.ts),
    // in flight and delayed are the rows still ahead of now in the covering ready index, and the
    // oldest is one seek in the age index. Visible is what remains, exactly as a full count.
    this.counts = db.prepare(
      `SELECT stored - in_flight - delayed AS visible, in_flight, delayed, oldest FROM (
         SELECT COALESCE((SELECT stored FROM sqs_queue_depth WHERE queue_id = @queue), 0) AS stored,
                COUNT(received_at) AS in_flight,
                COUNT(*) - COUNT(received_at) AS delayed,
                (SELECT MIN(enqueued_at) FROM sqs_messages WHERE queue_id = @queue) AS oldest
         FROM sqs_messages WHERE queue_id = @queue AND visible_at > @now)`,
    );
    this.selectDedup = db.prepare(
      "SELECT message_id, sequence_number, expires_at FROM sqs_dedup WHERE queue_id = @queue AND dedup_id = @dedupId",
    );
    this.upsertDedup = db.prepare(
      `INSERT INTO sqs_dedup (queue_id, dedup_id, message_id, sequence_number, expires_at)
       VALUES (@queue, @dedupId, @messageId, @sequenceNumber, @expiresAt)
       ON CONFLICT (queue_id, dedup_id) DO UPDATE SET message_id = excluded.message_id,
         sequence_number = excluded.sequence_number, expires_at = excluded.expires_at`,
    );
    this.sweepDedup = db.prepare("DELETE FROM sqs_dedup WHERE queue_id = @queue AND expires_at <= @now");
    this.dedupScope = db.prepare(
      "SELECT value FROM sqs_queue_properties WHERE queue_id = @queue AND kind = 'attribute' AND key = 'DeduplicationScope'",
    );
  }
}

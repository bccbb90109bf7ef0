import { createHash } from "node:crypto";
import type { QueueSpec } from "../../model/app-spec.ts";
import { partition } from "../../model/naming.ts";
import type { Clock } from "../clock.ts";
import type { Db } from "../store/store.ts";
import { checkBatchEntries, entrySucceeds, runEntry } from "./batch.ts";
import { SqsError, invalidParameter } from "./errors.ts";
import { MessageInserter } from "./insert-message.ts";
import { MessageStore } from "./message-store.ts";
import { MoveTasks } from "./move-tasks.ts";
import { QueueAdmin } from "./queue-admin.ts";
import { QueueProperties } from "./queue-properties.ts";
import { type QueueRecord, QueueRegistry } from "./queue-registry.ts";
import { decodeReceiptHandle } from "./receipt-handle.ts";
import { type ReceiveOutcome, hasReceivable, receiveFifo, receiveStandard } from "./receive.ts";
import type { ReceiveContext } from "./received-message.ts";
import { redriveMessages } from "./redrive.ts";
import { migrateSqs } from "./schema.ts";
import { type PreparedMessage, messageSize, prepareMessage } from "./validate-message.ts";
import { QueueWaiters } from "./waiters.ts";
import type {
  BatchResult,
  BatchResultError,
  ChangeMessageVisibilityBatchEntry,
  DeleteMessageBatchEntry,
  MessageMoveTask,
  QueueService,
  QueueStats,
  ReceiveMessageInput,
  ReceivedMessage,
  SendMessageBatchEntry,
  SendMessageBatchResultEntry,
  SendMessageInput,
  SendMessageResult,
  StartMessageMoveTaskInput,
} from "./types.ts";

export interface QueueServiceOptions {
  /** The application's store (see `openStore`); the SQS tables are created in it. */
  readonly db: Db;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /** The SenderId attribute of received messages. @default the account id */
  readonly senderId?: string;
}

const PURGE_INTERVAL_MS = 60_000;
const MAX_VISIBILITY_SECONDS = 43_200;

export function createQueueService(options: QueueServiceOptions): QueueService {
  return new LocalQueueService(options);
}

/**
 * SQS on SQLite. Every accepted message is committed before `sendMessage` returns; receives select
 * and lock in one transaction; time (delays, visibility, retention, deduplication) is clock time
 * stored in the rows, so a restarted service on the same file carries on where it stopped.
 */
class LocalQueueService implements QueueService {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly registry: QueueRegistry;
  private readonly store: MessageStore;
  private readonly waiters: QueueWaiters;
  private readonly ctx: { fifo: ReceiveContext; standard: ReceiveContext };
  private readonly region: string;
  private readonly accountId: string;
  private readonly inserter: MessageInserter;
  private readonly admin: QueueAdmin;
  private closed = false;

  constructor(options: QueueServiceOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.region = options.region;
    this.accountId = options.accountId;
    migrateSqs(this.db);
    this.registry = new QueueRegistry(this.db, this.clock);
    this.store = new MessageStore(this.db);
    this.inserter = new MessageInserter(this.store);
    this.waiters = new QueueWaiters(
      this.clock,
      (id) => this.store.nextDue.get({ queue: id, now: this.clock.now() })?.due ?? undefined,
    );
    const senderId = options.senderId ?? options.accountId;
    const arnOf = (queueName: string) => this.arn(queueName);
    this.ctx = { fifo: { fifo: true, senderId, arnOf }, standard: { fifo: false, senderId, arnOf } };
    this.admin = new QueueAdmin({
      db: this.db,
      clock: this.clock,
      registry: this.registry,
      properties: new QueueProperties(this.db),
      moveTasks: new MoveTasks(this.db),
      arn: arnOf,
      stats: (queue) => this.stats(queue),
      redrive: (dlq, destination) => this.redrive(dlq, destination),
    });
  }

  createQueueWithAttributes(
    queueName: string,
    attributes?: Readonly<Record<string, string>>,
    tags?: Readonly<Record<string, string>>,
  ): QueueSpec {
    return this.admin.createQueueWithAttributes(queueName, attributes, tags);
  }

  getQueueAttributes(queue: string, names: readonly string[]): Record<string, string> {
    return this.admin.getQueueAttributes(queue, names);
  }

  setQueueAttributes(queue: string, attributes: Readonly<Record<string, string>>): void {
    this.admin.setQueueAttributes(queue, attributes);
    // A shorter delay or visibility may make messages due sooner: wake waiters to look again.
    this.waiters.notify(this.registry.resolve(queue).id);
  }

  tagQueue(queue: string, tags: Readonly<Record<string, string>>): void {
    this.admin.tagQueue(queue, tags);
  }

  untagQueue(queue: string, keys: readonly string[]): void {
    this.admin.untagQueue(queue, keys);
  }

  listQueueTags(queue: string): Record<string, string> {
    return this.admin.listQueueTags(queue);
  }

  deadLetterSourceQueues(queue: string): QueueSpec[] {
    return this.admin.deadLetterSourceQueues(queue);
  }

  startMessageMoveTask(input: StartMessageMoveTaskInput): { readonly taskHandle: string } {
    return this.admin.startMessageMoveTask(input);
  }

  listMessageMoveTasks(sourceArn: string, maxResults?: number): MessageMoveTask[] {
    return this.admin.listMessageMoveTasks(sourceArn, maxResults);
  }

  ensureQueues(queues: readonly QueueSpec[]): void {
    for (const id of this.registry.ensure(queues)) this.waiters.notify(id);
  }

  createQueue(spec: QueueSpec): QueueSpec {
    return this.registry.create(spec).spec;
  }

  deleteQueue(name: string): void {
    this.waiters.notify(this.registry.delete(name).id);
  }

  getQueue(name: string): QueueSpec {
    return this.registry.resolve(name).spec;
  }

  listQueues(): QueueSpec[] {
    return this.registry.list();
  }

  queueArn(name: string): string {
    return this.arn(this.registry.resolve(name).spec.queueName);
  }

  sendMessage(queue: string, input: SendMessageInput): SendMessageResult {
    const q = this.registry.resolve(queue);
    const prepared = prepareMessage(q.spec, input, sha256Hex);
    const now = this.clock.now();
    const result = q.spec.fifo
      ? this.db.transaction(() => this.inserter.insert(q, prepared, now))()
      : this.inserter.insert(q, prepared, now);
    this.afterSend(q, prepared.delaySeconds);
    return result;
  }

  sendMessageBatch(
    queue: string,
    entries: readonly SendMessageBatchEntry[],
  ): BatchResult<SendMessageBatchResultEntry> {
    const q = this.registry.resolve(queue);
    checkBatchEntries(entries);
    const total = entries.reduce((sum, e) => sum + messageSize(e), 0);
    if (total > q.spec.maxMessageSize) {
      throw new SqsError(
        "BatchRequestTooLong",
        `Batch requests cannot be longer than ${q.spec.maxMessageSize} bytes. You have sent ${total} bytes; send fewer or smaller messages per batch.`,
      );
    }
    const failed: BatchResultError[] = [];
    const accepted: { id: string; prepared: PreparedMessage }[] = [];
    for (const entry of entries) {
      const prepared = runEntry(entry.id, failed, () => prepareMessage(q.spec, entry, sha256Hex));
      if (prepared) accepted.push({ id: entry.id, prepared });
    }
    const now = this.clock.now();
    const successful = this.db.transaction(() =>
      accepted.map(({ id, prepared }) => ({ id, ...this.inserter.insert(q, prepared, now) })),
    )();
    for (const { prepared } of accepted) this.afterSend(q, prepared.delaySeconds);
    return { successful, failed };
  }

  async receiveMessages(queue: string, input: ReceiveMessageInput = {}): Promise<ReceivedMessage[]> {
    let q = this.registry.resolve(queue);
    const max = checkInteger("MaxNumberOfMessages", input.maxNumberOfMessages ?? 1, 1, 10);
    const visibility = input.visibilityTimeoutSeconds;
    if (visibility !== undefined) checkInteger("VisibilityTimeout", visibility, 0, MAX_VISIBILITY_SECONDS);
    const wait = checkInteger(
      "WaitTimeSeconds",
      input.waitTimeSeconds ?? q.spec.receiveWaitTimeSeconds,
      0,
      20,
    );
    let messages = this.receiveNow(q, max, visibility);
    if (messages.length > 0 || wait === 0) return messages;
    const deadline = this.clock.now() + wait * 1000;
    while (!this.closed) {
      const why = await this.waiters.wait(q.id, { signal: input.signal, deadline });
      if (why === "aborted") return [];
      q = this.registry.resolve(queue);
      messages = this.receiveNow(q, max, visibility);
      if (messages.length > 0 || why === "deadline" || this.clock.now() >= deadline) return messages;
    }
    return [];
  }

  deleteMessage(queue: string, receiptHandle: string): void {
    const q = this.registry.resolve(queue);
    this.deleteOne(q, receiptHandle);
  }

  deleteMessageBatch(
    queue: string,
    entries: readonly DeleteMessageBatchEntry[],
  ): BatchResult<{ readonly id: string }> {
    const q = this.registry.resolve(queue);
    checkBatchEntries(entries);
    const failed: BatchResultError[] = [];
    const successful = this.db.transaction(() =>
      entries
        .filter((e) => entrySucceeds(e.id, failed, () => this.deleteOne(q, e.receiptHandle)))
        .map((e) => ({ id: e.id })),
    )();
    return { successful, failed };
  }

  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): void {
    const q = this.registry.resolve(queue);
    this.changeOne(q, receiptHandle, visibilityTimeoutSeconds);
  }

  changeMessageVisibilityBatch(
    queue: string,
    entries: readonly ChangeMessageVisibilityBatchEntry[],
  ): BatchResult<{ readonly id: string }> {
    const q = this.registry.resolve(queue);
    checkBatchEntries(entries);
    const failed: BatchResultError[] = [];
    const successful = this.db.transaction(() =>
      entries
        .filter((e) =>
          entrySucceeds(e.id, failed, () => this.changeOne(q, e.receiptHandle, e.visibilityTimeoutSeconds)),
        )
        .map((e) => ({ id: e.id })),
    )();
    return { successful, failed };
  }

  purgeQueue(queue: string): void {
    const q = this.registry.resolve(queue);
    const now = this.clock.now();
    if (q.lastPurgeAt !== null && now - q.lastPurgeAt < PURGE_INTERVAL_MS) {
      throw new SqsError(
        "PurgeQueueInProgress",
        `Only one PurgeQueue operation on ${q.spec.queueName} is allowed every 60 seconds; the last one was ${Math.floor((now - q.lastPurgeAt) / 1000)} s ago.`,
        { queue: q.spec.queueName },
      );
    }
    this.db.transaction(() => {
      this.store.deleteQueueMessages.run(q.id);
      this.registry.markPurged(q, now);
    })();
    this.waiters.reschedule(q.id);
  }

  stats(queue: string): QueueStats {
    const q = this.registry.resolve(queue);
    const now = this.clock.now();
    const counts = this.counts(q, now);
    const dlq = this.registry.deadLetterOf(q);
    const stats: QueueStats = {
      name: q.spec.name,
      queueName: q.spec.queueName,
      fifo: q.spec.fifo,
      visible: counts.visible ?? 0,
      inFlight: counts.in_flight ?? 0,
      delayed: counts.delayed ?? 0,
      oldestAgeSeconds: counts.oldest === null ? 0 : Math.max(0, Math.floor((now - counts.oldest) / 1000)),
    };
    return dlq ? { ...stats, deadLetterDepth: this.counts(dlq, now).visible ?? 0 } : stats;
  }

  redrive(deadLetterQueue: string, destination?: string): number {
    const dlq = this.registry.resolve(deadLetterQueue);
    const dest = destination === undefined ? undefined : this.registry.resolve(destination);
    if (dest && (dest.id === dlq.id || dest.spec.fifo !== dlq.spec.fifo)) {
      throw invalidParameter(
        "DestinationArn",
        this.arn(dest.spec.queueName),
        "The destination must be another queue of the same type (standard or FIFO) as the dead-letter queue.",
      );
    }
    const now = this.clock.now();
    const find = (queueName: string) => this.registry.find(queueName);
    const { moved, destinations } = this.db.transaction(() =>
      redriveMessages(this.store, find, dlq, dest, now),
    )();
    for (const q of destinations) this.waiters.notify(q.id);
    return moved;
  }

  async waitForMessages(queue: string, signal?: AbortSignal): Promise<void> {
    const q = this.registry.resolve(queue);
    if (this.closed || signal?.aborted || hasReceivable(this.store, q, this.clock.now())) return;
    await this.waiters.wait(q.id, { signal });
  }

  close(): void {
    this.closed = true;
    this.waiters.closeAll();
  }

  private arn(queueName: string): string {
    return `arn:${partition(this.region)}:sqs:${this.region}:${this.accountId}:${queueName}`;
  }

  private afterSend(q: QueueRecord, delaySeconds: number): void {
    if (delaySeconds === 0) this.waiters.notify(q.id);
    else this.waiters.reschedule(q.id);
  }

  private receiveNow(q: QueueRecord, max: number, visibility: number | undefined): ReceivedMessage[] {
    const now = this.clock.now();
    const dlq = this.registry.deadLetterOf(q);
    const dl = q.spec.deadLetter;
    const plan = {
      queue: q,
      now,
      max,
      visibilityTimeoutSeconds: visibility ?? q.spec.visibilityTimeoutSeconds,
      ...(dlq && dl && { deadLetter: { queue: dlq, maxReceiveCount: dl.maxReceiveCount } }),
      ctx: q.spec.fifo ? this.ctx.fifo : this.ctx.standard,
    };
    const outcome: ReceiveOutcome = this.db.transaction(() => {
      this.sweep(q, now);
      return q.spec.fifo ? receiveFifo(this.store, plan) : receiveStandard(this.store, plan);
    })();
    if (outcome.deadLettered > 0 && dlq) this.waiters.notify(dlq.id);
    if (outcome.messages.length > 0) this.waiters.reschedule(q.id);
    return outcome.messages;
  }

  /** Deletes with any handle the message was given (standard); FIFO needs the current, unexpired one. */
  private deleteOne(q: QueueRecord, receiptHandle: string): void {
    const handle = decodeReceiptHandle(receiptHandle, q.id);
    if (!q.spec.fifo) {
      this.store.deleteBySeq.run({ seq: handle.seq, queue: q.id });
      return;
    }
    const row = this.store.selectBySeq.get(handle.seq);
    if (!row || row.queue_id !== q.id) return; // Already deleted, or moved: SQS answers success.
    if (row.receipt !== handle.token || row.received_at === null || row.visible_at <= this.clock.now()) {
      throw expiredHandle(receiptHandle);
    }
    this.store.deleteBySeq.run({ seq: handle.seq, queue: q.id });
    this.waiters.notify(q.id); // The group's next message may be receivable now.
  }

  private changeOne(q: QueueRecord, receiptHandle: string, seconds: number): void {
    checkInteger("VisibilityTimeout", seconds, 0, MAX_VISIBILITY_SECONDS);
    const handle = decodeReceiptHandle(receiptHandle, q.id);
    const row = this.store.selectBySeq.get(handle.seq);
    if (!row || row.queue_id !== q.id) {
      throw invalidParameter(
        "ReceiptHandle",
        receiptHandle,
        "Message does not exist or is not available for visibility timeout change.",
      );
    }
    const now = this.clock.now();
    const current = row.receipt === handle.token && row.received_at !== null && row.visible_at > now;
    if (!current) {
      // SQS ignores an expired or superseded handle on a standard queue; a FIFO queue rejects it.
      if (q.spec.fifo) throw expiredHandle(receiptHandle);
      return;
    }
    const visibleAt = now + seconds * 1000;
    if (visibleAt > (row.received_at ?? now) + MAX_VISIBILITY_SECONDS * 1000) {
      throw invalidParameter(
        "VisibilityTimeout",
        seconds,
        `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds] counted from its receive.`,
      );
    }
    this.store.setVisibleAt.run({ seq: handle.seq, visibleAt });
    if (seconds === 0) this.waiters.notify(q.id);
    else this.waiters.reschedule(q.id);
  }

  /** Retention: expired messages are dropped lazily, when the queue is next looked at. */
  private sweep(q: QueueRecord, now: number): void {
    this.store.sweepExpired.run({ queue: q.id, cutoff: now - q.spec.retentionSeconds * 1000 });
  }

  private counts(q: QueueRecord, now: number) {
    this.sweep(q, now);
    return (
      this.store.counts.get({ queue: q.id, now }) ?? { visible: 0, in_flight: 0, delayed: 0, oldest: null }
    );
  }
}

function checkInteger(parameter: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(parameter, value, `Must be an integer from ${min} to ${max}, if provided.`);
  }
  return value;
}

function expiredHandle(receiptHandle: string): SqsError {
  return invalidParameter(
    "ReceiptHandle",
    receiptHandle,
    "The receipt handle has expired. Receive the message again and use the new handle.",
  );
}

function sha256Hex(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

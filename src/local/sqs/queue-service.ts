import type { QueueSpec } from "../../model/app-spec.ts";
import { arn } from "../../model/naming.ts";
import type { Clock } from "../clock/index.ts";
import { type Db, IntentSlot } from "../store/index.ts";
import { NO_TRACER, type Tracer } from "../traces/index.ts";
import type { EngineParts } from "./engine-parts.ts";
import { MessageInserter } from "./insert-message.ts";
import { MessageReceiver } from "./message-receiver.ts";
import { MessageSender } from "./message-send.ts";
import { MessageStore } from "./message-store.ts";
import { MoveTasks } from "./move-tasks.ts";
import { QueueAdmin } from "./queue-admin.ts";
import { QueueContents } from "./queue-contents.ts";
import { QueueProperties } from "./queue-properties.ts";
import { QueueRegistry } from "./queue-registry.ts";
import { ReceiptOperations } from "./receipt-operations.ts";
import { migrateSqs } from "./schema.ts";
import { commitAnsweredSends, SEND_INTENT_SUFFIX } from "./send-intent.ts";
import type {
  AnsweredSend,
  BatchResult,
  ChangeMessageVisibilityBatchEntry,
  DeleteMessageBatchEntry,
  MessageMoveTask,
  QueueService,
  QueueStats,
  ReceivedMessage,
  ReceiveMessageInput,
  SendMessageBatchEntry,
  SendMessageBatchResultEntry,
  SendMessageInput,
  SendMessageResult,
  StartMessageMoveTaskInput,
} from "./types.ts";
import { QueueWaiters } from "./waiters.ts";

export interface QueueServiceOptions {
  /** The application's store (see `openStore`); the SQS tables are created in it. */
  readonly db: Db;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /** The SenderId of received messages sent without one (the user's own calls). @default the account id */
  readonly senderId?: string;
  /**
   * Records a `send` hop per accepted message and a `dead-letter` hop per message maxReceiveCount
   * moves (issue 20). @default NO_TRACER (nothing recorded)
   * @example tracer: cloud.traces
   */
  readonly tracer?: Tracer;
}

export function createQueueService(options: QueueServiceOptions): QueueService {
  return new LocalQueueService(options);
}

/**
 * SQS on SQLite. Every accepted message is committed before `sendMessage` returns; receives select
 * and lock in one transaction; time (delays, visibility, retention, deduplication) is clock time
 * stored in the rows, so a restarted service on the same file carries on where it stopped.
 * This class composes the parts: queue lifecycle and attributes here and in QueueAdmin, sends in
 * MessageSender, receives and long polls in MessageReceiver, receipt-handle operations in
 * ReceiptOperations, purge, depth and redrive in QueueContents.
 */
class LocalQueueService implements QueueService {
  private readonly registry: QueueRegistry;
  private readonly waiters: QueueWaiters;
  private readonly region: string;
  private readonly accountId: string;
  private readonly admin: QueueAdmin;
  private readonly sender: MessageSender;
  private readonly receiver: MessageReceiver;
  private readonly receipts: ReceiptOperations;
  private readonly contents: QueueContents;
  private readonly intent: IntentSlot | undefined;
  private closed = false;

  constructor(options: QueueServiceOptions) {
    const { db, clock } = options;
    this.region = options.region;
    this.accountId = options.accountId;
    migrateSqs(db);
    this.registry = new QueueRegistry(db, clock);
    const store = new MessageStore(db);
    this.waiters = new QueueWaiters(
      clock,
      (id) => store.nextDue.get({ queue: id, now: clock.now() })?.due ?? undefined,
    );
    const arn = (queueName: string) => this.arn(queueName);
    const parts: EngineParts = {
      db,
      clock,
      registry: this.registry,
      store,
      waiters: this.waiters,
      arn,
      tracer: options.tracer ?? NO_TRACER,
    };
    // The state file's own: an in-memory store has nothing to survive, so it commits every send first.
    this.intent = db.memory ? undefined : new IntentSlot(`${db.name}${SEND_INTENT_SUFFIX}`);
    if (this.intent) commitAnsweredSends(this.intent, db, store);
    this.sender = new MessageSender(parts, new MessageInserter(store), this.intent);
    this.receiver = new MessageReceiver(parts, {
      senderId: options.senderId ?? options.accountId,
      closed: () => this.closed,
    });
    this.receipts = new ReceiptOperations(parts);
    this.contents = new QueueContents(parts);
    this.admin = new QueueAdmin({
      db,
      clock,
      registry: this.registry,
      properties: new QueueProperties(db),
      moveTasks: new MoveTasks(db),
      arn,
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
    return this.sender.sendMessage(queue, input);
  }

  sendMessageAnsweredFirst(queue: string, input: SendMessageInput): AnsweredSend {
    return this.sender.sendMessageAnsweredFirst(queue, input);
  }

  sendMessageBatch(
    queue: string,
    entries: readonly SendMessageBatchEntry[],
  ): BatchResult<SendMessageBatchResultEntry> {
    return this.sender.sendMessageBatch(queue, entries);
  }

  receiveMessages(queue: string, input: ReceiveMessageInput = {}): Promise<ReceivedMessage[]> {
    return this.receiver.receiveMessages(queue, input);
  }

  deleteMessage(queue: string, receiptHandle: string): void {
    this.receipts.deleteMessage(queue, receiptHandle);
  }

  deleteMessageBatch(
    queue: string,
    entries: readonly DeleteMessageBatchEntry[],
  ): BatchResult<{ readonly id: string }> {
    return this.receipts.deleteMessageBatch(queue, entries);
  }

  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): void {
    this.receipts.changeMessageVisibility(queue, receiptHandle, visibilityTimeoutSeconds);
  }

  changeMessageVisibilityBatch(
    queue: string,
    entries: readonly ChangeMessageVisibilityBatchEntry[],
  ): BatchResult<{ readonly id: string }> {
    return this.receipts.changeMessageVisibilityBatch(queue, entries);
  }

  purgeQueue(queue: string): void {
    this.contents.purgeQueue(queue);
  }

  stats(queue: string): QueueStats {
    return this.contents.stats(queue);
  }

  redrive(deadLetterQueue: string, destination?: string): number {
    return this.contents.redrive(deadLetterQueue, destination);
  }

  hasReceivable(queue: string): boolean {
    return this.receiver.hasReceivable(queue);
  }

  waitForMessages(queue: string, signal?: AbortSignal): Promise<void> {
    return this.receiver.waitForMessages(queue, signal);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiters.closeAll();
    this.sender.close();
    this.intent?.close();
  }

  private arn(queueName: string): string {
    return arn("sqs", this.region, this.accountId, queueName);
  }
}

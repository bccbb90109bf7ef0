/**
 * The SQS surface's one interface. Event source mappings, routing, the CLI and (later) the AWS
 * wire endpoint all go through it; nobody reads the queue tables directly.
 */
import type { QueueSpec } from "../../model/app-spec.ts";

export interface MessageAttributeValue {
  /** `String`, `Number`, `Binary`, or one of those with a custom suffix (`String.json`). */
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>;

export interface SendMessageInput {
  readonly body: string;
  /** Overrides the queue's delay; standard queues only (AWS rejects it on FIFO). */
  readonly delaySeconds?: number;
  readonly messageAttributes?: MessageAttributes;
  /** `AWSTraceHeader` is the only system attribute AWS accepts. */
  readonly messageSystemAttributes?: MessageAttributes;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  /**
   * Who sent it, as ReceiveMessage's `SenderId` gives it: a function's role session id
   * (`AROA…:<function name>`). Absent: the account's own id (the root user's id is the account id).
   */
  readonly senderId?: string;
  /**
   * The X-Ray trace header of the request that sent it (its X-Amzn-Trace-Id, a route's
   * invocation header): kept as the message's trace, shown as AWSTraceHeader when no system
   * attribute overrides it (issue 20).
   */
  readonly traceHeader?: string;
  /**
   * A trace the message belongs to locally that AWS would not pass on (a schedule's firing:
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-related-service-xray.html): its
   * send hop is that trace's child, and receivers see no AWSTraceHeader for it. `traceHeader` wins.
   */
  readonly linkedTraceHeader?: string;
  /** Who sent it, for its trace hop (`function:ingest`, `schedule:nightly`). @default "client" */
  readonly source?: string;
}

export interface SendMessageResult {
  readonly messageId: string;
  readonly md5OfMessageBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly md5OfMessageSystemAttributes?: string;
  /** FIFO only. */
  readonly sequenceNumber?: string;
}

/** A send answered before its row is committed (send-intent.ts): `store` commits it once the answer is out. */
export interface AnsweredSend {
  readonly result: SendMessageResult;
  readonly store: () => void;
}

export interface ReceiveMessageInput {
  /** 1–10. @default 1 */
  readonly maxNumberOfMessages?: number;
  /** Overrides the queue's visibility timeout for these messages. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long polling, 0–20 s. @default the queue's receiveWaitTimeSeconds */
  readonly waitTimeSeconds?: number;
  /**
   * FIFO: a receive retried with the same id within 5 minutes returns the same messages and
   * receipt handles, locked again, while none was changed since (receive-attempts.ts). Ignored on
   * standard queues.
   */
  readonly receiveRequestAttemptId?: string;
  /** Ends a long poll early (the caller went away). */
  readonly signal?: AbortSignal;
}

/** A received message, with every system attribute; callers filter what the request asked for. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly messageAttributes: MessageAttributes;
  /**
   * SQS system attributes as AWS names them: ApproximateReceiveCount, SentTimestamp, SenderId,
   * ApproximateFirstReceiveTimestamp, and for FIFO MessageGroupId, MessageDeduplicationId,
   * SequenceNumber; AWSTraceHeader when one was sent; DeadLetterQueueSourceArn in a dead-letter
   * queue. Values are strings, as on the wire.
   */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * The message's trace header as the engine keeps it (issue 20): the sender's, or a new trace
   * when it gave none. Only local pollers read it (an event source mapping's invocation runs
   * under it); receivers over the wire see AWSTraceHeader only when the sender gave one.
   */
  readonly traceHeader?: string;
}

export interface QueueStats {
  readonly name: string;
  readonly queueName: string;
  readonly fifo: boolean;
  /** ApproximateNumberOfMessages */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed */
  readonly delayed: number;
  /** Visible messages in this queue's dead-letter queue, when it has one. */
  readonly deadLetterDepth?: number;
  /** Seconds since the oldest message still in the queue was sent; 0 when empty. */
  readonly oldestAgeSeconds: number;
}

export interface BatchResultError {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly senderFault: boolean;
}

export interface SendMessageBatchEntry extends SendMessageInput {
  /** Caller's id for this entry, unique in the batch: up to 80 of `A-Za-z0-9_-`. */
  readonly id: string;
}

export interface SendMessageBatchResultEntry extends SendMessageResult {
  readonly id: string;
}

export interface DeleteMessageBatchEntry {
  readonly id: string;
  readonly receiptHandle: string;
}

export interface ChangeMessageVisibilityBatchEntry {
  readonly id: string;
  readonly receiptHandle: string;
  readonly visibilityTimeoutSeconds: number;
}

/** A batch call succeeds as a whole; each entry succeeds or fails on its own, as in SQS. */
export interface BatchResult<T> {
  readonly successful: readonly T[];
  readonly failed: readonly BatchResultError[];
}

export interface MessageMoveTask {
  /** Present only while the task runs, as in ListMessageMoveTasks. */
  readonly taskHandle?: string;
  readonly status: "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxNumberOfMessagesPerSecond?: number;
  readonly approximateNumberOfMessagesMoved: number;
  readonly approximateNumberOfMessagesToMove: number;
  readonly failureReason?: string;
  /** Epoch milliseconds. */
  readonly startedTimestamp: number;
}

export interface StartMessageMoveTaskInput {
  /** ARN of the dead-letter queue to move messages out of. */
  readonly sourceArn: string;
  /** @default each message goes back to the queue it was dead-lettered from */
  readonly destinationArn?: string;
  /** 1–500; accepted, but Sluice moves every message at once. */
  readonly maxNumberOfMessagesPerSecond?: number;
}

/** What the SQS API can do beyond sending and receiving: attributes, tags, DLQ redrive tasks. */
export interface QueueAdministration {
  /**
   * CreateQueue with the API's attribute names (`VisibilityTimeout`, `FifoQueue`, ...). Returns the
   * existing queue when every given attribute matches it; QueueNameExists when one differs.
   */
  createQueueWithAttributes(
    queueName: string,
    attributes?: Readonly<Record<string, string>>,
    tags?: Readonly<Record<string, string>>,
  ): QueueSpec;
  /** `All` or attribute names. Throws InvalidAttributeName for unknown ones. */
  getQueueAttributes(queue: string, names: readonly string[]): Record<string, string>;
  /** Throws InvalidAttributeName / InvalidAttributeValue; messages are kept. */
  setQueueAttributes(queue: string, attributes: Readonly<Record<string, string>>): void;
  tagQueue(queue: string, tags: Readonly<Record<string, string>>): void;
  untagQueue(queue: string, keys: readonly string[]): void;
  listQueueTags(queue: string): Record<string, string>;
  /** Queues whose redrive policy names `queue` as their dead-letter queue. */
  deadLetterSourceQueues(queue: string): QueueSpec[];
  /** Moves the messages now and records a COMPLETED task. Throws ResourceNotFoundException. */
  startMessageMoveTask(input: StartMessageMoveTaskInput): { readonly taskHandle: string };
  /** Most recent first; `maxResults` 1–10, default 1. */
  listMessageMoveTasks(sourceArn: string, maxResults?: number): MessageMoveTask[];
}

export interface QueueService extends QueueAdministration {
  /**
   * Creates or updates queues from the definition (idempotent; existing messages are kept). A queue
   * whose physical name changed (e.g. it became FIFO) is replaced, as CloudFormation would.
   */
  ensureQueues(queues: readonly QueueSpec[]): void;
  /**
   * CreateQueue: returns the existing queue when one with the same name and attributes exists.
   * Throws SqsError QueueNameExists when the attributes differ, QueueDeletedRecently within 60 s of
   * deleting that name, InvalidAttributeValue for out-of-range attributes.
   */
  createQueue(spec: QueueSpec): QueueSpec;
  /** DeleteQueue: drops the queue and its messages. Throws SqsError QueueDoesNotExist. */
  deleteQueue(name: string): void;
  /** `arn:<partition>:sqs:<region>:<account>:<queueName>`. Throws SqsError QueueDoesNotExist. */
  queueArn(name: string): string;
  /** Definition name or physical queue name. Throws SqsError QueueDoesNotExist. */
  getQueue(name: string): QueueSpec;
  listQueues(): QueueSpec[];
  sendMessage(queue: string, input: SendMessageInput): SendMessageResult;
  /**
   * SendMessage whose answer may go out before its row is committed: the caller answers with
   * `result`, then runs `store` at once, in the same synchronous run (send-intent.ts). The wire
   * endpoint's SendMessage uses it (issue 14); everything else calls `sendMessage`.
   */
  sendMessageAnsweredFirst(queue: string, input: SendMessageInput): AnsweredSend;
  /** 1–10 entries, committed together. Throws SqsError for batch-level errors only. */
  sendMessageBatch(
    queue: string,
    entries: readonly SendMessageBatchEntry[],
  ): BatchResult<SendMessageBatchResultEntry>;
  receiveMessages(queue: string, input?: ReceiveMessageInput): Promise<ReceivedMessage[]>;
  deleteMessage(queue: string, receiptHandle: string): void;
  deleteMessageBatch(
    queue: string,
    entries: readonly DeleteMessageBatchEntry[],
  ): BatchResult<{ readonly id: string }>;
  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): void;
  changeMessageVisibilityBatch(
    queue: string,
    entries: readonly ChangeMessageVisibilityBatchEntry[],
  ): BatchResult<{ readonly id: string }>;
  purgeQueue(queue: string): void;
  stats(queue: string): QueueStats;
  /**
   * Moves messages from a dead-letter queue back to `destination`, or to the queue each message
   * came from when omitted. Returns how many moved.
   */
  redrive(deadLetterQueue: string, destination?: string): number;
  /** Resolves when `queue` may have a visible message (a send, a visibility expiry, a delay end). */
  waitForMessages(queue: string, signal?: AbortSignal): Promise<void>;
  /**
   * True when a receive now would return (or dead-letter) a message: one is visible (FIFO: at the
   * head of a group with none in flight). Read-only; one indexed lookup (FIFO: its candidate groups).
   * An event source mapping's pendingWork reads it while settling.
   */
  hasReceivable(queue: string): boolean;
  /** Ends pending long polls (they return no messages) and timers; the caller closes the database. */
  close(): void;
}

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
}

export interface SendMessageResult {
  readonly messageId: string;
  readonly md5OfMessageBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly md5OfMessageSystemAttributes?: string;
  /** FIFO only. */
  readonly sequenceNumber?: string;
}

export interface ReceiveMessageInput {
  /** 1–10. @default 1 */
  readonly maxNumberOfMessages?: number;
  /** Overrides the queue's visibility timeout for these messages. */
  readonly visibilityTimeoutSeconds?: number;
  /** Long polling, 0–20 s. @default the queue's receiveWaitTimeSeconds */
  readonly waitTimeSeconds?: number;
  /** FIFO: retrying a receive with the same id within 5 minutes returns the same messages. */
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
   * SequenceNumber; AWSTraceHeader when one was sent. Values are strings, as on the wire.
   */
  readonly attributes: Readonly<Record<string, string>>;
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

export interface QueueService {
  /** Creates or updates queues from the definition (idempotent; existing messages are kept). */
  ensureQueues(queues: readonly QueueSpec[]): void;
  /** Definition name or physical queue name. Throws SqsError QueueDoesNotExist. */
  getQueue(name: string): QueueSpec;
  listQueues(): QueueSpec[];
  sendMessage(queue: string, input: SendMessageInput): SendMessageResult;
  receiveMessages(queue: string, input?: ReceiveMessageInput): Promise<ReceivedMessage[]>;
  deleteMessage(queue: string, receiptHandle: string): void;
  changeMessageVisibility(queue: string, receiptHandle: string, visibilityTimeoutSeconds: number): void;
  purgeQueue(queue: string): void;
  stats(queue: string): QueueStats;
  /**
   * Moves messages from a dead-letter queue back to `destination`, or to the queue each message
   * came from when omitted. Returns how many moved.
   */
  redrive(deadLetterQueue: string, destination?: string): number;
  /** Resolves when `queue` may have a visible message (a send, a visibility expiry, a delay end). */
  waitForMessages(queue: string, signal?: AbortSignal): Promise<void>;
  close(): void;
}

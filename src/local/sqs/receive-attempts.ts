/**
 * ReceiveRequestAttemptId on FIFO queues: "If a networking issue occurs after a ReceiveMessage
 * action, and instead of a response you receive a generic error, it is possible to retry the same
 * action with an identical ReceiveRequestAttemptId to retrieve the same set of messages", for 5
 * minutes after the receive, "if none of the messages have been modified (deleted or had their
 * visibility changes)"; the retry returns the same receipt handles and starts the visibility
 * timeout again ([ReceiveMessage](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html)).
 *
 * Each receive that names an id and gets messages keeps, in the same transaction, which rows it
 * locked with which receipt token and until when. A retry finds every row as it left it (same
 * token: not received again; same `visible_at`: neither deleted nor made visible by
 * ChangeMessageVisibility) or is refused with the InvalidParameterValue AWS answers a retry it
 * cannot serve ("The receiveRequestAttemptId is not valid anymore since the receive call is not
 * retryable.", quoted in awslabs/amazon-sqs-java-messaging-lib#213). A receive that got nothing is
 * not kept: retrying it is a new receive. The retry neither counts as a receive
 * (ApproximateReceiveCount stays) nor moves a message to a dead-letter queue.
 */
import type { Statement } from "better-sqlite3";
import { LIMITS } from "../../model/limits.ts";
import type { Db } from "../store/index.ts";
import { invalidParameter } from "./errors.ts";

/** One message a receive locked: its row, the receipt token it was given, and until when. */
export interface AttemptMessage {
  readonly seq: number;
  readonly receipt: string;
  readonly visibleAt: number;
}

/** A kept receive: when it ran, and what it locked. */
export interface KeptAttempt {
  readonly receivedAt: number;
  readonly messages: readonly AttemptMessage[];
}

const PERIOD_MS = LIMITS.sqs.receiveRequestAttemptPeriod.default * 1000;

export function notRetryable(attemptId: string): Error {
  return invalidParameter(
    "ReceiveRequestAttemptId",
    attemptId,
    "The receiveRequestAttemptId is not valid anymore since the receive call is not retryable.",
  );
}

export class ReceiveAttempts {
  private readonly select: Statement<[number, string], { received_at: number; messages: string }>;
  private readonly upsert: Statement<[number, string, number, string]>;
  private readonly sweep: Statement<[number, number]>;

  constructor(db: Db) {
    this.select = db.prepare(
      "SELECT received_at, messages FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ?",
    );
    this.upsert = db.prepare(
      `INSERT INTO sqs_receive_attempts (queue_id, attempt_id, received_at, messages) VALUES (?, ?, ?, ?)
       ON CONFLICT (queue_id, attempt_id) DO UPDATE SET received_at = excluded.received_at, messages = excluded.messages`,
    );
    this.sweep = db.prepare("DELETE FROM sqs_receive_attempts WHERE queue_id = ? AND received_at <= ?");
  }

  /** The receive `attemptId` names on this queue, while it can still be retried. */
  find(queue: number, attemptId: string, now: number): KeptAttempt | undefined {
    const row = this.select.get(queue, attemptId);
    if (row === undefined || row.received_at <= now - PERIOD_MS) return undefined;
    return { receivedAt: row.received_at, messages: JSON.parse(row.messages) as AttemptMessage[] };
  }

  /** Keeps a receive (or a retry's new visibility, under the first receive's time); forgets expired ones. */
  keep(queue: number, attemptId: string, attempt: KeptAttempt, now: number): void {
    this.sweep.run(queue, now - PERIOD_MS);
    this.upsert.run(queue, attemptId, attempt.receivedAt, JSON.stringify(attempt.messages));
  }
}

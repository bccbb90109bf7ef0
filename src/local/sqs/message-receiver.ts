/**
 * ReceiveMessage, short and long polls: a receive selects and locks its messages in one
 * transaction; a long poll waits on the queue's waiter until a message may be receivable or its
 * wait ends on the clock, then looks again.
 */

import { LIMITS } from "../../model/limits.ts";
import type { EngineParts } from "./engine-parts.ts";
import { recordDeadLetters } from "./message-trace.ts";
import { checkInteger } from "./parameter-checks.ts";
import { sweepExpired } from "./queue-contents.ts";
import type { QueueRecord } from "./queue-registry.ts";
import { ReceiveAttempts } from "./receive-attempts.ts";
import {
  hasReceivable,
  type ReceiveOutcome,
  receiveFifo,
  receiveStandard,
  replayReceive,
} from "./receive-visibility.ts";
import type { ReceiveContext } from "./to-received-message.ts";
import type { ReceivedMessage, ReceiveMessageInput } from "./types.ts";
import { checkFifoId } from "./validate-message.ts";

export interface MessageReceiverOptions {
  /** The SenderId attribute of received messages. */
  readonly senderId: string;
  /** True once the service has closed: long polls return instead of waiting again. */
  readonly closed: () => boolean;
}

export class MessageReceiver {
  private readonly ctx: { fifo: ReceiveContext; standard: ReceiveContext };
  private readonly attempts: ReceiveAttempts;

  constructor(
    private readonly parts: EngineParts,
    private readonly options: MessageReceiverOptions,
  ) {
    const { senderId } = options;
    const arnOf = parts.arn;
    this.ctx = { fifo: { fifo: true, senderId, arnOf }, standard: { fifo: false, senderId, arnOf } };
    this.attempts = new ReceiveAttempts(parts.db);
  }

  async receiveMessages(queue: string, input: ReceiveMessageInput = {}): Promise<ReceivedMessage[]> {
    const { clock, registry, waiters } = this.parts;
    let q = registry.resolve(queue);
    const batch = LIMITS.sqs.receiveBatch;
    const max = checkInteger("MaxNumberOfMessages", input.maxNumberOfMessages ?? batch.default, batch);
    const visibility = input.visibilityTimeoutSeconds;
    if (visibility !== undefined) checkInteger("VisibilityTimeout", visibility, LIMITS.sqs.visibilityTimeout);
    const wait = checkInteger(
      "WaitTimeSeconds",
      input.waitTimeSeconds ?? q.spec.receiveWaitTimeSeconds,
      LIMITS.sqs.receiveMessageWaitTime,
    );
    // The id means something on FIFO queues only (ReceiveMessage's reference); elsewhere it is ignored.
    const attemptId = q.spec.fifo ? input.receiveRequestAttemptId : undefined;
    checkFifoId("ReceiveRequestAttemptId", attemptId, LIMITS.sqs.receiveRequestAttemptId);
    let messages = this.receiveNow(q, max, visibility, attemptId);
    if (messages.length > 0 || wait === 0) return messages;
    const deadline = clock.now() + wait * 1000;
    while (!this.options.closed()) {
      const why = await waiters.wait(q.id, { signal: input.signal, deadline });
      if (why === "aborted") return [];
      q = registry.resolve(queue);
      messages = this.receiveNow(q, max, visibility, attemptId);
      if (messages.length > 0 || why === "deadline" || clock.now() >= deadline) return messages;
    }
    return [];
  }

  /** See QueueService.hasReceivable. */
  hasReceivable(queue: string): boolean {
    const { clock, registry, store } = this.parts;
    return hasReceivable(store, registry.resolve(queue), clock.now());
  }

  async waitForMessages(queue: string, signal?: AbortSignal): Promise<void> {
    const { clock, registry, store, waiters } = this.parts;
    const q = registry.resolve(queue);
    if (this.options.closed() || signal?.aborted || hasReceivable(store, q, clock.now())) return;
    await waiters.wait(q.id, { signal });
  }

  private receiveNow(
    q: QueueRecord,
    max: number,
    visibility: number | undefined,
    attemptId: string | undefined,
  ): ReceivedMessage[] {
    const { db, clock, registry, store, waiters } = this.parts;
    const now = clock.now();
    const dlq = registry.deadLetterOf(q);
    const dl = q.spec.deadLetter;
    const plan = {
      queue: q,
      now,
      max,
      visibilityTimeoutSeconds: visibility ?? q.spec.visibilityTimeoutSeconds,
      ...(dlq && dl && { deadLetter: { queue: dlq, maxReceiveCount: dl.maxReceiveCount } }),
      ctx: q.spec.fifo ? this.ctx.fifo : this.ctx.standard,
    };
    const outcome: ReceiveOutcome = db.transaction(() => {
      sweepExpired(db, store, q, now);
      const kept = attemptId === undefined ? undefined : this.attempts.find(q.id, attemptId, now);
      if (attemptId !== undefined && kept !== undefined) {
        const replayed = replayReceive(store, plan, attemptId, kept.messages);
        this.attempts.keep(q.id, attemptId, { receivedAt: kept.receivedAt, messages: replayed.taken }, now);
        return replayed;
      }
      const received = q.spec.fifo ? receiveFifo(store, plan) : receiveStandard(store, plan);
      if (attemptId !== undefined && received.taken.length > 0)
        this.attempts.keep(q.id, attemptId, { receivedAt: now, messages: received.taken }, now);
      return received;
    })();
    if (outcome.deadLettered.length > 0 && dlq && dl) {
      waiters.notify(dlq.id);
      recordDeadLetters(this.parts.tracer, q, dl.maxReceiveCount, outcome.deadLettered, now);
    }
    if (outcome.messages.length > 0) waiters.reschedule(q.id);
    return outcome.messages;
  }
}

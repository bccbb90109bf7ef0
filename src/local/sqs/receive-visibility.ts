import { LIMITS } from "../../model/limits.ts";
import { noisyGroups } from "./fair-queue.ts";
import type { MessageStore } from "./message-store.ts";
import { type DeadLetterHop, deadLetterHop } from "./message-trace.ts";
import type { QueueRecord } from "./queue-registry.ts";
import { encodeReceiptHandle, newReceiptToken } from "./receipt-handle.ts";
import { type AttemptMessage, notRetryable } from "./receive-attempts.ts";
import type { MessageRow } from "./schema.ts";
import { type ReceiveContext, toReceivedMessage } from "./to-received-message.ts";
import type { ReceivedMessage } from "./types.ts";

export interface ReceivePlan {
  readonly queue: QueueRecord;
  readonly now: number;
  readonly max: number;
  readonly visibilityTimeoutSeconds: number;
  /** Present when the queue has a redrive policy whose dead-letter queue exists. */
  readonly deadLetter?: { readonly queue: QueueRecord; readonly maxReceiveCount: number };
  readonly ctx: ReceiveContext;
}

export interface ReceiveOutcome {
  readonly messages: ReceivedMessage[];
  /** The messages moved to the dead-letter queue, for their trace hops. */
  readonly deadLettered: readonly DeadLetterHop[];
  /** What the receive locked, in the order of `messages` (receive-attempts.ts keeps it). */
  readonly taken: readonly AttemptMessage[];
}

/**
 * Selects and locks messages; the caller runs this inside one transaction. A message already
 * received `maxReceiveCount` times moves to the dead-letter queue on the receive that would have
 * returned it again (SQS does the same: the move happens on the next receive attempt).
 */
class Taker implements ReceiveOutcome {
  readonly messages: ReceivedMessage[] = [];
  readonly deadLettered: DeadLetterHop[] = [];
  readonly taken: AttemptMessage[] = [];

  constructor(
    private readonly store: MessageStore,
    private readonly plan: ReceivePlan,
  ) {}

  get full(): boolean {
    return this.messages.length >= this.plan.max;
  }

  get remaining(): number {
    return this.plan.max - this.messages.length;
  }

  /** Takes the row, or dead-letters it; false when it was dead-lettered. */
  take(row: MessageRow): boolean {
    const { store, plan } = this;
    const { now, queue, deadLetter } = plan;
    if (deadLetter && row.receive_count >= deadLetter.maxReceiveCount) {
      const hop = deadLetterHop(row, deadLetter.queue, now);
      store.moveToDeadLetter.run({
        to: deadLetter.queue.id,
        now,
        resetRetention: deadLetter.queue.spec.fifo ? 1 : 0,
        source: queue.spec.queueName,
        seq: row.seq,
        traceHeader: hop.header,
      });
      store.deleteBySeq.run({ seq: row.seq, queue: queue.id });
      this.deadLettered.push(hop);
      return false;
    }
    const token = newReceiptToken();
    const visibleAt = now + plan.visibilityTimeoutSeconds * 1000;
    store.markReceived.run({ seq: row.seq, now, visibleAt, receipt: token });
    this.taken.push({ seq: row.seq, receipt: token, visibleAt });
    const handle = encodeReceiptHandle(queue.id, row.seq, token);
    this.messages.push(
      toReceivedMessage(row, handle, row.receive_count + 1, row.first_received_at ?? now, plan.ctx),
    );
    return true;
  }
}

/**
 * Standard queue: any visible messages, oldest due first; with noisy tenants (fair-queue.ts),
 * quiet tenants' messages first, then each noisy tenant's, fewest in flight first.
 */
export function receiveStandard(store: MessageStore, plan: ReceivePlan): ReceiveOutcome {
  const taker = new Taker(store, plan);
  const { queue, now } = plan;
  const noisy = noisyGroups(store, queue.id, now);
  if (noisy.length === 0) {
    takeReady(taker, (limit) => store.selectReady.all({ queue: queue.id, now, limit }));
    return taker;
  }
  const quiet = JSON.stringify(noisy);
  takeReady(taker, (limit) => store.selectReadyQuiet.all({ queue: queue.id, now, noisy: quiet, limit }));
  for (const group of noisy) {
    takeReady(taker, (limit) => store.selectReadyInGroup.all({ queue: queue.id, now, group, limit }));
  }
  return taker;
}

/** Takes rows from `select` (oldest due first) until the receive is full or none are left. */
function takeReady(taker: Taker, select: (limit: number) => MessageRow[]): void {
  // With a visibility timeout of 0 a taken message stays visible; skip it rather than take it twice.
  const taken = new Set<number>();
  while (!taker.full) {
    const limit = taker.remaining + taken.size;
    const rows = select(limit);
    let progressed = false;
    for (const row of rows) {
      if (taker.full) break;
      if (taken.has(row.seq)) continue;
      progressed = true;
      if (taker.take(row)) taken.add(row.seq);
    }
    if (!progressed || rows.length < limit) break;
  }
}

/**
 * FIFO queue: groups in the order their oldest visible message fell due; a group with a message in
 * flight is skipped entirely; within a group, messages in order from its first until one is not
 * visible. As SQS does, one receive may return several messages of the same group.
 */
export function receiveFifo(store: MessageStore, plan: ReceivePlan): ReceiveOutcome {
  const taker = new Taker(store, plan);
  const visited = new Set<string>();
  for (const group of fifoCandidateGroups(store, plan.queue.id, plan.now, visited)) {
    takeFromGroup(store, taker, plan, group);
    if (taker.full) break;
  }
  return taker;
}

/**
 * A FIFO receive retried with its ReceiveRequestAttemptId (receive-attempts.ts): the same messages
 * and receipt handles, each locked again for the visibility timeout (within its 12 hours from the
 * receive), when every one is as that receive left it; else the retry is refused.
 */
export function replayReceive(
  store: MessageStore,
  plan: ReceivePlan,
  attemptId: string,
  kept: readonly AttemptMessage[],
): ReceiveOutcome {
  const { queue, now } = plan;
  const rows = kept.map((message) => {
    const row = store.selectBySeq.get(message.seq);
    const unchanged =
      row !== undefined &&
      row.queue_id === queue.id &&
      row.receipt === message.receipt &&
      row.visible_at === message.visibleAt;
    if (!unchanged) throw notRetryable(attemptId);
    return row;
  });
  const messages: ReceivedMessage[] = [];
  const taken: AttemptMessage[] = [];
  for (const [i, row] of rows.entries()) {
    const { receipt } = kept[i] as AttemptMessage;
    const limit = (row.received_at ?? now) + LIMITS.sqs.messageVisibility.max * 1000;
    const visibleAt = Math.min(now + plan.visibilityTimeoutSeconds * 1000, limit);
    store.setVisibleAt.run({ seq: row.seq, visibleAt });
    taken.push({ seq: row.seq, receipt, visibleAt });
    const handle = encodeReceiptHandle(queue.id, row.seq, receipt);
    // The same receive again: its count and first-receive time as that receive left them.
    messages.push(toReceivedMessage(row, handle, row.receive_count, row.first_received_at ?? now, plan.ctx));
  }
  return { messages, deadLettered: [], taken };
}

/** True when a receive now would return (or dead-letter) something; used before waiting. */
export function hasReceivable(store: MessageStore, queue: QueueRecord, now: number): boolean {
  if (!queue.spec.fifo) return store.anyVisible.get({ queue: queue.id, now }) !== undefined;
  for (const group of fifoCandidateGroups(store, queue.id, now, new Set())) {
    const [head] = store.selectGroupFrom.all({ queue: queue.id, group, fromSeq: 0, limit: 1 });
    if (head && head.visible_at <= now) return true;
  }
  return false;
}

const PAGE = 64;

/**
 * Unblocked groups with a visible message, each once, paging with a cursor so that rows taken
 * meanwhile (their visibility moves on) do not disturb the scan.
 */
function* fifoCandidateGroups(
  store: MessageStore,
  queue: number,
  now: number,
  visited: Set<string>,
): Generator<string> {
  let after = { afterVisibleAt: Number.MIN_SAFE_INTEGER, afterSeq: 0 };
  for (;;) {
    const rows = store.selectFifoCandidates.all({ queue, now, ...after, limit: PAGE });
    for (const row of rows) {
      if (visited.has(row.group_id)) continue;
      visited.add(row.group_id);
      yield row.group_id;
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { afterVisibleAt: last.visible_at, afterSeq: last.seq };
  }
}

/** From the group's first message, in order, while messages are visible. */
function takeFromGroup(store: MessageStore, taker: Taker, plan: ReceivePlan, group: string): void {
  let next = 0;
  for (;;) {
    const limit = taker.remaining;
    const rows = store.selectGroupFrom.all({ queue: plan.queue.id, group, fromSeq: next, limit });
    for (const row of rows) {
      if (row.visible_at > plan.now) return;
      next = row.seq + 1;
      taker.take(row);
      if (taker.full) return;
    }
    if (rows.length < limit) return;
  }
}

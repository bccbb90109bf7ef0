/**
 * Operations on a queue's messages as a whole: PurgeQueue, the depth counts behind stats and the
 * ApproximateNumberOfMessages attributes, and redriving a dead-letter queue.
 */
import { LIMITS } from "../../model/limits.ts";
import { type Db, reclaimSpaceSoon } from "../store/index.ts";
import type { EngineParts } from "./engine-parts.ts";
import { invalidParameter, SqsError } from "./errors.ts";
import type { MessageStore } from "./message-store.ts";
import type { QueueRecord } from "./queue-registry.ts";
import { redriveMessages } from "./redrive.ts";
import type { QueueStats } from "./types.ts";

/** SQS allows one PurgeQueue per queue every 60 seconds. */
const PURGE_INTERVAL_SECONDS = LIMITS.sqs.purgeInterval.default;

export class QueueContents {
  constructor(private readonly parts: EngineParts) {}

  purgeQueue(queue: string): void {
    const { db, clock, registry, store, waiters } = this.parts;
    const q = registry.resolve(queue);
    const now = clock.now();
    if (q.lastPurgeAt !== null && now - q.lastPurgeAt < PURGE_INTERVAL_SECONDS * 1000) {
      throw new SqsError(
        "PurgeQueueInProgress",
        `Only one PurgeQueue operation on ${q.spec.queueName} is allowed every ${PURGE_INTERVAL_SECONDS} seconds; the last one was ${Math.floor((now - q.lastPurgeAt) / 1000)} s ago.`,
        { queue: q.spec.queueName },
      );
    }
    db.transaction(() => {
      store.deleteQueueMessages.run(q.id);
      registry.markPurged(q, now);
    })();
    reclaimSpaceSoon(db);
    waiters.reschedule(q.id);
  }

  stats(queue: string): QueueStats {
    const { clock, registry } = this.parts;
    const q = registry.resolve(queue);
    const now = clock.now();
    const counts = this.counts(q, now);
    const dlq = registry.deadLetterOf(q);
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
    const { db, clock, registry, store, waiters } = this.parts;
    const dlq = registry.resolve(deadLetterQueue);
    const dest = destination === undefined ? undefined : registry.resolve(destination);
    if (dest && (dest.id === dlq.id || dest.spec.fifo !== dlq.spec.fifo)) {
      throw invalidParameter(
        "DestinationArn",
        this.parts.arn(dest.spec.queueName),
        "The destination must be another queue of the same type (standard or FIFO) as the dead-letter queue.",
      );
    }
    const now = clock.now();
    const find = (queueName: string) => registry.find(queueName);
    const { moved, destinations } = db.transaction(() => redriveMessages(store, find, dlq, dest, now))();
    for (const q of destinations) waiters.notify(q.id);
    return moved;
  }

  private counts(q: QueueRecord, now: number) {
    const { db, store } = this.parts;
    sweepExpired(db, store, q, now);
    return store.counts.get({ queue: q.id, now }) ?? { visible: 0, in_flight: 0, delayed: 0, oldest: null };
  }
}

/**
 * Retention: expired messages are dropped lazily, when the queue is next looked at; the pages they
 * held go back to the file system after the transaction.
 */
export function sweepExpired(db: Db, store: MessageStore, q: QueueRecord, now: number): void {
  const { changes } = store.sweepExpired.run({ queue: q.id, cutoff: now - q.spec.retentionSeconds * 1000 });
  if (changes > 0) reclaimSpaceSoon(db);
}

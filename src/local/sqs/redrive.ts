import type { MessageStore } from "./message-store.ts";
import type { QueueRecord } from "./queue-registry.ts";

/**
 * Moves a dead-letter queue's messages that are not in flight back to `destination`, or each to the
 * queue it was dead-lettered from (like StartMessageMoveTask). Moved messages start over: receive
 * count 0, visible now, appended in DLQ order. Messages whose source is unknown, gone, the DLQ
 * itself or of the other queue type stay where they are. Run inside a transaction.
 */
export function redriveMessages(
  store: MessageStore,
  find: (queueName: string) => QueueRecord | undefined,
  dlq: QueueRecord,
  destination: QueueRecord | undefined,
  now: number,
): { moved: number; destinations: QueueRecord[] } {
  if (destination) {
    const params = { to: destination.id, from: dlq.id, now, resetRetention: destination.spec.fifo ? 1 : 0 };
    const moved = store.redriveAll.run(params).changes;
    store.deleteRedrivenAll.run({ from: dlq.id, now });
    return { moved, destinations: [destination] };
  }
  let moved = 0;
  const destinations: QueueRecord[] = [];
  for (const { source_queue: source } of store.redriveSources.all({ from: dlq.id, now })) {
    const target = source === null ? undefined : find(source);
    if (source === null || !target || target.id === dlq.id || target.spec.fifo !== dlq.spec.fifo) continue;
    destinations.push(target);
    const params = { to: target.id, from: dlq.id, now, resetRetention: target.spec.fifo ? 1 : 0, source };
    moved += store.redriveBySource.run(params).changes;
    store.deleteRedrivenBySource.run({ from: dlq.id, now, source });
  }
  return { moved, destinations };
}

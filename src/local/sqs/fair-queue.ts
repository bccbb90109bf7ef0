import { LIMITS } from "../../model/limits.ts";
import type { MessageStore } from "./message-store.ts";

/**
 * Amazon SQS fair queues: on a standard queue, messages that share a MessageGroupId belong to one
 * tenant (each message without one is a tenant of its own). A tenant with more than 10% of the
 * queue's in-flight messages and at least 30 of its own is a noisy neighbour; while quiet tenants'
 * messages wait, consumers get those first, and among noisy tenants the one with the fewest in
 * flight first. Nothing is dropped or throttled.
 *
 * Sluice applies the concurrency-share measure only, worked out afresh at each receive; AWS's
 * second measure (a tenant's share of recent processing time) is not modelled (docs/fidelity.md).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-fair-queues-detailed.html
 */
const SHARE = LIMITS.sqs.fairQueueNoisyShare.min / 100;
const MIN_IN_FLIGHT = LIMITS.sqs.fairQueueNoisyInFlight.min;

/** The noisy tenants of a standard queue now, fewest in flight first (usually none). */
export function noisyGroups(store: MessageStore, queue: number, now: number): string[] {
  // Most queues never see a group id: one probe of the partial index, then nothing more.
  if (store.anyGrouped.get({ queue }) === undefined) return [];
  const counts = store.inFlightByGroup.all({ queue, now });
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  return counts
    .filter((c): c is { group_id: string; n: number } => c.group_id !== null)
    .filter((c) => c.n >= MIN_IN_FLIGHT && c.n > total * SHARE)
    .sort((a, b) => a.n - b.n || (a.group_id < b.group_id ? -1 : 1))
    .map((c) => c.group_id);
}

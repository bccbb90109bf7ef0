import type { QueueSpec } from "../../model/app-spec.ts";
import { isQueueName, QUEUE_ATTRIBUTE_LIMITS, withinLimit } from "../../model/limit-rules.ts";
import { LIMITS } from "../../model/limits.ts";

/**
 * Every problem with one queue's attributes, in words a user can act on. `lookup` finds the
 * dead-letter queue among the queues being created and those that exist.
 */
export function checkQueueSpec(spec: QueueSpec, lookup: (name: string) => QueueSpec | undefined): string[] {
  const problems: string[] = [];
  const where = `queue "${spec.name}"`;
  if (spec.fifo !== spec.queueName.endsWith(".fifo")) {
    problems.push(
      `${where}: a FIFO queue's name must end in ".fifo" and only a FIFO queue's may (got "${spec.queueName}")`,
    );
  } else if (!isQueueName(spec.queueName)) {
    const { min, max } = LIMITS.sqs.queueName;
    problems.push(
      `${where}: physical name "${spec.queueName}" must be ${min}–${max} of A-Z a-z 0-9 - _ (plus ".fifo")`,
    );
  }
  for (const { field, limit } of Object.values(QUEUE_ATTRIBUTE_LIMITS)) {
    const value = spec[field];
    if (!withinLimit(limit, value)) {
      problems.push(`${where}: ${field} must be an integer from ${limit.min} to ${limit.max} (got ${value})`);
    }
  }
  if (spec.contentBasedDeduplication && !spec.fifo) {
    problems.push(`${where}: contentBasedDeduplication applies to FIFO queues only`);
  }
  const dl = spec.deadLetter;
  if (dl) {
    const receives = LIMITS.sqs.maxReceiveCount;
    if (!withinLimit(receives, dl.maxReceiveCount)) {
      problems.push(
        `${where}: deadLetter.maxReceiveCount must be an integer from ${receives.min} to ${receives.max} (got ${dl.maxReceiveCount})`,
      );
    }
    const target = lookup(dl.queue);
    if (!target) problems.push(`${where}: dead-letter queue "${dl.queue}" does not exist; create it first`);
    else if (target.queueName === spec.queueName)
      problems.push(`${where}: a queue can't be its own dead-letter queue`);
    else if (target.fifo !== spec.fifo) {
      problems.push(
        `${where}: the dead-letter queue "${dl.queue}" must be ${spec.fifo ? "a FIFO" : "a standard"} queue like its source`,
      );
    }
  }
  return problems;
}

/** True when two specs describe the same queue (CreateQueue's idempotency rule). */
export function sameQueueSpec(a: QueueSpec, b: QueueSpec): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

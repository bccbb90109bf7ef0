import type { QueueSpec } from "../../model/app-spec.ts";

/** SQS's queue attribute limits (CreateQueue API reference). */
const LIMITS = {
  visibilityTimeoutSeconds: [0, 43_200],
  delaySeconds: [0, 900],
  retentionSeconds: [60, 1_209_600],
  maxMessageSize: [1_024, 1_048_576],
  receiveWaitTimeSeconds: [0, 20],
} as const;

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Every problem with one queue's attributes, in words a user can act on. `lookup` finds the
 * dead-letter queue among the queues being created and those that exist.
 */
export function checkQueueSpec(spec: QueueSpec, lookup: (name: string) => QueueSpec | undefined): string[] {
  const problems: string[] = [];
  const where = `queue "${spec.name}"`;
  const base = spec.fifo ? spec.queueName.slice(0, -".fifo".length) : spec.queueName;
  if (spec.fifo !== spec.queueName.endsWith(".fifo")) {
    problems.push(
      `${where}: a FIFO queue's name must end in ".fifo" and only a FIFO queue's may (got "${spec.queueName}")`,
    );
  } else if (!QUEUE_NAME.test(base) || spec.queueName.length > 80) {
    problems.push(
      `${where}: physical name "${spec.queueName}" must be 1–80 of A-Z a-z 0-9 - _ (plus ".fifo")`,
    );
  }
  for (const [key, [min, max]] of Object.entries(LIMITS)) {
    const value = spec[key as keyof typeof LIMITS];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${where}: ${key} must be an integer from ${min} to ${max} (got ${value})`);
    }
  }
  if (spec.contentBasedDeduplication && !spec.fifo) {
    problems.push(`${where}: contentBasedDeduplication applies to FIFO queues only`);
  }
  const dl = spec.deadLetter;
  if (dl) {
    if (!Number.isInteger(dl.maxReceiveCount) || dl.maxReceiveCount < 1 || dl.maxReceiveCount > 1000) {
      problems.push(
        `${where}: deadLetter.maxReceiveCount must be an integer from 1 to 1000 (got ${dl.maxReceiveCount})`,
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

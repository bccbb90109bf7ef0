/** Reads `queues`: each queue's own settings. References between queues are checked later. */
import { LIMITS } from "../limits.ts";
import type { DeadLetterDraft, QueueDraft } from "./draft.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  readBoolean,
  readDuration,
  readInteger,
  readObject,
  readOptional,
  readString,
} from "./values.ts";

const QUEUE_KEYS = [
  "fifo",
  "visibilityTimeout",
  "delay",
  "retention",
  "maxMessageSize",
  "receiveWaitTime",
  "contentBasedDeduplication",
  "deadLetter",
] as const;

const DEAD_LETTER_KEYS = ["maxReceiveCount", "queue"] as const;

const SQS = LIMITS.sqs;

export function readQueues(issues: Issues, value: unknown): Map<string, QueueDraft> {
  const queues = new Map<string, QueueDraft>();
  if (value === undefined) return queues;
  const fields = readObject(issues, "queues", value, `queues: { jobs: { visibilityTimeout: "60 seconds" } }`);
  if (fields === undefined) return queues;
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("queues", name);
    const queue = readObject(issues, path, raw, "{}");
    if (queue !== undefined) queues.set(name, readQueue(issues, name, path, queue));
  }
  return queues;
}

function readQueue(issues: Issues, name: string, path: string, queue: Fields): QueueDraft {
  checkKeys(issues, path, queue, QUEUE_KEYS);
  const at = (key: string): string => join(path, key);
  const fifo = readOptional(queue.fifo, false, (v) => readBoolean(issues, at("fifo"), v));
  const contentBasedDeduplication = readOptional(queue.contentBasedDeduplication, false, (v) =>
    readBoolean(issues, at("contentBasedDeduplication"), v),
  );
  if (contentBasedDeduplication === true && fifo === false) {
    issues.add(
      at("contentBasedDeduplication"),
      true,
      `content-based deduplication applies only to FIFO queues, and "${name}" is a standard queue`,
      "contentBasedDeduplication only with fifo: true",
      `set fifo: true on "${name}", or remove contentBasedDeduplication`,
    );
  }
  return {
    name,
    path,
    fifo,
    visibilityTimeoutSeconds: readOptional(queue.visibilityTimeout, SQS.visibilityTimeout.default, (v) =>
      readDuration(issues, at("visibilityTimeout"), v, SQS.visibilityTimeout),
    ),
    visibilityTimeoutGiven: queue.visibilityTimeout,
    delaySeconds: readOptional(queue.delay, SQS.delaySeconds.default, (v) =>
      readDuration(issues, at("delay"), v, SQS.delaySeconds),
    ),
    retentionSeconds: readOptional(queue.retention, SQS.messageRetentionPeriod.default, (v) =>
      readDuration(issues, at("retention"), v, SQS.messageRetentionPeriod),
    ),
    maxMessageSize: readOptional(queue.maxMessageSize, SQS.maximumMessageSize.default, (v) =>
      readInteger(issues, at("maxMessageSize"), v, SQS.maximumMessageSize),
    ),
    receiveWaitTimeSeconds: readOptional(queue.receiveWaitTime, SQS.receiveMessageWaitTime.default, (v) =>
      readDuration(issues, at("receiveWaitTime"), v, SQS.receiveMessageWaitTime),
    ),
    contentBasedDeduplication,
    deadLetter:
      queue.deadLetter === undefined ? undefined : readDeadLetter(issues, at("deadLetter"), queue.deadLetter),
  };
}

function readDeadLetter(issues: Issues, path: string, value: unknown): DeadLetterDraft | undefined {
  const fields = readObject(issues, path, value, "deadLetter: { maxReceiveCount: 5 }");
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, DEAD_LETTER_KEYS);
  const countPath = join(path, "maxReceiveCount");
  let maxReceiveCount: number | undefined;
  if (fields.maxReceiveCount === undefined) {
    issues.add(
      countPath,
      undefined,
      "maxReceiveCount is required: it says how many receives a message gets before it moves to the dead-letter queue",
      `an integer from ${SQS.maxReceiveCount.min} to ${SQS.maxReceiveCount.max}`,
      "add maxReceiveCount, e.g. deadLetter: { maxReceiveCount: 5 }",
    );
  } else {
    maxReceiveCount = readInteger(issues, countPath, fields.maxReceiveCount, SQS.maxReceiveCount);
  }
  const queue =
    fields.queue === undefined
      ? undefined
      : readString(issues, join(path, "queue"), fields.queue, `queue: "failed"`);
  return { path, maxReceiveCount, queue, queueGiven: fields.queue };
}

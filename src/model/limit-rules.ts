/**
 * The rules that apply a row of the limits table, written once: every place that checks an AWS
 * number or name (definition validation, the local SQS, the CloudFormation providers) asks these
 * with a row of `LIMITS` and words the refusal as its own API does.
 */
import type { QueueSpec } from "./app-spec.ts";
import { LIMITS, type LimitRow } from "./limits.ts";

/**
 * The queue attributes SQS bounds, by their API name, with the QueueSpec field each sets, in the
 * order SQS checks them (CreateQueue, SetQueueAttributes and CloudFormation's AWS::SQS::Queue).
 */
export const QUEUE_ATTRIBUTE_LIMITS = {
  VisibilityTimeout: { field: "visibilityTimeoutSeconds", limit: LIMITS.sqs.visibilityTimeout },
  DelaySeconds: { field: "delaySeconds", limit: LIMITS.sqs.delaySeconds },
  MessageRetentionPeriod: { field: "retentionSeconds", limit: LIMITS.sqs.messageRetentionPeriod },
  MaximumMessageSize: { field: "maxMessageSize", limit: LIMITS.sqs.maximumMessageSize },
  ReceiveMessageWaitTimeSeconds: {
    field: "receiveWaitTimeSeconds",
    limit: LIMITS.sqs.receiveMessageWaitTime,
  },
} as const satisfies Record<string, { readonly field: keyof QueueSpec; readonly limit: LimitRow }>;

/** A whole number inside the row's range (a missing bound is no bound). */
export function withinLimit(row: LimitRow, value: number): boolean {
  return (
    Number.isInteger(value) &&
    value >= (row.min ?? Number.NEGATIVE_INFINITY) &&
    value <= (row.max ?? Number.POSITIVE_INFINITY)
  );
}

/** Text of the row's length, in characters, and of its character pattern when it has one. */
export function matchesLimit(row: LimitRow, text: string): boolean {
  // A routing function's ids come from user code: read as text, as a pattern test would read them.
  const value = String(text);
  return (
    value.length >= (row.min ?? 0) &&
    value.length <= (row.max ?? Number.POSITIVE_INFINITY) &&
    (row.pattern?.test(value) ?? true)
  );
}

const FIFO_SUFFIX = ".fifo";

/**
 * An SQS queue name: 1–80 letters, digits, hyphens and underscores, where the 80 include a FIFO
 * queue's `.fifo` suffix. Whether the suffix matches the queue's type is the caller's question,
 * because each API words that refusal differently.
 */
export function isQueueName(queueName: string): boolean {
  const row = LIMITS.sqs.queueName;
  const base = queueName.endsWith(FIFO_SUFFIX) ? queueName.slice(0, -FIFO_SUFFIX.length) : queueName;
  return queueName.length <= row.max && matchesLimit(row, base);
}

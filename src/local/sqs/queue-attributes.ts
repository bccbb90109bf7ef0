/**
 * Queue attributes as the SQS API names them (CreateQueue, GetQueueAttributes,
 * SetQueueAttributes), mapped to and from a QueueSpec. Attributes Sluice accepts but does not act
 * on (Policy, KMS settings, RedriveAllowPolicy, the FIFO throughput settings) are kept verbatim
 * beside the spec, so what is set is what is read back.
 */
import type { QueueSpec } from "../../model/app-spec.ts";
import { QUEUE_ATTRIBUTE_LIMITS, withinLimit } from "../../model/limit-rules.ts";
import { LIMITS, type LimitRow } from "../../model/limits.ts";
import { SqsError } from "./errors.ts";
import type { QueueStats } from "./types.ts";

/** Every attribute GetQueueAttributes knows, in AWS's order. */
export const QUEUE_ATTRIBUTE_NAMES = [
  "Policy",
  "VisibilityTimeout",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
  "ApproximateNumberOfMessagesDelayed",
  "DelaySeconds",
  "ReceiveMessageWaitTimeSeconds",
  "RedrivePolicy",
  "FifoQueue",
  "ContentBasedDeduplication",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "DeduplicationScope",
  "FifoThroughputLimit",
  "RedriveAllowPolicy",
  "SqsManagedSseEnabled",
] as const;

const FIFO_ONLY = new Set([
  "FifoQueue",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
]);
const READ_ONLY = new Set([
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
]);

/** Stored verbatim; each with the values AWS accepts, when it restricts them. */
const STORED_ATTRIBUTES: Readonly<Record<string, readonly string[] | undefined>> = {
  Policy: undefined,
  RedriveAllowPolicy: undefined,
  KmsMasterKeyId: undefined,
  KmsDataKeyReusePeriodSeconds: undefined,
  SqsManagedSseEnabled: ["true", "false"],
  DeduplicationScope: ["messageGroup", "queue"],
  FifoThroughputLimit: ["perQueue", "perMessageGroupId"],
};

export interface AttributeSource {
  readonly spec: QueueSpec;
  readonly arn: string;
  readonly stats: QueueStats;
  readonly createdAt: number;
  readonly modifiedAt: number;
  /** ARN of the dead-letter queue, when the spec has one that exists. */
  readonly deadLetterArn?: string;
  readonly stored: Readonly<Record<string, string>>;
}

/** GetQueueAttributes: `All`, or the named attributes. Throws InvalidAttributeName for others. */
export function readQueueAttributes(
  source: AttributeSource,
  names: readonly string[],
): Record<string, string> {
  const { spec } = source;
  const all = names.includes("All");
  for (const name of names) {
    const known = name === "All" || (QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name);
    if (!known || (!spec.fifo && FIFO_ONLY.has(name))) throw unknownAttribute(name);
  }
  const values = attributeValues(source);
  const out: Record<string, string> = {};
  for (const name of QUEUE_ATTRIBUTE_NAMES) {
    const value = values[name];
    if ((all || names.includes(name)) && value !== undefined) out[name] = value;
  }
  return out;
}

function attributeValues(source: AttributeSource): Partial<Record<string, string>> {
  const { spec, stats, stored } = source;
  const values: Partial<Record<string, string>> = {
    ...stored,
    VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
    MaximumMessageSize: String(spec.maxMessageSize),
    MessageRetentionPeriod: String(spec.retentionSeconds),
    ApproximateNumberOfMessages: String(stats.visible),
    ApproximateNumberOfMessagesNotVisible: String(stats.inFlight),
    ApproximateNumberOfMessagesDelayed: String(stats.delayed),
    CreatedTimestamp: String(Math.floor(source.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(source.modifiedAt / 1000)),
    QueueArn: source.arn,
    DelaySeconds: String(spec.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(spec.receiveWaitTimeSeconds),
    SqsManagedSseEnabled: stored.SqsManagedSseEnabled ?? (stored.KmsMasterKeyId ? "false" : "true"),
  };
  if (spec.deadLetter && source.deadLetterArn) {
    values.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: source.deadLetterArn,
      maxReceiveCount: spec.deadLetter.maxReceiveCount,
    });
  }
  if (spec.fifo) {
    values.FifoQueue = "true";
    values.ContentBasedDeduplication = String(spec.contentBasedDeduplication);
    values.DeduplicationScope = stored.DeduplicationScope ?? "queue";
    values.FifoThroughputLimit = stored.FifoThroughputLimit ?? "perQueue";
  }
  return values;
}

export interface AttributeChange {
  readonly spec: QueueSpec;
  /** Stored attributes to set; an empty string removes one. */
  readonly stored: Readonly<Record<string, string>>;
}

/**
 * Applies CreateQueue's or SetQueueAttributes' attributes to `spec`. `deadLetterName` turns a
 * RedrivePolicy's deadLetterTargetArn into the queue name the spec refers to.
 */
export function applyQueueAttributes(
  spec: QueueSpec,
  attributes: Readonly<Record<string, string>>,
  mode: "create" | "set",
  deadLetterName: (arn: string) => string,
): AttributeChange {
  let next: QueueSpec = spec;
  const stored: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    const value = String(raw);
    if (name === "FifoQueue") {
      if (mode === "set") throw unknownAttribute(name);
      continue; // CreateQueue reads it before building the spec.
    }
    if (
      READ_ONLY.has(name) ||
      (!(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name) && name !== "All")
    ) {
      throw unknownAttribute(name);
    }
    if (!spec.fifo && FIFO_ONLY.has(name)) throw unknownAttribute(name);
    const numeric = Object.hasOwn(QUEUE_ATTRIBUTE_LIMITS, name)
      ? QUEUE_ATTRIBUTE_LIMITS[name as keyof typeof QUEUE_ATTRIBUTE_LIMITS]
      : undefined;
    if (numeric) {
      next = { ...next, [numeric.field]: integerValue(name, value, numeric.limit) };
    } else if (name === "ContentBasedDeduplication") {
      next = { ...next, contentBasedDeduplication: booleanValue(name, value) };
    } else if (name === "RedrivePolicy") {
      next = withRedrivePolicy(next, value, deadLetterName);
    } else if (name in STORED_ATTRIBUTES) {
      const allowed = STORED_ATTRIBUTES[name];
      if (allowed && value !== "" && !allowed.includes(value)) {
        throw invalidValue(name, value, `must be one of ${allowed.join(", ")}`);
      }
      if (name === "KmsDataKeyReusePeriodSeconds" && value !== "")
        integerValue(name, value, LIMITS.sqs.kmsDataKeyReusePeriod);
      stored[name] = value;
    } else {
      throw unknownAttribute(name);
    }
  }
  return { spec: next, stored };
}

function withRedrivePolicy(
  spec: QueueSpec,
  value: string,
  deadLetterName: (arn: string) => string,
): QueueSpec {
  if (value === "") {
    const { deadLetter: _removed, ...rest } = spec;
    return rest;
  }
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    throw invalidValue("RedrivePolicy", value, "Redrive policy is not a valid JSON map.");
  }
  const { deadLetterTargetArn: arn, maxReceiveCount: count } = (policy ?? {}) as Record<string, unknown>;
  if (typeof arn !== "string" || arn === "") {
    throw invalidValue("RedrivePolicy", value, "Redrive policy is missing deadLetterTargetArn.");
  }
  const receives = typeof count === "number" ? count : Number(count);
  const limit = LIMITS.sqs.maxReceiveCount;
  if (!withinLimit(limit, receives)) {
    throw invalidValue(
      "RedrivePolicy",
      value,
      `maxReceiveCount must be an integer from ${limit.min} to ${limit.max}.`,
    );
  }
  return { ...spec, deadLetter: { queue: deadLetterName(arn), maxReceiveCount: receives } };
}

function integerValue(name: string, value: string, limit: LimitRow): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !withinLimit(limit, n)) {
    throw invalidValue(name, value, `must be an integer from ${limit.min} to ${limit.max}`);
  }
  return n;
}

function booleanValue(name: string, value: string): boolean {
  if (value === "true" || value === "false") return value === "true";
  throw invalidValue(name, value, "must be true or false");
}

export function unknownAttribute(name: string): SqsError {
  return new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`, { attribute: name });
}

function invalidValue(name: string, value: string, reason: string): SqsError {
  return new SqsError(
    "InvalidAttributeValue",
    `Invalid value for the parameter ${name}. Reason: ${reason} (got "${value}").`,
    { attribute: name },
  );
}

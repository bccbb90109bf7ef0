import type { QueueSpec } from "../../model/app-spec.ts";
import { isQueueName, withinLimit } from "../../model/limit-rules.ts";
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { invalidParameter, missingParameter, SqsError } from "./errors.ts";
import type { MoveTasks } from "./move-tasks.ts";
import { applyQueueAttributes, readQueueAttributes } from "./queue-attributes.ts";
import type { QueueProperties } from "./queue-properties.ts";
import type { QueueRecord, QueueRegistry } from "./queue-registry.ts";
import type { MessageMoveTask, QueueAdministration, QueueStats, StartMessageMoveTaskInput } from "./types.ts";

export interface AdminDependencies {
  readonly db: Db;
  readonly clock: Clock;
  readonly registry: QueueRegistry;
  readonly properties: QueueProperties;
  readonly moveTasks: MoveTasks;
  readonly arn: (queueName: string) => string;
  readonly stats: (queue: string) => QueueStats;
  readonly redrive: (deadLetterQueue: string, destination?: string) => number;
}

const SQS = LIMITS.sqs;
const MAX_TAGS = SQS.queueTags.max;

/** SQS defaults for a queue created through the API (CreateQueue API reference). */
const API_DEFAULTS = {
  visibilityTimeoutSeconds: SQS.visibilityTimeout.default,
  delaySeconds: SQS.delaySeconds.default,
  retentionSeconds: SQS.messageRetentionPeriod.default,
  maxMessageSize: SQS.maximumMessageSize.default,
  receiveWaitTimeSeconds: SQS.receiveMessageWaitTime.default,
  contentBasedDeduplication: false,
  generated: false,
} as const;

/** Queue attributes, tags and DLQ redrive tasks, over the registry the queue service owns. */
export class QueueAdmin implements QueueAdministration {
  constructor(private readonly deps: AdminDependencies) {}

  createQueueWithAttributes(
    queueName: string,
    attributes: Readonly<Record<string, string>> = {},
    tags: Readonly<Record<string, string>> = {},
  ): QueueSpec {
    if (typeof queueName !== "string" || queueName === "") throw missingParameter("QueueName");
    const fifo = attributes.FifoQueue === "true";
    if (attributes.FifoQueue !== undefined && !["true", "false"].includes(attributes.FifoQueue)) {
      throw new SqsError(
        "InvalidAttributeValue",
        "Invalid value for the parameter FifoQueue. Reason: must be true or false.",
      );
    }
    if (fifo !== queueName.endsWith(".fifo") || !isQueueName(queueName)) {
      const { min, max } = SQS.queueName;
      throw invalidParameter(
        "QueueName",
        queueName,
        fifo
          ? `The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be ${min} to ${max} in length.`
          : queueName.endsWith(".fifo")
            ? "A queue whose name ends in .fifo must be created with the attribute FifoQueue=true."
            : `Can only include alphanumeric characters, hyphens, or underscores. ${min} to ${max} in length.`,
      );
    }
    const existing = this.deps.registry.findPhysical(queueName);
    if (existing) {
      this.checkSameAttributes(existing, attributes);
      return existing.spec;
    }
    const blank: QueueSpec = { name: queueName, queueName, fifo, ...API_DEFAULTS };
    const change = applyQueueAttributes(blank, attributes, "create", tail);
    checkTags(queueName, {}, tags);
    const record = this.deps.registry.create(change.spec);
    this.deps.properties.set(record.id, "attribute", change.stored, true);
    this.deps.properties.set(record.id, "tag", tags);
    return record.spec;
  }

  getQueueAttributes(queue: string, names: readonly string[]): Record<string, string> {
    const q = this.deps.registry.resolve(queue);
    const dlq = this.deps.registry.deadLetterOf(q);
    return readQueueAttributes(
      {
        spec: q.spec,
        arn: this.deps.arn(q.spec.queueName),
        stats: this.deps.stats(q.spec.queueName),
        createdAt: q.createdAt,
        modifiedAt: q.modifiedAt,
        ...(dlq ? { deadLetterArn: this.deps.arn(dlq.spec.queueName) } : {}),
        stored: this.deps.properties.get(q.id, "attribute"),
      },
      names,
    );
  }

  setQueueAttributes(queue: string, attributes: Readonly<Record<string, string>>): void {
    const q = this.deps.registry.resolve(queue);
    const change = applyQueueAttributes(q.spec, attributes, "set", tail);
    this.deps.db.transaction(() => {
      this.deps.registry.updateSpec(q, change.spec);
      this.deps.properties.set(q.id, "attribute", change.stored, true);
    })();
  }

  tagQueue(queue: string, tags: Readonly<Record<string, string>>): void {
    const q = this.deps.registry.resolve(queue);
    checkTags(q.spec.queueName, this.deps.properties.get(q.id, "tag"), tags);
    this.deps.properties.set(q.id, "tag", tags);
  }

  untagQueue(queue: string, keys: readonly string[]): void {
    const q = this.deps.registry.resolve(queue);
    this.deps.properties.delete(q.id, "tag", keys);
  }

  listQueueTags(queue: string): Record<string, string> {
    return this.deps.properties.get(this.deps.registry.resolve(queue).id, "tag");
  }

  deadLetterSourceQueues(queue: string): QueueSpec[] {
    const dlq = this.deps.registry.resolve(queue);
    return this.deps.registry
      .list()
      .filter((spec) => spec.deadLetter && this.deps.registry.find(spec.deadLetter.queue)?.id === dlq.id);
  }

  startMessageMoveTask(input: StartMessageMoveTaskInput): { readonly taskHandle: string } {
    if (typeof input.sourceArn !== "string" || input.sourceArn === "") throw missingParameter("SourceArn");
    const source = this.byArn(input.sourceArn, "SourceArn");
    if (this.deadLetterSourceQueues(source.spec.queueName).length === 0) {
      throw invalidParameter(
        "SourceArn",
        input.sourceArn,
        "Source queue must be configured as a Dead Letter Queue of another queue.",
      );
    }
    const rate = input.maxNumberOfMessagesPerSecond;
    if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
      throw invalidParameter("MaxNumberOfMessagesPerSecond", rate, "Must be an integer from 1 to 500.");
    }
    const destination =
      input.destinationArn === undefined ? undefined : this.byArn(input.destinationArn, "DestinationArn");
    const startedAt = this.deps.clock.now();
    const toMove = this.deps.stats(source.spec.queueName).visible;
    const moved = this.deps.redrive(source.spec.queueName, destination?.spec.queueName);
    const taskHandle = this.deps.moveTasks.record({
      sourceArn: this.deps.arn(source.spec.queueName),
      ...(destination ? { destinationArn: this.deps.arn(destination.spec.queueName) } : {}),
      ...(rate === undefined ? {} : { maxPerSecond: rate }),
      moved,
      toMove,
      startedAt,
    });
    return { taskHandle };
  }

  listMessageMoveTasks(
    sourceArn: string,
    maxResults: number = SQS.listMessageMoveTasksResults.default,
  ): MessageMoveTask[] {
    if (typeof sourceArn !== "string" || sourceArn === "") throw missingParameter("SourceArn");
    const limit = SQS.listMessageMoveTasksResults;
    if (!withinLimit(limit, maxResults)) {
      throw invalidParameter(
        "MaxResults",
        maxResults,
        `Must be an integer from ${limit.min} to ${limit.max}.`,
      );
    }
    const source = this.byArn(sourceArn, "SourceArn");
    return this.deps.moveTasks.list(this.deps.arn(source.spec.queueName), maxResults);
  }

  private byArn(arn: string, parameter: string): QueueRecord {
    const record = this.deps.registry.findPhysical(tail(arn));
    if (record) return record;
    throw new SqsError(
      "ResourceNotFoundException",
      `The resource that you specified for the ${parameter} parameter doesn't exist: ${arn}.`,
      { arn },
    );
  }

  /** CreateQueue on an existing name succeeds only when every attribute given has the queue's value. */
  private checkSameAttributes(existing: QueueRecord, attributes: Readonly<Record<string, string>>): void {
    const current = this.getQueueAttributes(existing.spec.queueName, ["All"]);
    for (const [name, value] of Object.entries(attributes)) {
      // Own entries only: an attribute named `constructor` from the wire is not one the queue has.
      const have =
        name === "FifoQueue"
          ? String(existing.spec.fifo)
          : Object.hasOwn(current, name)
            ? current[name]
            : undefined;
      if (have === undefined || !sameValue(name, have, value)) {
        throw new SqsError(
          "QueueNameExists",
          `A queue already exists with the same name and a different value for attribute ${name} (queue ${existing.spec.queueName} has ${have ?? "none"}, the request gave ${value}).`,
          { queue: existing.spec.queueName },
        );
      }
    }
  }
}

function sameValue(name: string, have: string, given: string): boolean {
  if (name !== "RedrivePolicy") return have.trim() === String(given).trim();
  try {
    const a = JSON.parse(have) as Record<string, unknown>;
    const b = JSON.parse(given) as Record<string, unknown>;
    return (
      a.deadLetterTargetArn === b.deadLetterTargetArn &&
      Number(a.maxReceiveCount) === Number(b.maxReceiveCount)
    );
  } catch {
    return false;
  }
}

function checkTags(
  queueName: string,
  current: Readonly<Record<string, string>>,
  added: Readonly<Record<string, string>>,
): void {
  const total = new Set([...Object.keys(current), ...Object.keys(added)]).size;
  if (total > MAX_TAGS) {
    throw new SqsError(
      "InvalidParameterValue",
      `Too many tags added for queue ${queueName}: a queue can have at most ${MAX_TAGS} tags (it would have ${total}).`,
    );
  }
}

/** The queue name an ARN ends with. */
function tail(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/**
 * Checks what the definition's parts say about each other: dead-letter queues, consumed queues,
 * routing targets, and the AWS rules that span a queue and the function consuming it.
 */
import { formatSeconds } from "../duration.ts";
import { LIMITS } from "../limits.ts";
import { generatedDeadLetterName } from "../naming.ts";
import type { ConsumesDraft, FunctionDraft, QueueDraft } from "./draft.ts";
import { didYouMean } from "./suggest.ts";
import { type Issues, join, quoteList } from "./values.ts";

const ESM = LIMITS.eventSourceMapping;

export function checkDeadLetters(
  issues: Issues,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
): void {
  for (const queue of queues.values()) {
    const deadLetter = queue.deadLetter;
    if (deadLetter === undefined) continue;
    const path = join(deadLetter.path, "queue");
    if (deadLetter.queueGiven === undefined) {
      const generated = generatedDeadLetterName(queue.name);
      const taken = queues.has(generated) ? "queue" : functions.has(generated) ? "function" : undefined;
      if (taken !== undefined) {
        issues.add(
          deadLetter.path,
          generated,
          `Sluice would create the dead-letter queue "${generated}", but a ${taken} of that name already exists`,
          "a generated dead-letter queue name that is free",
          taken === "queue"
            ? `use it: deadLetter: { maxReceiveCount: ..., queue: "${generated}" }`
            : `rename the function "${generated}", or name a dead-letter queue with deadLetter.queue`,
        );
      }
      continue;
    }
    const name = deadLetter.queue;
    if (name === undefined) continue;
    const target = queues.get(name);
    if (target === undefined) {
      issues.add(
        path,
        name,
        `the dead-letter queue "${name}" is not defined.${didYouMean(name, queues.keys())}`,
        `one of the queues: ${quoteList(queues.keys())}`,
        `define queues["${name}"], or leave deadLetter.queue out to let Sluice create "${queue.name}-dlq"`,
      );
    } else if (target === queue) {
      issues.add(
        path,
        name,
        `queue "${name}" cannot be its own dead-letter queue`,
        "another queue",
        `name another queue, or leave deadLetter.queue out to let Sluice create "${queue.name}-dlq"`,
      );
    } else if (queue.fifo !== undefined && target.fifo !== undefined && queue.fifo !== target.fifo) {
      const kind = (fifo: boolean): string => (fifo ? "FIFO" : "standard");
      issues.add(
        path,
        name,
        `the dead-letter queue of a ${kind(queue.fifo)} queue must also be ${kind(queue.fifo)}, ` +
          `but "${name}" is ${kind(target.fifo)}`,
        `a ${kind(queue.fifo)} queue`,
        `set fifo: ${queue.fifo} on "${name}", or name a ${kind(queue.fifo)} queue`,
      );
    }
  }
}

export function checkConsumers(
  issues: Issues,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
): void {
  const consumers = new Map<string, string>();
  for (const fn of functions.values()) {
    const consumes = fn.consumes;
    if (consumes?.queue === undefined) continue;
    const name = consumes.queue;
    const path = join(consumes.path, "queue");
    const queue = queues.get(name);
    if (queue === undefined) {
      issues.add(
        path,
        name,
        unknownQueueMessage(name, queues, functions),
        `one of the queues: ${quoteList(queues.keys())}`,
        unknownQueueFix(name, queues),
      );
      continue;
    }
    const first = consumers.get(name);
    if (first !== undefined) {
      issues.add(
        path,
        name,
        `queue "${name}" is already consumed by function "${first}"; Sluice allows one consumer per queue`,
        "a queue no other function consumes",
        `give "${fn.name}" its own queue, or route from "${first}" to "${fn.name}"`,
      );
      continue;
    }
    consumers.set(name, fn.name);
    checkMapping(issues, fn, consumes, queue);
  }
}

/** The rules Lambda's CreateEventSourceMapping enforces between a queue and its consumer. */
function checkMapping(issues: Issues, fn: FunctionDraft, consumes: ConsumesDraft, queue: QueueDraft): void {
  const batchPath = join(consumes.path, "batchSize");
  const windowPath = join(consumes.path, "maximumBatchingWindow");
  const { batchSize, maximumBatchingWindowSeconds: window } = consumes;
  if (queue.fifo === true) {
    if (batchSize !== undefined && batchSize > ESM.fifoBatchSize.max) {
      issues.add(
        batchPath,
        batchSize,
        `batchSize is above ${ESM.fifoBatchSize.max}, the maximum for FIFO queue "${queue.name}"`,
        `an integer from ${ESM.fifoBatchSize.min} to ${ESM.fifoBatchSize.max} for a FIFO queue`,
        `lower batchSize to ${ESM.fifoBatchSize.max} or less`,
      );
    }
    if (window !== undefined && window > 0) {
      issues.add(
        windowPath,
        consumes.windowGiven,
        `Lambda does not support a batching window for FIFO queues, and "${queue.name}" is FIFO`,
        `"0 seconds" (or no maximumBatchingWindow) for a FIFO queue`,
        "remove maximumBatchingWindow",
      );
    }
  } else if (
    batchSize !== undefined &&
    window !== undefined &&
    batchSize > ESM.batchSizeWithoutWindow.max &&
    window < 1
  ) {
    issues.add(
      windowPath,
      consumes.windowGiven,
      `a batchSize above ${ESM.batchSizeWithoutWindow.max} needs a batching window of at least 1 second`,
      `"1 second" to "${formatSeconds(ESM.maximumBatchingWindow.max)}" when batchSize is above ${ESM.batchSizeWithoutWindow.max}`,
      `set maximumBatchingWindow: "1 second" or more, or lower batchSize to ${ESM.batchSizeWithoutWindow.max}`,
    );
  }
  const visibility = queue.visibilityTimeoutSeconds;
  const timeout = fn.timeoutSeconds;
  if (visibility !== undefined && timeout !== undefined && visibility < timeout) {
    const recommended = Math.min(
      timeout * ESM.visibilityTimeoutVsFunctionTimeout.default,
      LIMITS.sqs.visibilityTimeout.max,
    );
    const given = queue.visibilityTimeoutGiven === undefined ? " (SQS's default)" : "";
    issues.add(
      join(queue.path, "visibilityTimeout"),
      queue.visibilityTimeoutGiven,
      `queue "${queue.name}" has a visibility timeout of "${formatSeconds(visibility)}"${given}, shorter than the ` +
        `"${formatSeconds(timeout)}" timeout of its consumer "${fn.name}"; Lambda rejects the event source mapping`,
      `a visibility timeout of at least the function timeout ("${formatSeconds(timeout)}")`,
      `set visibilityTimeout: "${formatSeconds(recommended)}" (AWS recommends 6× the function timeout), ` +
        `or lower the timeout of "${fn.name}"`,
    );
  }
}

/** AWS keeps part of the account's concurrency unreserved, so reservations must fit in the rest. */
export function checkReservedTotal(
  issues: Issues,
  functions: ReadonlyMap<string, FunctionDraft>,
  limit: number,
): void {
  let total = 0;
  for (const fn of functions.values()) total += fn.reservedConcurrency ?? 0;
  if (total <= limit) return;
  issues.add(
    "functions",
    total,
    `the functions reserve ${total} concurrent executions together, above the ${limit} an account can reserve ` +
      `(AWS keeps ${LIMITS.lambda.unreservedConcurrency.min} of the account's concurrency unreserved)`,
    `a total reservedConcurrency of at most ${limit}`,
    "lower some reservedConcurrency values, or raise the account's concurrency quota and pass it to Sluice",
  );
}

function unknownQueueMessage(
  name: string,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
): string {
  if (functions.has(name)) return `consumes "${name}", which is a function, not a queue`;
  return `consumes "${name}", which is not a defined queue.${didYouMean(name, queues.keys())}`;
}

function unknownQueueFix(name: string, queues: ReadonlyMap<string, QueueDraft>): string {
  const source = name.endsWith("-dlq") ? queues.get(name.slice(0, -"-dlq".length)) : undefined;
  if (source?.deadLetter !== undefined) {
    return `to consume the dead-letter queue of "${source.name}", define queues["${name}"] and set deadLetter.queue: "${name}" on "${source.name}"`;
  }
  return `define queues["${name}"], or consume one of the defined queues`;
}

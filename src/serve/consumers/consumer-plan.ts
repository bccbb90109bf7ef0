import { mappingConcurrency } from "../../local/event-source/index.ts";
import type { AppSpec, FunctionSpec, QueueSpec } from "../../model/app-spec.ts";
import { queueArn } from "../../model/naming.ts";

/** One served function's SQS event source mapping, as `sluice serve` runs it. */
export interface ConsumerPlan {
  readonly fn: FunctionSpec;
  readonly queue: QueueSpec;
  /** The mapping's EventSourceArn: each record's `eventSourceARN`. */
  readonly queueArn: string;
  /** The queue's URL when the server already found it (queue-urls.ts); else the consumer asks SQS. */
  readonly queueUrl?: string;
  readonly region: string;
  /** Batches in flight at once: one polling loop each (see mappingConcurrency). */
  readonly concurrency: number;
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds in ms; FIFO queues have none (validation refuses one). */
  readonly windowMs: number;
}

/**
 * The mappings of the served functions that consume a queue (`consumes: { queue }`), in the order
 * the functions are named. Functions that consume nothing (or a table's stream) have none.
 * `queueUrls`: URLs already found, by queue definition name.
 */
export function consumerPlans(
  spec: AppSpec,
  functions: readonly string[],
  queueUrls: ReadonlyMap<string, string> = new Map(),
): ConsumerPlan[] {
  const plans: ConsumerPlan[] = [];
  for (const name of functions) {
    const fn = spec.functions[name];
    const consumes = fn?.consumes;
    const queue = consumes ? spec.queues[consumes.queue] : undefined;
    if (!fn || !consumes || !queue) continue;
    const queueUrl = queueUrls.get(consumes.queue);
    plans.push({
      fn,
      queue,
      queueArn: queueArn(spec, queue),
      ...(queueUrl === undefined ? {} : { queueUrl }),
      region: spec.region,
      concurrency: mappingConcurrency(fn),
      batchSize: consumes.batchSize,
      windowMs: queue.fifo ? 0 : consumes.maximumBatchingWindowSeconds * 1000,
    });
  }
  return plans;
}

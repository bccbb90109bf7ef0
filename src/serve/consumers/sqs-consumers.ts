/**
 * `sluice serve`'s queue consumers (issue 19): each served function that consumes a queue gets the
 * SQS event source mapping Lambda would run for it, long-polling SQS through the SDK (AWS, or a
 * local cloud at `endpointUrl`) and invoking the function on this server.
 *
 * Where it differs from Lambda's pollers, on purpose (docs/fidelity.md):
 * - Concurrency is fixed at what a mapping starts with (five batches), or the mapping's maximum
 *   concurrency, never above reserved concurrency; Lambda adds up to 300 batches a minute while
 *   messages keep coming. A fleet scales by instances instead.
 * - The batching window is kept with one-second long polls, so it closes up to a second late.
 * - stop() aborts the idle long polls when no batch is gathering (Lambda's pollers never stop that
 *   way): a message arriving just then may be taken by a poll whose caller went away, and stay
 *   hidden until its visibility timeout. With a batch gathering, stop() lets every poll end by
 *   itself (up to 20 seconds) before releasing, so no such poll takes the released messages.
 * - Lambda also runs the mapping: with a fleet serving a consumer beside it, both poll the queue
 *   and each message goes to one of them (SQS's visibility timeout), unless the mapping stands by.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ServeContext, ServeWork } from "../serve-contract.ts";
import { consumerPlans } from "./consumer-plan.ts";
import { QueueConsumer } from "./queue-consumer.ts";

export interface SqsConsumersOptions {
  /**
   * The client to poll with. @default one for the spec's region and `context.endpointUrl`, with
   * the SDK's default credential chain
   * @example sqsConsumers(context, ["worker"], { client: new SQSClient({ region: "eu-west-1" }) })
   */
  readonly client?: SQSClient;
  /** Queue URLs the server already found, by queue definition name; the others are asked of SQS. */
  readonly queueUrls?: ReadonlyMap<string, string>;
}

/** The SQS mappings of `functions` (definition names; those that consume no queue are skipped). */
export function sqsConsumers(
  context: ServeContext,
  functions: readonly string[],
  options: SqsConsumersOptions = {},
): ServeWork {
  const plans = consumerPlans(context.spec, functions, options.queueUrls);
  let consumers: QueueConsumer[] | undefined;
  let ownClient: SQSClient | undefined;
  return {
    start() {
      if (consumers || plans.length === 0) return;
      const client = options.client ?? newClient(context);
      if (!options.client) ownClient = client;
      consumers = plans.map((plan) => new QueueConsumer(plan, client, context));
      for (const consumer of consumers) consumer.start();
      for (const plan of plans)
        context.log({
          level: "info",
          event: "consumer",
          function: plan.fn.name,
          queue: plan.queue.name,
          message: `consuming ${plan.queue.queueName} (batch size ${plan.batchSize}, ${plan.concurrency} concurrent batches)`,
        });
    },
    async stop(deadlineMs) {
      const reports = await Promise.all((consumers ?? []).map((c) => c.stop(deadlineMs)));
      // Abandoned batches' late deletes fail on a destroyed client; their messages come back.
      ownClient?.destroy();
      return reports.reduce(
        (sum, r) => ({
          finished: sum.finished + r.finished,
          released: sum.released + r.released,
          abandoned: sum.abandoned + r.abandoned,
        }),
        { finished: 0, released: 0, abandoned: 0 },
      );
    },
  };
}

function newClient(context: ServeContext): SQSClient {
  return new SQSClient({
    region: context.spec.region,
    ...(context.endpointUrl ? { endpoint: context.endpointUrl } : {}),
  });
}

/**
 * Where the queues the served functions are linked to live, for their discovery variables: from
 * the deployed stack's outputs when the server is told its stack (synth writes one `QueueUrl`
 * output per queue, whose value is the queue's Ref, its URL:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html#aws-resource-sqs-queue-return-values),
 * else from SQS GetQueueUrl by each queue's physical name
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html).
 */
import type { AppSpec } from "../model/app-spec.ts";
import { linkedResources } from "../model/resource-variables.ts";
import type { ServeClients } from "./aws-clients.ts";

export interface QueueLookup {
  /** Queue URLs by definition name. */
  readonly urls: Map<string, string>;
  /** Queues whose URL could not be found, with why (the server logs them and starts anyway). */
  readonly missing: { readonly queue: string; readonly reason: string }[];
}

/** Definition names of the queues the served functions are linked to (consume, route to, may use). */
export function linkedQueues(spec: AppSpec, functions: readonly string[]): string[] {
  const queues = new Set<string>();
  for (const name of functions) {
    const fn = spec.functions[name];
    if (fn) for (const queue of linkedResources(spec, fn).queues) queues.add(queue);
  }
  return [...queues];
}

export async function findQueueUrls(
  spec: AppSpec,
  queues: readonly string[],
  clients: Pick<ServeClients, "queueUrl" | "stackOutputs">,
  stackName?: string,
): Promise<QueueLookup> {
  const urls = new Map<string, string>();
  const missing: { queue: string; reason: string }[] = [];
  const outputs = stackName === undefined ? [] : Object.entries(await clients.stackOutputs(stackName));
  await Promise.all(
    queues.map(async (name) => {
      const queue = spec.queues[name];
      if (!queue) return;
      const output = outputs.find(
        ([key, value]) => key.endsWith("QueueUrl") && value.endsWith(`/${queue.queueName}`),
      );
      if (output) {
        urls.set(name, output[1]);
        return;
      }
      try {
        urls.set(name, await clients.queueUrl(queue.queueName));
      } catch (error) {
        missing.push({ queue: name, reason: (error as Error).message });
      }
    }),
  );
  return { urls, missing };
}

import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { invokedFunctionName } from "./provisioned-concurrency.ts";
import { queueArnValue } from "./references.ts";

/** The SQS event source mapping of a function that consumes a queue. */
export function eventSourceMapping(spec: AppSpec, fn: FunctionSpec): TemplateResource | undefined {
  const consumes = fn.consumes;
  if (!consumes) return undefined;
  const queue = spec.queues[consumes.queue];
  const properties: Record<string, TemplateValue> = {
    // The `live` alias when the function has provisioned concurrency, so those environments serve it.
    FunctionName: invokedFunctionName(fn),
    EventSourceArn: queueArnValue(consumes.queue),
    Enabled: true,
    BatchSize: consumes.batchSize,
  };
  // Lambda rejects a batching window on FIFO queues.
  if (!queue?.fifo) properties.MaximumBatchingWindowInSeconds = consumes.maximumBatchingWindowSeconds;
  if (consumes.maxConcurrency !== undefined) {
    properties.ScalingConfig = { MaximumConcurrency: consumes.maxConcurrency };
  }
  if (consumes.reportBatchItemFailures) properties.FunctionResponseTypes = ["ReportBatchItemFailures"];
  return { Type: "AWS::Lambda::EventSourceMapping", Properties: properties };
}

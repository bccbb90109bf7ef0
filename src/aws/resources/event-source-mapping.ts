import type { AppSpec, FunctionSpec, TableConsumesSpec } from "../../model/app-spec.ts";
import { mappingStandsBy } from "../../model/fleet-roles.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { invokedFunctionName } from "./provisioned-concurrency.ts";
import { queueArnValue } from "./references.ts";

/** The event source mapping of a function that consumes a queue or a table's stream. */
export function eventSourceMapping(spec: AppSpec, fn: FunctionSpec): TemplateResource | undefined {
  if (fn.consumesTable) return streamMapping(spec, fn, fn.consumesTable);
  const consumes = fn.consumes;
  if (!consumes) return undefined;
  const queue = spec.queues[consumes.queue];
  const properties: Record<string, TemplateValue> = {
    // The `live` alias when the function has provisioned concurrency, so those environments serve it.
    FunctionName: invokedFunctionName(fn),
    EventSourceArn: queueArnValue(consumes.queue),
    // A fleet with role "primary" consumes the queue: Lambda stands by, and an operator fails over
    // by enabling the mapping (UpdateEventSourceMapping; Lambda resumes polling where it stopped).
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-eventsourcemapping.html
    // https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html
    Enabled: !mappingStandsBy(spec, fn.name),
    BatchSize: consumes.batchSize,
  };
  // Lambda rejects a batching window on FIFO queues.
  if (!queue?.fifo) properties.MaximumBatchingWindowInSeconds = consumes.maximumBatchingWindowSeconds;
  if (consumes.maxConcurrency !== undefined) {
    properties.ScalingConfig = { MaximumConcurrency: consumes.maxConcurrency };
  }
  if (consumes.reportBatchItemFailures) properties.FunctionResponseTypes = ["ReportBatchItemFailures"];
  if (consumes.filters) properties.FilterCriteria = filterCriteria(consumes.filters);
  return { Type: "AWS::Lambda::EventSourceMapping", Properties: properties };
}

/**
 * A mapping on a table's stream, every setting written out with Lambda's defaults
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html). The stream ARN comes
 * from the table, so the mapping follows the table's current stream. A global table's replica
 * is in no regional stack, and each replica has its own stream in its own region (GlobalTable's
 * `StreamArn` attribute is the stack region's only): the regional stack takes it as a parameter,
 * which deploy fills from DescribeTable's LatestStreamArn in that region (deploy/lookups.ts).
 */
function streamMapping(spec: AppSpec, fn: FunctionSpec, consumes: TableConsumesSpec): TemplateResource {
  const global = spec.tables?.[consumes.table]?.global === true;
  const properties: Record<string, TemplateValue> = {
    FunctionName: invokedFunctionName(fn),
    EventSourceArn: global
      ? ref(logicalId("tableStreamArnParameter", consumes.table))
      : getAtt(logicalId("table", consumes.table), "StreamArn"),
    Enabled: true,
    StartingPosition: consumes.startingPosition,
    BatchSize: consumes.batchSize,
    MaximumBatchingWindowInSeconds: consumes.maximumBatchingWindowSeconds,
    MaximumRetryAttempts: consumes.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: consumes.maximumRecordAgeSeconds,
    BisectBatchOnFunctionError: consumes.bisectBatchOnFunctionError,
    ParallelizationFactor: consumes.parallelizationFactor,
  };
  if (consumes.tumblingWindowSeconds !== undefined) {
    properties.TumblingWindowInSeconds = consumes.tumblingWindowSeconds;
  }
  if (consumes.reportBatchItemFailures) properties.FunctionResponseTypes = ["ReportBatchItemFailures"];
  // Lambda sends the record of each discarded batch with the function's execution role.
  if (consumes.onFailure !== undefined) {
    properties.DestinationConfig = { OnFailure: { Destination: queueArnValue(consumes.onFailure) } };
  }
  if (consumes.filters) properties.FilterCriteria = filterCriteria(consumes.filters);
  return { Type: "AWS::Lambda::EventSourceMapping", Properties: properties };
}

/** Lambda's FilterCriteria: one `{ Pattern }` per filter, each an event pattern as JSON text. */
function filterCriteria(filters: readonly string[]): TemplateValue {
  return { Filters: filters.map((pattern) => ({ Pattern: pattern })) };
}

import type { ShardRecord } from "../dynamodb/index.ts";
import type { InvokeResult } from "../lambda/index.ts";

/** Why Lambda gave up on a batch; the invocation record's `requestContext.condition`. */
export type DiscardCondition = "RetryAttemptsExhausted" | "RecordAgeExceeded";

/**
 * The invocation record Lambda sends an on-failure destination for a discarded stream batch: it
 * describes the batch (DDBStreamBatchInfo) but does not carry its records.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
export function streamFailureRecord(input: {
  readonly records: readonly ShardRecord[];
  readonly condition: DiscardCondition;
  readonly functionArn: string;
  readonly streamArn: string;
  readonly shardId: string;
  readonly invokeCount: number;
  readonly lastResult: InvokeResult | undefined;
  readonly requestId: string;
  readonly now: number;
}): Record<string, unknown> {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  const result = input.lastResult;
  return {
    requestContext: {
      requestId: result?.requestId ?? input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    responseContext: {
      statusCode: result?.statusCode ?? 200,
      executedVersion: result?.executedVersion ?? "$LATEST",
      ...(result?.functionError ? { functionError: result.functionError } : {}),
    },
    version: "1.0",
    timestamp: new Date(input.now).toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shardId,
      startSequenceNumber: first?.record.dynamodb.SequenceNumber,
      endSequenceNumber: last?.record.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: input.records.length,
      streamArn: input.streamArn,
    },
  };
}

/** Seconds precision, as AWS writes it: `2019-11-14T00:13:19Z`. */
function arrival(record: ShardRecord | undefined): string | undefined {
  if (!record) return undefined;
  return new Date(record.record.dynamodb.ApproximateCreationDateTime * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}

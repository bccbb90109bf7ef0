import type { ShardRecord, StreamRecord } from "../dynamodb/index.ts";

/** One record of the event Lambda sends a stream-driven function: the stream record plus its stream. */
export type StreamEventRecord = StreamRecord & { readonly eventSourceARN: string };

/**
 * What a tumbling window adds to the event (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html).
 */
export interface WindowFields {
  readonly window: { readonly start: string; readonly end: string };
  readonly state: unknown;
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
}

/** `{ Records: [...] }` in Lambda's DynamoDB shape and key order (eventSourceARN last). */
export function toStreamEvent(
  records: readonly ShardRecord[],
  streamArn: string,
  window?: WindowFields,
): { Records: StreamEventRecord[] } & Partial<WindowFields> {
  return {
    Records: records.map((r) => ({ ...r.record, eventSourceARN: streamArn })),
    ...(window ?? {}),
  };
}

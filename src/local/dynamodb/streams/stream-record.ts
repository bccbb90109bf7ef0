import type { StreamViewType } from "../../../model/app-spec.ts";
import type { Item } from "../expressions/index.ts";

/**
 * One record as DynamoDB Streams' GetRecords returns it, in AWS's key order; Lambda's event adds
 * `eventSourceARN` after it. `eventVersion` "1.1" is what DynamoDB writes today.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html
 */
export interface StreamRecord {
  readonly eventID: string;
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  readonly eventVersion: "1.1";
  readonly eventSource: "aws:dynamodb";
  readonly awsRegion: string;
  readonly dynamodb: {
    /** Epoch seconds. */
    readonly ApproximateCreationDateTime: number;
    readonly Keys: Item;
    readonly NewImage?: Item;
    readonly OldImage?: Item;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: StreamViewType;
  };
  readonly userIdentity?: { readonly type: "Service"; readonly principalId: string };
}

/** A stored record with what the pollers need beside it. */
export interface ShardRecord {
  /** The counter behind SequenceNumber (sequence-number.ts). */
  readonly seq: number;
  /** Epoch milliseconds on the clock when the write committed. */
  readonly createdAt: number;
  /** Hash of the item's whole key: a parallelization lane keeps one item's changes in order. */
  readonly itemHash: number;
  readonly record: StreamRecord;
}

/** Which images a view type keeps (StreamSpecification). */
export function keepsNewImage(view: StreamViewType): boolean {
  return view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES";
}

export function keepsOldImage(view: StreamViewType): boolean {
  return view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES";
}

import type { Mutable } from "../../model/mutable.ts";
import type { MessageRow } from "./schema.ts";
import { decodeAttributes } from "./stored-attributes.ts";
import type { ReceivedMessage } from "./types.ts";

/**
 * SequenceNumber as SQS shows it: a 20-digit, increasing, non-consecutive decimal string. It comes
 * from the row's position, so a message that moves (to a DLQ, or back) gets a new one, as a
 * message sent again would.
 */
export function sequenceNumber(seq: number): string {
  return (10n ** 19n + BigInt(seq) * 65_536n).toString();
}

export interface ReceiveContext {
  readonly fifo: boolean;
  readonly senderId: string;
  /** The ARN of a queue by physical name, for DeadLetterQueueSourceArn. */
  readonly arnOf: (queueName: string) => string;
}

/** Builds what ReceiveMessage returns for a row that has just been marked received. */
export function toReceivedMessage(
  row: MessageRow,
  receiptHandle: string,
  receiveCount: number,
  firstReceivedAt: number,
  ctx: ReceiveContext,
): ReceivedMessage {
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(receiveCount),
    ApproximateFirstReceiveTimestamp: String(firstReceivedAt),
    SentTimestamp: String(row.sent_at),
    SenderId: row.sender_id ?? ctx.senderId,
  };
  if (row.group_id !== null) attributes.MessageGroupId = row.group_id;
  if (ctx.fifo) {
    if (row.dedup_id !== null) attributes.MessageDeduplicationId = row.dedup_id;
    attributes.SequenceNumber = sequenceNumber(row.seq);
  }
  const trace = decodeAttributes(row.system_attributes).AWSTraceHeader?.stringValue;
  if (trace !== undefined) attributes.AWSTraceHeader = trace;
  if (row.source_queue !== null) attributes.DeadLetterQueueSourceArn = ctx.arnOf(row.source_queue);
  // One literal with the optional members assigned: spreads are V8's slow path (issue 14).
  const message: Mutable<ReceivedMessage> = {
    messageId: row.message_id,
    receiptHandle,
    body: row.body,
    md5OfBody: row.md5_body,
    messageAttributes: decodeAttributes(row.attributes),
    attributes,
  };
  if (row.md5_attributes !== null) message.md5OfMessageAttributes = row.md5_attributes;
  if (row.trace_header !== null) message.traceHeader = row.trace_header;
  return message;
}

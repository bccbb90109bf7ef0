import type { ReceivedMessage } from "../sqs/index.ts";

/** One record of the SQS event Lambda sends, byte for byte in AWS's shape and key order. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsEventAttribute>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: "aws:sqs";
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEventAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

/**
 * The order Lambda lists system attributes in; FIFO ones only appear on FIFO queues, and
 * DeadLetterQueueSourceArn (a documented system attribute of Message) only on a dead-letter queue.
 */
const ATTRIBUTE_ORDER = [
  "ApproximateReceiveCount",
  "AWSTraceHeader",
  "SentTimestamp",
  "SequenceNumber",
  "MessageGroupId",
  "SenderId",
  "MessageDeduplicationId",
  "ApproximateFirstReceiveTimestamp",
  "DeadLetterQueueSourceArn",
] as const;

export function toSqsEvent(
  messages: readonly ReceivedMessage[],
  queueArn: string,
  region: string,
): { Records: SqsEventRecord[] } {
  return { Records: messages.map((m) => toRecord(m, queueArn, region)) };
}

function toRecord(message: ReceivedMessage, queueArn: string, region: string): SqsEventRecord {
  const attributes: Record<string, string> = {};
  for (const name of ATTRIBUTE_ORDER) {
    const value = message.attributes[name];
    if (value !== undefined) attributes[name] = value;
  }
  // Names from the wire (a message attribute may be called `__proto__`): fromEntries defines own
  // properties, where an assignment would set the prototype.
  const messageAttributes = Object.fromEntries(
    Object.entries(message.messageAttributes).map(([name, value]): [string, SqsEventAttribute] => [
      name,
      {
        ...(value.stringValue !== undefined ? { stringValue: value.stringValue } : {}),
        ...(value.binaryValue !== undefined
          ? { binaryValue: Buffer.from(value.binaryValue).toString("base64") }
          : {}),
        stringListValues: [],
        binaryListValues: [],
        dataType: value.dataType,
      },
    ]),
  );
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes,
    messageAttributes,
    ...(message.md5OfMessageAttributes ? { md5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
    md5OfBody: message.md5OfBody,
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

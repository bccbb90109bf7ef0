import type { Message } from "@aws-sdk/client-sqs";
import type { ReceivedMessage } from "../../local/sqs/index.ts";

/**
 * A message as the SDK's ReceiveMessage gives it, in the shape local/event-source's event builder
 * reads, so `sluice serve` and the local mapping build the SQS event with one function.
 * Attribute names come from the wire: `fromEntries` defines own properties (a message attribute
 * called `__proto__` stays an attribute). SQS reserves the list values and never returns them.
 */
export function fromSdkMessage(message: Message): ReceivedMessage {
  const messageAttributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? "String",
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
  const attributes = Object.fromEntries(
    Object.entries(message.Attributes ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    md5OfBody: message.MD5OfBody ?? "",
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    messageAttributes,
    attributes,
  };
}

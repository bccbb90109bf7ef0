/**
 * The SQS calls a served function's consumer polls with (GetQueueUrl, ReceiveMessage), over the
 * SDK; deleting and releasing are in message-batch-calls.ts.
 */
import { GetQueueUrlCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ReceivedMessage } from "../../local/sqs/index.ts";
import { fromSdkMessage } from "./sdk-message.ts";

/** The queue's URL by its name (a mapping knows its queue by ARN, whose last part is the name). */
export async function askQueueUrl(
  sqs: SQSClient,
  queueName: string,
  abortSignal: AbortSignal,
): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }), { abortSignal });
  if (!QueueUrl) throw new Error(`GetQueueUrl answered no URL for ${queueName}`);
  return QueueUrl;
}

/** One ReceiveMessage with every attribute, long-polling `waitSeconds`; `abortSignal` may end it early. */
export async function receiveMessages(
  sqs: SQSClient,
  url: string,
  max: number,
  waitSeconds: number,
  abortSignal: AbortSignal | undefined,
): Promise<ReceivedMessage[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitSeconds,
      // Both spellings: AttributeNames is deprecated for MessageSystemAttributeNames, and older
      // endpoints read only the first.
      AttributeNames: ["All"],
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
    abortSignal === undefined ? {} : { abortSignal },
  );
  return (out.Messages ?? []).map(fromSdkMessage);
}

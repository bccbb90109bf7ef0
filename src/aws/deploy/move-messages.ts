/**
 * Moves every message still in one queue to another: receive (all attributes), send a copy
 * (body, message attributes, AWSTraceHeader, and for FIFO the group and deduplication IDs), and
 * delete the original only after the send succeeded. Stopping half-way loses nothing: a message
 * not yet deleted becomes visible again and the next run moves it; one sent but not deleted is
 * sent twice (a FIFO queue drops the copy within its 5-minute deduplication interval, since the
 * deduplication ID is kept; a standard queue may deliver it twice, as SQS itself may).
 */
import {
  DeleteMessageCommand,
  type Message,
  type MessageSystemAttributeNameForSends,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { queueDepth, totalMessages } from "./data-at-stake.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import { type Polling, pollUntil } from "./polling.ts";

export interface MoveOptions {
  readonly fromUrl: string;
  readonly toUrl: string;
  readonly fifo: boolean;
  /** How long a received message stays hidden while it is copied. @default 60 */
  readonly visibilityTimeoutSeconds?: number;
}

export async function moveMessages(sqs: SQSClient, options: MoveOptions, poll: Polling): Promise<number> {
  let moved = 0;
  let confirmedEmpty = false;
  await pollUntil(
    poll,
    async () => {
      for (;;) {
        const batch = await receive(sqs, options);
        if (batch.length === 0) break;
        confirmedEmpty = false;
        for (const message of batch) {
          await sqs.send(new SendMessageCommand(copyOf(message, options)));
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: options.fromUrl, ReceiptHandle: message.ReceiptHandle }),
          );
          moved++;
        }
      }
      // Empty receive: done once SQS also counts nothing waiting, in flight or delayed, twice in a row.
      if (totalMessages(await queueDepth(sqs, options.fromUrl)) > 0) {
        confirmedEmpty = false;
        return undefined;
      }
      if (!confirmedEmpty) {
        confirmedEmpty = true;
        return undefined;
      }
      return true;
    },
    () =>
      new DeployError(
        DEPLOY_ERROR.timeout,
        `messages kept arriving in ${options.fromUrl} (or stayed in flight) for ${poll.timeoutMs} ms; ${moved} moved so far. Stop what sends to it and run the deploy again to continue.`,
      ),
  );
  return moved;
}

async function receive(sqs: SQSClient, options: MoveOptions): Promise<Message[]> {
  const result = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: options.fromUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: options.visibilityTimeoutSeconds ?? 60,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  return result.Messages ?? [];
}

/** The SendMessage input that recreates `message` in the target queue. */
export function copyOf(message: Message, options: Pick<MoveOptions, "toUrl" | "fifo">) {
  const attributes = message.Attributes ?? {};
  const trace = attributes.AWSTraceHeader;
  return {
    QueueUrl: options.toUrl,
    MessageBody: message.Body ?? "",
    ...(message.MessageAttributes && Object.keys(message.MessageAttributes).length > 0
      ? { MessageAttributes: message.MessageAttributes }
      : {}),
    ...(trace
      ? {
          MessageSystemAttributes: {
            AWSTraceHeader: { DataType: "String", StringValue: trace },
          } as Record<MessageSystemAttributeNameForSends, { DataType: string; StringValue: string }>,
        }
      : {}),
    ...(options.fifo && attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
    ...(options.fifo && attributes.MessageDeduplicationId
      ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
      : {}),
  };
}

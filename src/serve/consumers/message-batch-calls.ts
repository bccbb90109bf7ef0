import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { ReceivedMessage } from "../../local/sqs/index.ts";
import { LIMITS } from "../../model/limits.ts";

/** What one DeleteMessageBatch and one ChangeMessageVisibilityBatch take. */
const BATCH_MAX = LIMITS.sqs.batchEntries.max;

/** Says what went wrong with some messages; the consumer logs it and carries on. */
export type CallFailure = (event: "delete-failed" | "release-failed", message: string) => void;

/**
 * Deletes the messages, ten per call. Batch delete reports per entry: one expired handle must not
 * keep the others from being deleted.
 */
export async function deleteMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly ReceivedMessage[],
  onFailure: CallFailure,
): Promise<void> {
  for (let i = 0; i < messages.length; i += BATCH_MAX) {
    const chunk = messages.slice(i, i + BATCH_MAX);
    try {
      const out = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.receiptHandle })),
        }),
      );
      for (const failed of out.Failed ?? [])
        onFailure(
          "delete-failed",
          `${chunk[Number(failed.Id)]?.messageId}: ${failed.Code} ${failed.Message ?? ""}`,
        );
    } catch (error) {
      onFailure("delete-failed", (error as Error).message);
    }
  }
}

/**
 * Visibility 0: the messages are at once visible to any consumer again (in order, on a FIFO
 * queue). Returns how many SQS released.
 */
export async function releaseMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly ReceivedMessage[],
  onFailure: CallFailure,
): Promise<number> {
  let released = 0;
  for (let i = 0; i < messages.length; i += BATCH_MAX) {
    const chunk = messages.slice(i, i + BATCH_MAX);
    try {
      const out = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((m, n) => ({
            Id: String(n),
            ReceiptHandle: m.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      released += out.Successful?.length ?? 0;
      for (const failed of out.Failed ?? [])
        onFailure(
          "release-failed",
          `${chunk[Number(failed.Id)]?.messageId}: ${failed.Code} ${failed.Message ?? ""}`,
        );
    } catch (error) {
      onFailure("release-failed", (error as Error).message);
    }
  }
  return released;
}

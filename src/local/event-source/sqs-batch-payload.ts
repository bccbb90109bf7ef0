import { LIMITS } from "../../model/limits.ts";
import type { ReceivedMessage } from "../sqs/index.ts";
import { toSqsEvent } from "./sqs-event.ts";

/**
 * The one rule that keeps an SQS batch's event within Lambda's payload limit, for dev's mapping
 * (sqs-poller.ts) and `sluice serve`'s consumers alike: "Lambda passes all of the records in the
 * batch to the function in a single call, up to the payload limit for synchronous invocation
 * (6 MB)" (BatchSize, https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html).
 * Sizes are of the event as sent (JSON.stringify of toSqsEvent), not of the bodies alone: a
 * record's attributes and escaping count too. Messages are taken in the order received; the
 * first that does not fit fills the batch, and it and every later one are handed back for the
 * caller to release (visibility 0), so a FIFO group's order survives. A batch's first message is
 * always taken (one message never exceeds the limit: SQS's own is far below it).
 */
export class SqsBatchPayload {
  private bytes = Buffer.byteLength(JSON.stringify({ Records: [] }));
  private count = 0;
  private filled = false;

  constructor(
    private readonly queueArn: string,
    private readonly region: string,
    private readonly limit: number = LIMITS.lambda.syncPayload.max,
  ) {}

  /** True once a message did not fit: gathering more is pointless. */
  get full(): boolean {
    return this.filled;
  }

  /** Appends to `batch` the messages that fit; returns those that do not, to be released. */
  take(batch: ReceivedMessage[], messages: readonly ReceivedMessage[]): ReceivedMessage[] {
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as ReceivedMessage;
      // Received again while the batch gathers (its visibility timeout ran out during a batching
      // window): one record, with the newest receipt handle, the only one SQS deletes it with
      // (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html).
      const seen = batch.findIndex((m) => m.messageId === message.messageId);
      if (seen >= 0) {
        batch[seen] = message;
        continue;
      }
      const record = toSqsEvent([message], this.queueArn, this.region).Records[0];
      const size = Buffer.byteLength(JSON.stringify(record)) + (this.count > 0 ? 1 : 0);
      if (this.filled || (this.count > 0 && this.bytes + size > this.limit)) {
        this.filled = true;
        return messages.slice(i);
      }
      batch.push(message);
      this.bytes += size;
      this.count++;
    }
    return [];
  }
}

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  GetQueueAttributesCommand,
  type Message,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { Consumer } from "sqs-consumer";
import { EVENT_TIMEOUT_MS } from "../support/cli-process.ts";
import { type EndpointApp, startEndpointApp } from "../support/endpoint.ts";

/** Resolves when `consumer` emits `event` `count` times, or rejects on its errors. */
function collect(
  consumer: Consumer,
  event: "message_processed" | "processing_error",
  count: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${count} ${event}`)), EVENT_TIMEOUT_MS);
    consumer.on(event, () => {
      seen += 1;
      if (seen === count) {
        clearTimeout(timer);
        resolve();
      }
    });
    consumer.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe("sqs-consumer, unmodified, against the endpoint", () => {
  let app: EndpointApp;
  before(async () => {
    app = await startEndpointApp();
  });
  after(async () => {
    await app?.close();
  });

  test("consumes every message one at a time and deletes each after it is handled", async () => {
    const queueUrl = `${app.url}/000000000000/endpoint-jobs`;
    const bodies = Array.from({ length: 12 }, (_, i) => `job ${i}`);
    for (const body of bodies)
      await app.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const handled: string[] = [];
    const consumer = Consumer.create({
      queueUrl,
      sqs: app.sqs,
      waitTimeSeconds: 1,
      handleMessage: async (message: Message) => {
        handled.push(message.Body ?? "");
        return message;
      },
    });
    const done = collect(consumer, "message_processed", bodies.length);
    consumer.start();
    await done;
    consumer.stop({ abort: true });
    assert.deepEqual([...handled].sort(), [...bodies].sort());
    const left = await app.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    assert.deepEqual(left.Attributes, {
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "0",
    });
  });

  test("in batches, a message whose handling fails is left in flight for redelivery", async () => {
    const queueUrl = `${app.url}/000000000000/endpoint-audit`;
    await app.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: ["ok-1", "bad", "ok-2"].map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    const consumer = Consumer.create({
      queueUrl,
      sqs: app.sqs,
      batchSize: 10,
      waitTimeSeconds: 1,
      visibilityTimeout: 600,
      handleMessageBatch: async (messages: Message[]) => messages.filter((m) => m.Body !== "bad"),
    });
    const processed = collect(consumer, "message_processed", 2);
    consumer.start();
    await processed;
    consumer.stop({ abort: true });
    const left = await app.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    assert.deepEqual(left.Attributes, {
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesNotVisible: "1",
    });
  });
});

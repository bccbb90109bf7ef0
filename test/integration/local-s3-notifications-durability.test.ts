/**
 * An S3 event is durable once the write answers: `sluice dev` killed with SIGKILL while PutObject
 * calls are in flight loses the event of no acknowledged write (it is in the same SQLite
 * transaction as the object, and delivered after a restart if the kill came first).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DevProcess, ROOT, startDev } from "../support/cli-process.ts";
import { clientConfig, copyAppWithSdk } from "../support/endpoint.ts";

const APP = join(ROOT, "test", "fixtures", "apps", "s3-events");
const BUCKET = "durable-events";

const cleanups: (() => unknown)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test("SIGKILL right after PutObject answers loses no acknowledged write's event", async () => {
  const copy = copyAppWithSdk(APP);
  cleanups.push(() => copy.cleanup());
  let dev: DevProcess = await startDev(copy.dir);
  cleanups.push(() => dev.stop("SIGKILL"));
  let url = await endpointOf(dev);
  let s3 = new S3Client({ ...clientConfig(url), forcePathStyle: true });
  let sqs = new SQSClient(clientConfig(url));

  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "s3events-objects" }));
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const queueArn = attributes.Attributes?.QueueArn;
  assert.ok(queueArn);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: {
        QueueConfigurations: [{ QueueArn: queueArn, Events: ["s3:ObjectCreated:*"] }],
      },
    }),
  );

  const acknowledged: string[] = [];
  let stop = false;
  let cutOff = 0;
  const writer = async (lane: number) => {
    for (let i = 0; !stop; i++) {
      const key = `lane ${lane}/object ${i}.txt`;
      try {
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body ${i}` }));
        acknowledged.push(key);
      } catch {
        cutOff++; // the kill: calls in flight fail
        return;
      }
    }
  };
  const lanes = Array.from({ length: 6 }, (_, lane) => writer(lane));
  while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
  await dev.stop("SIGKILL");
  stop = true;
  await Promise.all(lanes);
  s3.destroy();
  sqs.destroy();
  assert.ok(cutOff > 0, "the kill came while calls were in flight");

  dev = await startDev(copy.dir);
  url = await endpointOf(dev);
  s3 = new S3Client({ ...clientConfig(url), forcePathStyle: true });
  sqs = new SQSClient(clientConfig(url));
  cleanups.push(() => s3.destroy());
  cleanups.push(() => sqs.destroy());
  const delivered = new Set<string>();
  for (let empty = 0; empty < 2; ) {
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    const messages = got.Messages ?? [];
    if (messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    for (const message of messages) {
      const body = JSON.parse(message.Body ?? "{}") as { Records?: { s3: { object: { key: string } } }[] };
      for (const record of body.Records ?? [])
        delivered.add(decodeURIComponent(record.s3.object.key.replaceAll("+", " ")));
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
  const lost = acknowledged.filter((key) => !delivered.has(key));
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes lost their event`);
});

async function endpointOf(dev: DevProcess): Promise<string> {
  const line = await dev.waitForLine(/AWS endpoint\s+http:\/\//);
  const found = /(http:\/\/\S+)/.exec(line)?.[1];
  assert.ok(found, line);
  return found;
}

/**
 * `sluice cloud`: the account's S3 (its own SQLite file) notifies destinations in a region's cloud
 * (another file). A queue in eu-west-1 gets the events of a bucket made there through the SDK,
 * including a lifecycle expiration the host's sweep makes on its clock.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { S3Schema } from "@aws-lambda-powertools/parser/schemas/s3";
import {
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CloudHost } from "../../src/local/cloud-host/index.ts";

const REGION = "eu-west-1";
const CREDENTIALS = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "secret" };

test("the account's buckets notify a queue in the bucket's region, lifecycle expirations too", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-s3-cloud-events-"));
  const clock = new ManualClock(Date.UTC(2026, 10, 21));
  const host = await CloudHost.start({ stateDir: dir, port: 0, clock });
  const config = { region: REGION, endpoint: host.url, credentials: CREDENTIALS, maxAttempts: 1 };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  t.after(async () => {
    s3.destroy();
    sqs.destroy();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "object-events" }));
  const got = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  const queueArn = got.Attributes?.QueueArn;
  assert.ok(queueArn);
  await s3.send(
    new CreateBucketCommand({
      Bucket: "cloud-events",
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: "cloud-events",
      NotificationConfiguration: {
        QueueConfigurations: [
          { Id: "all", QueueArn: queueArn, Events: ["s3:ObjectCreated:*", "s3:LifecycleExpiration:*"] },
        ],
      },
    }),
  );
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: "cloud-events",
      LifecycleConfiguration: {
        Rules: [{ ID: "tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 1 } }],
      },
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket: "cloud-events", Key: "tmp/scratch.txt", Body: "x" }));

  const receive = async () => {
    for (let i = 0; i < 20; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      const [message] = Messages ?? [];
      if (!message) continue;
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
      return S3Schema.parse(JSON.parse(message.Body ?? "")).Records[0];
    }
    assert.fail("no event arrived");
  };
  const created = await receive();
  assert.equal(created?.eventName, "ObjectCreated:Put");
  assert.equal(created?.awsRegion, REGION);
  assert.equal(created?.s3.configurationId, "all");
  assert.equal(created?.s3.object.key, "tmp/scratch.txt");

  // The host's hourly sweep expires the object after its day (rounded up to midnight UTC).
  await clock.advance(2 * 24 * 60 * 60 * 1000);
  const expired = await receive();
  assert.equal(expired?.eventName, "LifecycleExpiration:Delete");
  assert.equal(expired?.requestParameters.sourceIPAddress, "s3.amazonaws.com");
});

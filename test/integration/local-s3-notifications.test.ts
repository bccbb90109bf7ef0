/**
 * S3 event notifications in a local cloud, written through @aws-sdk/client-s3: to a function
 * (asynchronous invocation), to a standard queue, and to the default bus, in the shapes AWS
 * documents (checked against Powertools' S3 schemas); and Lambda's recursive loop detection for a
 * function that writes into the bucket that invokes it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  S3EventNotificationEventBridgeSchema,
  S3Schema,
  S3SqsEventNotificationSchema,
} from "@aws-lambda-powertools/parser/schemas/s3";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { functionArn, queueArn } from "../../src/model/naming.ts";
import {
  type Bundle,
  bundleS3Handlers,
  nextMessage,
  openS3EventsRig,
  type S3EventsRig,
} from "../support/s3-events-rig.ts";
import { tempDir } from "../support/temp.ts";

const BUCKET = "content-bucket";
const DEFINITION = {
  queues: { seen: {}, deletions: {}, unwrapped: {}, bridged: {}, loops: {}, stopped: {} },
  functions: {
    record: { handler: "handlers.record", routes: "seen" },
    consume: { handler: "handlers.consume", consumes: { queue: "deletions" }, routes: "unwrapped" },
    watch: { handler: "handlers.watch", routes: "bridged" },
    loop: {
      handler: "handlers.loop",
      routes: "loops",
      async: { maximumRetryAttempts: 0, onFailure: "stopped" },
    },
  },
  rules: {
    created: {
      pattern: { source: ["aws.s3"], "detail-type": ["Object Created"] },
      targets: [{ function: "watch" }],
    },
  },
};

let bundle: Bundle;
let rig: S3EventsRig;
const state = tempDir("sluice-s3-notifications-");

before(async () => {
  bundle = await bundleS3Handlers();
  rig = await openS3EventsRig(bundle, DEFINITION, state.dir);
  const { cloud } = rig;
  const spec = cloud.spec;
  await rig.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await rig.s3.send(new CreateBucketCommand({ Bucket: "loopy-bucket" }));
  cloud.s3.setBucketConfiguration(BUCKET, {
    BucketName: BUCKET,
    NotificationConfiguration: {
      EventBridgeConfiguration: { EventBridgeEnabled: true },
      LambdaConfigurations: [
        {
          Event: "s3:ObjectCreated:*",
          Function: functionArn(spec, "record"),
          Filter: {
            S3Key: {
              Rules: [
                { Name: "prefix", Value: "posts/" },
                { Name: "suffix", Value: ".md" },
              ],
            },
          },
        },
      ],
      QueueConfigurations: [{ Event: "s3:ObjectRemoved:*", Queue: queueArn(spec, "deletions") }],
    },
  });
  cloud.s3.setBucketConfiguration("loopy-bucket", {
    BucketName: "loopy-bucket",
    NotificationConfiguration: {
      LambdaConfigurations: [
        {
          Event: "s3:ObjectCreated:Put",
          Function: functionArn(spec, "loop"),
          Filter: { S3Key: { Rules: [{ Name: "prefix", Value: "loop/" }] } },
        },
      ],
    },
  });
});

after(async () => {
  await rig?.close();
  bundle?.cleanup();
  state.cleanup();
});

describe("S3 event notifications", () => {
  test("PutObject invokes the function asynchronously with S3's event, the key URL-encoded", async () => {
    const put = await rig.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: "posts/hello world.md", Body: "# Hello" }),
    );
    await rig.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "posts/skipped.txt", Body: "no" }));
    const event = S3Schema.parse(JSON.parse((await nextMessage(rig.cloud, "seen")).body));
    const [record] = event.Records;
    assert.ok(record);
    assert.equal(record.eventName, "ObjectCreated:Put");
    assert.equal(record.awsRegion, rig.cloud.spec.region);
    assert.equal(record.s3.bucket.name, BUCKET);
    assert.equal(record.s3.bucket.arn, `arn:aws:s3:::${BUCKET}`);
    assert.equal(record.s3.object.key, "posts/hello+world.md");
    assert.equal(record.s3.object.size, 7);
    assert.equal(`"${record.s3.object.eTag}"`, put.ETag);
    assert.ok(record.s3.configurationId.length > 0);
    assert.match(record.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const [more] = await rig.cloud.sqs.receiveMessages("seen");
    assert.equal(more, undefined, "the .txt object matched no notification");
  });

  test("DeleteObject sends S3's event to a standard queue, which a consumer receives SQS-wrapped", async () => {
    await rig.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "old/page.html", Body: "x" }));
    await rig.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "old/page.html" }));
    const sqsEvent = S3SqsEventNotificationSchema.parse(
      JSON.parse((await nextMessage(rig.cloud, "unwrapped")).body),
    );
    const [message] = sqsEvent.Records;
    assert.ok(message);
    const [record] = message.body.Records;
    assert.equal(record?.eventName, "ObjectRemoved:Delete");
    assert.equal(record?.s3.object.key, "old/page.html");
    assert.equal(record?.s3.object.size, undefined);
  });

  test("with EventBridge enabled, a rule on the default bus gets Object Created from aws.s3", async () => {
    await rig.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "images/a b.png", Body: "png" }));
    for (;;) {
      const event = S3EventNotificationEventBridgeSchema.parse(
        JSON.parse((await nextMessage(rig.cloud, "bridged")).body),
      );
      assert.equal(event.source, "aws.s3");
      assert.equal(event["detail-type"], "Object Created");
      assert.deepEqual(event.resources, [`arn:aws:s3:::${BUCKET}`]);
      assert.equal(event.account, rig.cloud.spec.accountId);
      if (event.detail.object.key !== "images/a b.png") continue; // the earlier tests' objects
      assert.equal(event.detail.bucket.name, BUCKET);
      assert.equal(event.detail.reason, "PutObject");
      assert.equal(event.detail.object.size, 3);
      break;
    }
  });

  test("a function writing into the bucket that invokes it is stopped after 16 invocations of one chain", async () => {
    await rig.s3.send(new PutObjectCommand({ Bucket: "loopy-bucket", Key: "loop/0", Body: "start" }));
    // Each invocation's result reaches "loops" after its PutObject, so the next invocation's result
    // may arrive first (and a standard queue keeps no order): read all 16, then order them by n.
    const seen: { n: number; traceHeader: string }[] = [];
    for (let i = 0; i < 16; i++) {
      seen.push(
        JSON.parse((await nextMessage(rig.cloud, "loops")).body) as { n: number; traceHeader: string },
      );
    }
    seen.sort((a, b) => a.n - b.n);
    assert.deepEqual(
      seen.map((s) => s.n),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    const fields = seen.map(({ traceHeader }) =>
      Object.fromEntries(traceHeader.split(";").map((f) => f.split("=") as [string, string])),
    );
    assert.equal(new Set(fields.map((f) => f.Root)).size, 1, "the chain keeps one trace");
    assert.deepEqual(
      fields.map((f) => Number(f.Lineage?.split(":")[1])),
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    // The 17th invocation is stopped; the event goes to the on-failure destination.
    const record = JSON.parse((await nextMessage(rig.cloud, "stopped")).body);
    assert.equal(record.requestContext.functionArn, `${functionArn(rig.cloud.spec, "loop")}:$LATEST`);
    assert.equal(record.requestPayload.Records[0].s3.object.key, "loop/16");
    assert.match(record.responsePayload.errorType, /RecursiveInvocationException/);
    const log = rig.events.find(
      (e) => e.type === "log" && e.line.functionName === "loop" && /recursive loop/.test(e.line.text),
    );
    assert.ok(log, "the function's log says why Lambda stopped it");
    const [extra] = await rig.cloud.sqs.receiveMessages("loops");
    assert.equal(extra, undefined, "no 17th invocation ran");
  });
});

/**
 * An app with S3 buckets deployed through the real CLI to a real `sluice cloud`: the stack makes
 * the buckets with their configuration as the template writes it (notifications, versioning,
 * lifecycle, public access block, encryption, the TLS-only policy), the function a bucket
 * notifies is invoked for an upload and finds the other bucket through discovery, and removing a
 * bucket that holds objects says that S3 keeps it, asks first, and leaves it with its objects;
 * destroy stops at such a bucket (DELETE_FAILED) and finishes once it is emptied.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CloudFormationClient, DescribeStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import {
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ROOT } from "../support/cli-process.ts";
import {
  HEALTH_CHECKER_ID,
  type LocalCloud,
  regionResults,
  run,
  SECRET_ACCESS_KEY,
  startCloud,
  transcript,
  useLocalCredentials,
} from "../support/deploy.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

useLocalCredentials();
const REGION = "us-east-1";

describe("deploying buckets to the local cloud", () => {
  let cloud: LocalCloud;
  let app: TempDir;
  let state: string;
  let s3: S3Client;
  let uploads = "";
  let scratch = "";
  const at = (...args: string[]) => [...args, "--endpoint-url", cloud.url];
  const deploy = (...args: string[]) =>
    run(at("deploy", app.dir, "--region", REGION, "--health-checker-id", HEALTH_CHECKER_ID, ...args));
  const config = () => join(app.dir, "sluice.config.ts");

  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-buckets-"));
    cloud = await startCloud(state);
    app = copyApp(join(ROOT, "test", "fixtures", "apps", "buckets"));
    s3 = new S3Client({ region: REGION, endpoint: cloud.url, forcePathStyle: true });
    const bootstrap = await run(at("bootstrap", "--region", REGION));
    assert.equal(bootstrap.code, 0, bootstrap.stderr);
  });
  after(async () => {
    s3?.destroy();
    await cloud?.stop();
    app?.cleanup();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  test("deploys the buckets, named `<app>-<stage>-<name>-<account>-<region>`, each name an output", async () => {
    const result = await deploy("--json");
    assert.equal(result.code, 0, `${result.stderr}\n${cloud.lines.join("\n")}`);
    const [region] = regionResults(result.stdout);
    assert.equal(region?.finalStatus, "CREATE_COMPLETE");
    uploads = String(region?.outputs.UploadsBucketName);
    scratch = String(region?.outputs.ScratchBucketName);
    assert.match(uploads, /^buckets-dev-uploads-\d{12}-us-east-1$/);
    assert.match(scratch, /^buckets-dev-scratch-\d{12}-us-east-1$/);
    await s3.send(new HeadBucketCommand({ Bucket: uploads }));
  });

  test("the bucket has the configuration the template gave: notifications and versioning", async () => {
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: uploads }));
    const lambda = notification.LambdaFunctionConfigurations ?? [];
    // S3 takes filter rule names in any case (`prefix`, `Prefix`).
    const rules = (c: (typeof lambda)[number]) =>
      (c.Filter?.Key?.FilterRules ?? []).map((r) => `${r.Name?.toLowerCase()}=${r.Value}`);
    assert.deepEqual(
      lambda.map((c) => [c.Events, c.LambdaFunctionArn?.replace(/:\d{12}:/, ":ACCOUNT:"), rules(c)]),
      [
        [
          ["s3:ObjectCreated:*"],
          "arn:aws:lambda:us-east-1:ACCOUNT:function:buckets-dev-noter",
          ["prefix=in/"],
        ],
      ],
    );
    assert.deepEqual(
      (notification.QueueConfigurations ?? []).map((c) => [
        c.Events,
        c.QueueArn?.replace(/:\d{12}:/, ":ACCOUNT:"),
      ]),
      [[["s3:ObjectRemoved:*"], "arn:aws:sqs:us-east-1:ACCOUNT:buckets-dev-removed"]],
    );
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: uploads }));
    assert.equal(versioning.Status, "Enabled");
    const policy = JSON.parse(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: uploads }))).Policy ?? "{}",
    );
    assert.deepEqual(policy.Statement?.[0]?.Condition, { Bool: { "aws:SecureTransport": "false" } });
    const cfn = new CloudFormationClient({ region: REGION, endpoint: cloud.url });
    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: "buckets-dev" }));
    cfn.destroy();
    const types = (resources.StackResources ?? []).map(
      (r) => `${r.LogicalResourceId} ${r.ResourceType} ${r.ResourceStatus}`,
    );
    for (const expected of [
      "UploadsBucket AWS::S3::Bucket CREATE_COMPLETE",
      "UploadsBucketPolicy AWS::S3::BucketPolicy CREATE_COMPLETE",
      "UploadsNoterBucketPermission AWS::Lambda::Permission CREATE_COMPLETE",
      "RemovedEventsQueuePolicy AWS::SQS::QueuePolicy CREATE_COMPLETE",
    ]) {
      assert.ok(types.includes(expected), `${expected} in ${types.join(", ")}`);
    }
  });

  test("an upload under in/ invokes the notified function, which writes to the bucket discovery names", async () => {
    await s3.send(new PutObjectCommand({ Bucket: uploads, Key: "in/report 1.txt", Body: "hello" }));
    const seen = await eventually(
      async () =>
        s3
          .send(new GetObjectCommand({ Bucket: scratch, Key: "seen/in/report 1.txt" }))
          .then((r) => r.Body?.transformToString())
          .catch(() => undefined),
      `seen/in/report 1.txt in ${scratch}\n${cloud.lines.join("\n")}`,
    );
    assert.deepEqual(JSON.parse(seen ?? "{}"), { eventName: "ObjectCreated:Put", bucket: uploads });
  });

  test("removing a bucket that holds objects says S3 keeps it, asks first, and leaves it with its objects", async () => {
    await s3.send(new PutObjectCommand({ Bucket: scratch, Key: "kept.txt", Body: "still here" }));
    const original = readFileSync(config(), "utf8");
    const without = original
      .replace(/\n {4}scratch: \{\},/, "")
      .replace(/\n {4}noter: \{[\s\S]*?\n {4}\},/, '\n    noter: { handler: "src/noter.handler" },');
    assert.doesNotMatch(without, /scratch: |bucket:scratch/);
    writeFileSync(config(), without);
    const refused = await deploy();
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(
      refused.stderr,
      /ScratchBucket AWS::S3::Bucket \(buckets-dev-scratch-\d{12}-us-east-1\) — holds [12] object\(s\), and S3 deletes only an empty bucket \(BucketNotEmpty\)/,
    );
    const confirmed = await deploy("--yes", "--json");
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const [region] = regionResults(confirmed.stdout);
    assert.equal(region?.finalStatus, "UPDATE_COMPLETE");
    // Left in place, out of the stack, with what it held.
    const kept = await s3.send(new GetObjectCommand({ Bucket: scratch, Key: "kept.txt" }));
    assert.equal(await kept.Body?.transformToString(), "still here");
    const cfn = new CloudFormationClient({ region: REGION, endpoint: cloud.url });
    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: "buckets-dev" }));
    cfn.destroy();
    assert.ok(!(resources.StackResources ?? []).some((r) => r.LogicalResourceId === "ScratchBucket"));
  });

  test("destroy says which bucket S3 keeps, ends DELETE_FAILED with it, and deletes once it is emptied", async () => {
    const kept = await run(at("destroy", app.dir, "--region", REGION, "--yes"));
    assert.equal(kept.code, 1, kept.stdout);
    assert.match(
      kept.stderr,
      /UploadsBucket AWS::S3::Bucket \(buckets-dev-uploads-\d{12}-us-east-1\) — holds 1 object\(s\), and S3 deletes only an empty bucket/,
    );
    assert.match(kept.stdout, /buckets-dev \(us-east-1\): DELETE_FAILED/);
    assert.match(kept.stderr, /BucketNotEmpty/);
    await s3.send(new HeadBucketCommand({ Bucket: uploads }));
    // Emptied (every version and delete marker too), the bucket goes with the stack.
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: uploads }));
    const ids = [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key,
      VersionId: v.VersionId,
    }));
    await s3.send(new DeleteObjectsCommand({ Bucket: uploads, Delete: { Objects: ids } }));
    const destroyed = await run(at("destroy", app.dir, "--region", REGION, "--yes"));
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.match(destroyed.stdout, /buckets-dev \(us-east-1\): DELETE_COMPLETE/);
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: uploads })), { name: "NotFound" });
  });

  test("no output ever showed a secret", () => {
    for (const text of transcript) {
      assert.ok(!text.includes(SECRET_ACCESS_KEY));
      assert.ok(!text.includes(HEALTH_CHECKER_ID));
    }
  });
});

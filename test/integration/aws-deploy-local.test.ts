/**
 * `sluice bootstrap`, `deploy`, `status`, `logs` and `destroy` through the real CLI against
 * `sluice cloud`: the same SDK calls as against AWS, with --endpoint-url. The deployed example
 * then runs in the local cloud and is used with the real AWS SDK clients.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { LogReader } from "../../src/aws/deploy/logs.ts";
import {
  HEALTH_CHECKER_ID,
  run,
  SECRET_ACCESS_KEY,
  transcript,
  useCloudWithExample,
  useLocalCredentials,
} from "../support/deploy.ts";
import { eventually } from "../support/poll.ts";

useLocalCredentials();
const REGION = "us-east-1";
const OTHER = "eu-west-2";

describe("deploy to the local cloud through the real CLI", () => {
  const cloud = useCloudWithExample(REGION);
  const { at, deploy } = cloud;
  /** Waits until the publish function's log has events matching `filterPattern`, as many as `enough` wants. */
  const publishLog = async (filterPattern: string, enough: (count: number) => boolean, what: string) => {
    const logs = new CloudWatchLogsClient({ region: REGION, endpoint: cloud.url });
    try {
      await eventually(async () => {
        const page = await logs
          .send(
            new FilterLogEventsCommand({ logGroupName: "/aws/lambda/pipeline-dev-publish", filterPattern }),
          )
          .catch(() => ({ events: [] }));
        return enough((page.events ?? []).length) ? true : undefined;
      }, what);
    } finally {
      logs.destroy();
    }
  };

  test("deploy before bootstrap says to run `sluice bootstrap` for that region first", async () => {
    const result = await deploy();
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /run `sluice bootstrap --region us-east-1` first/);
  });

  test("bootstrap creates the artifact bucket in each region; running it again changes nothing", async () => {
    const first = await run(at("bootstrap", "--region", `${REGION},${OTHER}`));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /\[us-east-1\] sluice-bootstrap: new stack/);
    assert.match(first.stdout, /\[eu-west-2\] sluice-bootstrap: new stack/);
    const again = await run(at("bootstrap", "--region", REGION, "--json"));
    assert.equal(again.code, 0, again.stderr);
    const [result] = JSON.parse(again.stdout) as { outcome: string; outputs: { BucketName: string } }[];
    assert.equal(result?.outcome, "no-changes");
    const s3 = new S3Client({ region: REGION, endpoint: cloud.url, forcePathStyle: true });
    await s3.send(new ListObjectsV2Command({ Bucket: result?.outputs.BucketName ?? "" }));
    s3.destroy();
  });

  test("deploys the example to two regions in parallel, with a result per region and the stack's outputs", async () => {
    const result = await run(at("deploy", cloud.dir, "--region", `${REGION},${OTHER}`));
    assert.equal(result.code, 0, result.stderr);
    // Not a terminal: plain lines, one per stack event.
    assert.match(
      result.stdout,
      /\[us-east-1\] \d\d:\d\d:\d\d {2}PagesQueue {2}AWS::SQS::Queue {2}CREATE_COMPLETE/,
    );
    assert.match(result.stdout, /\[eu-west-2\] artifacts: 4 uploaded, 0 unchanged/);
    assert.match(result.stdout, /pipeline-dev \(us-east-1\): deployed \(CREATE_COMPLETE\)/);
    assert.match(result.stdout, /pipeline-dev \(eu-west-2\): deployed \(CREATE_COMPLETE\)/);
    assert.match(result.stdout, /PagesQueueUrl +http:\/\/.+\/pipeline-dev-pages/);
  });

  test("the deployed app runs: a crawl request sent to its queue is published, and `logs` shows each event once", async () => {
    const url = (await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-pages" }))).QueueUrl;
    await cloud.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify({ site: "example.com", paths: ["/a", "/b"] }),
      }),
    );
    await publishLog("published", (count) => count >= 2, "two published pages");
    const result = await run(at("logs", "publish", cloud.dir, "--region", REGION, "--since", "1h", "--json"));
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { eventId: string; message: string });
    assert.equal(events.filter((e) => /published https:\/\/example\.com\/a/.test(e.message)).length, 1);
    assert.equal(events.filter((e) => /published https:\/\/example\.com\/b/.test(e.message)).length, 1);
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, "no event twice");
    // Following: each poll returns only what is new, each event once.
    const client = new CloudWatchLogsClient({ region: REGION, endpoint: cloud.url });
    const reader = new LogReader(client, "/aws/lambda/pipeline-dev-publish", Date.now() - 3_600_000);
    const first = await reader.next();
    const firstIds = new Set(first.map((e) => e.eventId));
    for (const e of events) assert.ok(firstIds.has(e.eventId), "the reader sees what `logs` printed");
    assert.deepEqual(await reader.next(), []);
    await cloud.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify({ site: "example.com", paths: ["/c"] }),
      }),
    );
    const later = await eventually(async () => {
      const fresh = await reader.next();
      return fresh.some((e) => /example\.com\/c/.test(e.message)) ? fresh : undefined;
    }, "the third page's log");
    assert.equal(
      later.filter((e) => first.some((f) => f.eventId === e.eventId)).length,
      0,
      "nothing seen before comes again",
    );
    client.destroy();
  });

  test("the deployed HTTP API answers at the URL the stack outputs: POST /crawls queues a request that gets published", async () => {
    const status = await run(at("status", cloud.dir, "--region", REGION, "--json"));
    assert.equal(status.code, 0, status.stderr);
    const [report] = JSON.parse(status.stdout) as { stacks: { outputs: Record<string, string> }[] }[];
    const api = report?.stacks[0]?.outputs.HttpApiUrl ?? "";
    assert.match(api, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const bad = await fetch(new URL("crawls", api), { method: "POST", body: "not json" });
    assert.equal(bad.status, 400);
    const accepted = await fetch(new URL("crawls", api), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ site: "api.example.com", paths: ["/via-http"] }),
    });
    assert.equal(accepted.status, 202, await accepted.clone().text());
    assert.equal(((await accepted.json()) as { pages: number }).pages, 1);
    await publishLog(
      '"published https://api.example.com/via-http"',
      (count) => count === 1,
      "the page submitted over HTTP published",
    );
  });

  test("a second deploy with nothing changed uploads nothing, says so and exits 0", async () => {
    const result = await deploy();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /artifacts: 0 uploaded, 4 unchanged/);
    assert.match(result.stdout, /pipeline-dev: no changes/);
  });

  test("status shows the stack, its outputs, every function Active and every queue's depth", async () => {
    const result = await run(at("status", cloud.dir, "--region", REGION, "--json"));
    assert.equal(result.code, 0, result.stderr);
    const [report] = JSON.parse(result.stdout) as {
      stacks: {
        stackName: string;
        outputs: Record<string, string>;
        functions: { state: string; lastUpdateStatus: string }[];
        queues: { logicalId: string; visible: number }[];
      }[];
    }[];
    const stack = report?.stacks[0];
    assert.equal(stack?.stackName, "pipeline-dev");
    assert.ok(stack?.outputs.PagesQueueUrl);
    assert.equal(stack?.functions.length, 4);
    for (const fn of stack?.functions ?? [])
      assert.deepEqual([fn.state, fn.lastUpdateStatus], ["Active", "Successful"]);
    assert.deepEqual(stack?.queues.map((q) => q.logicalId).sort(), [
      "FailuresQueue",
      "PagesDlqQueue",
      "PagesQueue",
      "RendersDlqQueue",
      "RendersQueue",
    ]);
  });

  test("destroy lists what goes and the data at stake, refuses without a terminal, and with --yes removes everything", async () => {
    const dlq = (await cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-dev-pages-dlq" })))
      .QueueUrl;
    for (const n of [1, 2, 3])
      await cloud.sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: `parked ${n}` }));
    const refused = await run(at("destroy", cloud.dir, "--region", REGION));
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /pipeline-dev \(us-east-1\) will be deleted with:/);
    assert.match(refused.stderr, /PagesDlqQueue AWS::SQS::Queue .*: 3 message\(s\)/);
    assert.match(refused.stderr, /IngestLogGroup AWS::Logs::LogGroup .* loses the log events/);
    assert.match(refused.stderr, /run it again with --yes/);
    const result = await run(at("destroy", cloud.dir, "--region", `${REGION},${OTHER}`, "--yes"));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pipeline-dev \(us-east-1\): DELETE_COMPLETE/);
    assert.match(result.stdout, /pipeline-dev \(eu-west-2\): DELETE_COMPLETE/);
    for (const id of [
      "PagesQueue",
      "IngestFunction",
      "IngestRole",
      "IngestLogGroup",
      "RenderEventSourceMapping",
    ]) {
      assert.match(result.stdout, new RegExp(`removed ${id} `));
    }
    const status = await run(at("status", cloud.dir, "--region", REGION));
    assert.equal(status.code, 1);
    assert.match(status.stderr, /is not deployed/);
  });

  test("no output printed the secret access key or the health checker ID", () => {
    const all = transcript.join("\n");
    assert.ok(all.length > 1000, "the transcript holds the runs above");
    assert.equal(all.includes(SECRET_ACCESS_KEY), false);
    assert.equal(all.includes(HEALTH_CHECKER_ID), false);
  });
});

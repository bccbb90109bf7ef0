import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { ROOT } from "../support/cli-process.ts";
import { type Clients, CREDENTIALS, clients, deployApp } from "../support/cloud-host.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const REGION = "eu-west-1";

describe("sluice cloud: a deployed stack runs in the local cloud", () => {
  const state = copyApp(join(ROOT, "examples", "pipeline"));
  let host: CloudHost;
  let c: Clients;
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  before(async () => {
    host = await CloudHost.start({ stateDir: join(state.dir, ".sluice-cloud"), iam: "enforce" });
    c = clients(host.url, REGION);
    const options = { region: REGION, endpoint: host.url, credentials: CREDENTIALS };
    sqs = new SQSClient(options);
    lambda = new LambdaClient(options);
    logs = new CloudWatchLogsClient(options);
    await deployApp(c, state.dir, { stackName: "pipeline", bucket: "sluice-artifacts" });
  });

  after(async () => {
    for (const client of [c?.cfn, c?.s3, sqs, lambda, logs]) client?.destroy();
    await host?.close();
    state.cleanup();
  });

  test("a crawl request sent to the deployed queue flows through ingest, render and publish", async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-pages" }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: JSON.stringify({ site: "a.example", paths: ["/", "/about"] }),
      }),
    );
    const published = await eventually(async () => {
      const found = await logs
        .send(
          new FilterLogEventsCommand({
            logGroupName: "/aws/lambda/pipeline-publish",
            filterPattern: "published",
          }),
        )
        .catch(() => undefined);
      const lines = (found?.events ?? []).map((e) => e.message ?? "");
      return lines.length >= 2 ? lines : undefined;
    }, "publish's log lines in CloudWatch Logs");
    assert.ok(published.some((l) => l.includes("published https://a.example/about")));
  });

  test("a function invoked through the Lambda API routes its result through the AWS SDK into a queue", async () => {
    const page = { site: "b.example", path: "/poison" };
    const event = {
      Records: [{ messageId: "m-1", body: JSON.stringify(page), attributes: {}, messageAttributes: {} }],
    };
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: "pipeline-render",
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    assert.equal(result.FunctionError, "Unhandled");
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-failures" }));
    const message = await eventually(async () => {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
      );
      return received.Messages?.find((m) => m.Body?.includes("b.example/poison"));
    }, "the failure record in pipeline-failures");
    assert.equal(JSON.parse(message.Body ?? "{}").stage, "render");
  });
});

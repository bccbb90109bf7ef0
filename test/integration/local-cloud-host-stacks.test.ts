import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from "@aws-sdk/client-cloudformation";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { WebSocket } from "ws";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { ROOT } from "../support/cli-process.ts";
import { type Clients, CREDENTIALS, clients, deployApp } from "../support/cloud-host.ts";
import { copyApp } from "../support/temp.ts";

const REGION = "us-east-1";

describe("sluice cloud: APIs, updates, deletes and restarts of deployed stacks", () => {
  const api = copyApp(join(ROOT, "test", "fixtures", "apps", "api"));
  const pipeline = copyApp(join(ROOT, "examples", "pipeline"));
  const stateDir = join(pipeline.dir, ".sluice-cloud");
  let host: CloudHost;
  let c: Clients;
  let sqs: SQSClient;

  before(async () => {
    host = await CloudHost.start({ stateDir });
    c = clients(host.url, REGION);
    sqs = new SQSClient({ region: REGION, endpoint: host.url, credentials: CREDENTIALS });
  });

  after(async () => {
    for (const client of [c?.cfn, c?.s3, sqs]) client?.destroy();
    await host?.close();
    api.cleanup();
    pipeline.cleanup();
  });

  test("a deployed HTTP API answers on its ApiEndpoint with its function's response", async () => {
    await deployApp(c, api.dir, {
      stackName: "api-fixture",
      bucket: "sluice-artifacts",
      parameters: { StatusHealthCheckerId: "s3cret" },
    });
    const http = host.apiUrls(REGION).find((a) => a.kind === "http");
    assert.ok(http, JSON.stringify(host.apiUrls(REGION)));
    const response = await fetch(`${http.url}/echo?x=1`);
    assert.equal(response.status, 200);
    const event = (await response.json()) as {
      rawPath: string;
      rawQueryString: string;
      requestContext: { apiId: string };
    };
    assert.equal(event.rawPath, "/echo");
    assert.equal(event.rawQueryString, "x=1");
    assert.equal(event.requestContext.apiId, http.apiId, "the event names the API by the id its Ref gives");
  });

  test("a deployed WebSocket API connects and its function answers through the management API", async () => {
    const websocket = host.apiUrls(REGION).find((a) => a.kind === "websocket");
    assert.ok(websocket, JSON.stringify(host.apiUrls(REGION)));
    const socket = new WebSocket(websocket.url);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const reply = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    socket.send("hello");
    const event = JSON.parse(await reply) as { body: string; requestContext: { apiId: string } };
    assert.equal(event.body, "hello");
    assert.equal(event.requestContext.apiId, websocket.apiId);
    socket.close();
  });

  test("an update changes a queue's attributes in place and keeps its messages", async () => {
    await deployApp(c, pipeline.dir, { stackName: "pipeline", bucket: "sluice-artifacts" });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-failures" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "kept" }));
    const config = join(pipeline.dir, "sluice.config.ts");
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace(
        'failures: { retention: "14 days" }',
        'failures: { retention: "7 days" }',
      ),
    );
    await deployApp(c, pipeline.dir, { stackName: "pipeline", bucket: "sluice-artifacts", update: true });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["MessageRetentionPeriod"] }),
    );
    assert.equal(attributes.Attributes?.MessageRetentionPeriod, String(7 * 24 * 3600));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.equal(received.Messages?.[0]?.Body, "kept");
  });

  test("a restarted host keeps its port, its stacks' queues and their messages", async () => {
    const url = host.url;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-pages" }));
    await host.close();
    host = await CloudHost.start({ stateDir });
    assert.equal(host.url, url);
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    assert.equal(attributes.Attributes?.QueueArn, `arn:aws:sqs:${REGION}:000000000000:pipeline-pages`);
  });

  test("a resource the local cloud rejects fails the deploy with AWS's reason, and the stack rolls back", async () => {
    const template = {
      Resources: {
        Good: { Type: "AWS::SQS::Queue", Properties: { QueueName: "bad-stack-good" } },
        Slow: {
          Type: "AWS::SQS::Queue",
          DependsOn: "Good",
          Properties: { QueueName: "bad-stack-slow", VisibilityTimeout: 50000 },
        },
      },
    };
    await c.cfn.send(
      new CreateChangeSetCommand({
        StackName: "bad",
        ChangeSetName: "one",
        ChangeSetType: "CREATE",
        TemplateBody: JSON.stringify(template),
      }),
    );
    const wait = { client: c.cfn, minDelay: 1, maxDelay: 1, maxWaitTime: 60 };
    await waitUntilChangeSetCreateComplete(wait, { StackName: "bad", ChangeSetName: "one" });
    await c.cfn.send(new ExecuteChangeSetCommand({ StackName: "bad", ChangeSetName: "one" }));
    // A failed create ends in ROLLBACK_COMPLETE, which the create waiter reports as a failure.
    await assert.rejects(waitUntilStackCreateComplete(wait, { StackName: "bad" }));
    const events = await c.cfn.send(new DescribeStackEventsCommand({ StackName: "bad" }));
    const failed = events.StackEvents?.find(
      (e) => e.LogicalResourceId === "Slow" && e.ResourceStatus === "CREATE_FAILED",
    );
    assert.match(failed?.ResourceStatusReason ?? "", /Invalid value for the parameter VisibilityTimeout/);
    const stack = await c.cfn.send(new DescribeStacksCommand({ StackName: "bad" }));
    assert.equal(stack.Stacks?.[0]?.StackStatus, "ROLLBACK_COMPLETE");
    await assert.rejects(
      sqs.send(new GetQueueUrlCommand({ QueueName: "bad-stack-good" })),
      "the rollback deleted the queue",
    );
  });

  test("a resource type the local cloud cannot run is reported, not skipped", async () => {
    const template = { Resources: { Box: { Type: "AWS::EC2::Instance", Properties: { ImageId: "ami-1" } } } };
    const outcome = await c.cfn
      .send(
        new CreateChangeSetCommand({
          StackName: "ec2",
          ChangeSetName: "one",
          ChangeSetType: "CREATE",
          TemplateBody: JSON.stringify(template),
        }),
      )
      .then(
        async () => {
          await waitUntilChangeSetCreateComplete(
            { client: c.cfn, minDelay: 1, maxDelay: 1, maxWaitTime: 30 },
            { StackName: "ec2", ChangeSetName: "one" },
          ).catch(() => undefined);
          const described = await c.cfn.send(
            new DescribeChangeSetCommand({ StackName: "ec2", ChangeSetName: "one" }),
          );
          return `${described.Status}: ${described.StatusReason}`;
        },
        (error: Error) => `rejected: ${error.message}`,
      );
    assert.match(outcome, /AWS::EC2::Instance/);
    assert.doesNotMatch(outcome, /^CREATE_COMPLETE/);
  });

  test("deleting a stack deletes its queues from the region's cloud", async () => {
    await c.cfn.send(new DeleteStackCommand({ StackName: "pipeline" }));
    await waitUntilStackDeleteComplete(
      { client: c.cfn, minDelay: 1, maxDelay: 1, maxWaitTime: 60 },
      { StackName: "pipeline" },
    );
    await assert.rejects(
      sqs.send(new GetQueueUrlCommand({ QueueName: "pipeline-pages" })),
      (error: Error) =>
        error.name === "QueueDoesNotExist" || error.name === "AWS.SimpleQueueService.NonExistentQueue",
    );
  });
});

/**
 * Debian's awscli 2.9 speaks SQS's query protocol (form parameters in, XML out). It is called by
 * its full path: another `aws` may come first on PATH. `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { type EndpointApp, startEndpointApp } from "../support/endpoint.ts";

const AWS = "/usr/bin/aws";
const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

interface CliResult {
  code: number;
  json: Record<string, unknown>;
  stderr: string;
}

// Each CLI call costs a Python start (about a second on a loaded machine): independent tests run at once.
describe("SQS and STS through Debian's awscli (query protocol)", { concurrency: true }, () => {
  let app: EndpointApp;
  let home: string;
  let queueUrl: string;

  const aws = (...args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      const env = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "not-checked",
        AWS_DEFAULT_REGION: "us-east-1",
        AWS_CONFIG_FILE: join(home, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
        AWS_PAGER: "",
      };
      execFile(
        AWS,
        ["--endpoint-url", app.url, "--output", "json", ...args],
        { env },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({
            code,
            json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {},
            stderr,
          });
        },
      );
    });

  before(async () => {
    assert.ok(
      existsSync(AWS),
      `${AWS} is missing: install Debian's awscli (apt-get install -y awscli), as .ci/run does, to run these tests`,
    );
    home = mkdtempSync(join(tmpdir(), "sluice-awscli-"));
    app = await startEndpointApp();
    const created = await aws(
      "sqs",
      "create-queue",
      "--queue-name",
      "cli",
      "--attributes",
      "VisibilityTimeout=20,DelaySeconds=0",
      "--tags",
      "team=a",
    );
    assert.equal(created.code, 0, created.stderr);
    queueUrl = String(created.json.QueueUrl);
  });
  after(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test("create-queue answers the queue URL on the endpoint", () => {
    assert.equal(queueUrl, `${app.url}/000000000000/cli`);
  });

  test("send, receive and delete a message with attributes; digests are AWS's", async () => {
    const body = "line one\r\nline <two> & 'three'";
    const sent = await aws(
      "sqs",
      "send-message",
      "--queue-url",
      queueUrl,
      "--message-body",
      body,
      "--message-attributes",
      JSON.stringify({
        kind: { DataType: "String", StringValue: "x" },
        raw: { DataType: "Binary", BinaryValue: "AAEC" },
      }),
    );
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(sent.json.MD5OfMessageBody, md5(body));
    const received = await aws(
      "sqs",
      "receive-message",
      "--queue-url",
      queueUrl,
      "--attribute-names",
      "All",
      "--message-attribute-names",
      "All",
    );
    assert.equal(received.code, 0, received.stderr);
    const [message] = received.json.Messages as Record<string, unknown>[];
    assert.equal(message?.Body, body, "the body survives XML, carriage return included");
    assert.equal(message?.MD5OfBody, md5(body));
    assert.equal(message?.MD5OfMessageAttributes, sent.json.MD5OfMessageAttributes);
    assert.deepEqual(message?.MessageAttributes, {
      kind: { StringValue: "x", DataType: "String" },
      raw: { BinaryValue: "AAEC", DataType: "Binary" },
    });
    assert.equal((message?.Attributes as Record<string, string> | undefined)?.ApproximateReceiveCount, "1");
    const deleted = await aws(
      "sqs",
      "delete-message",
      "--queue-url",
      queueUrl,
      "--receipt-handle",
      String(message?.ReceiptHandle),
    );
    assert.equal(deleted.code, 0, deleted.stderr);
    const left = await app.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    assert.deepEqual(
      left.Attributes,
      { ApproximateNumberOfMessagesNotVisible: "0" },
      "the CLI's delete took effect",
    );
  });

  test("get and set queue attributes, list queues and tags, batches with partial failure", async () => {
    const [set, listed, tags, batch] = await Promise.all([
      aws("sqs", "set-queue-attributes", "--queue-url", queueUrl, "--attributes", "MaximumMessageSize=4096"),
      aws("sqs", "list-queues", "--queue-name-prefix", "endpoint-"),
      aws("sqs", "list-queue-tags", "--queue-url", queueUrl),
      aws(
        "sqs",
        "send-message-batch",
        "--queue-url",
        `${app.url}/000000000000/endpoint-jobs`,
        "--entries",
        JSON.stringify([
          { Id: "a", MessageBody: "1" },
          { Id: "b", MessageBody: "2", DelaySeconds: 901 },
        ]),
      ),
    ]);
    assert.equal(set.code, 0, set.stderr);
    assert.equal((listed.json.QueueUrls as string[]).length, 5);
    assert.deepEqual(tags.json.Tags, { team: "a" });
    assert.deepEqual(
      (batch.json.Successful as { Id: string }[]).map((e) => e.Id),
      ["a"],
    );
    assert.deepEqual(
      (batch.json.Failed as { Id: string; Code: string; SenderFault: boolean }[]).map((e) => [
        e.Id,
        e.Code,
        e.SenderFault,
      ]),
      [["b", "InvalidParameterValue", true]],
    );
    const attributes = await aws(
      "sqs",
      "get-queue-attributes",
      "--queue-url",
      queueUrl,
      "--attribute-names",
      "All",
    );
    const all = attributes.json.Attributes as Record<string, string>;
    assert.equal(all.MaximumMessageSize, "4096");
    assert.equal(all.VisibilityTimeout, "20");
    assert.equal(all.QueueArn, "arn:aws:sqs:us-east-1:000000000000:cli");
  });

  test("errors carry AWS's query codes: NonExistentQueue, ReceiptHandleIsInvalid", async () => {
    const [missing, handle] = await Promise.all([
      aws("sqs", "get-queue-url", "--queue-name", "nope"),
      aws("sqs", "delete-message", "--queue-url", queueUrl, "--receipt-handle", "garbage"),
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /\(AWS\.SimpleQueueService\.NonExistentQueue\) when calling the GetQueueUrl operation: The specified queue does not exist/,
    );
    assert.notEqual(handle.code, 0);
    assert.match(handle.stderr, /\(ReceiptHandleIsInvalid\) when calling the DeleteMessage operation/);
  });

  test("sts get-caller-identity", async () => {
    const identity = await aws("sts", "get-caller-identity");
    assert.equal(identity.code, 0, identity.stderr);
    assert.deepEqual(identity.json, {
      UserId: "000000000000",
      Account: "000000000000",
      Arn: "arn:aws:iam::000000000000:root",
    });
  });
});

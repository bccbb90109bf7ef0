/**
 * The SQS conformance suite: the queues of test/fixtures/apps/conformance/sqs, driven through
 * @aws-sdk/client-sqs, on the local endpoint or on AWS (test/support/conformance/target.ts).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, describe, test } from "node:test";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import { md5OfMessageAttributes } from "../../src/local/sqs/md5.ts";
import { type ConformanceTarget, startTarget } from "../support/conformance/target.ts";
import { rejection, statusOf } from "../support/endpoint.ts";
import { signedHeaders } from "../support/request-signing.ts";

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

const t: ConformanceTarget = await startTarget("sqs");
const sqs = new SQSClient(t.clientConfig);
const url = (name: string) => t.queueUrl(name);
const arn = (name: string) => t.arn("sqs", name);
/** Physical names of the definition's queues, and of the queues the tests create. */
const q = (name: string) => t.physical(name);
const MADE = t.scratch("made");

describe("SQS through @aws-sdk/client-sqs (AWS JSON 1.0)", () => {
  after(async () => {
    // The queues the tests made are not the stack's: delete them too (they may be gone already).
    for (const name of [MADE, `${MADE}.fifo`])
      await sqs.send(new DeleteQueueCommand({ QueueUrl: url(name) })).catch(() => undefined);
    sqs.destroy();
    await t.close();
  });

  test("CreateQueue makes a queue beside the definition's, idempotently; different attributes are QueueNameExists", async () => {
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: MADE,
        Attributes: { VisibilityTimeout: "12" },
        tags: { team: "a" },
      }),
    );
    assert.equal(created.QueueUrl, url(MADE));
    const again = await sqs.send(
      new CreateQueueCommand({ QueueName: MADE, Attributes: { VisibilityTimeout: "12" } }),
    );
    assert.equal(again.QueueUrl, url(MADE));
    const clash = await rejection(
      sqs.send(new CreateQueueCommand({ QueueName: MADE, Attributes: { VisibilityTimeout: "13" } })),
    );
    assert.equal(clash.name, "QueueNameExists");
    assert.equal(statusOf(clash), 400);
    const fifo = await sqs.send(
      new CreateQueueCommand({ QueueName: `${MADE}.fifo`, Attributes: { FifoQueue: "true" } }),
    );
    assert.equal(fifo.QueueUrl, url(`${MADE}.fifo`));
    const bad = await rejection(sqs.send(new CreateQueueCommand({ QueueName: "bad name" })));
    assert.equal(bad.name, "InvalidParameterValue");
  });

  test("GetQueueUrl and ListQueues see definition and API queues; unknown names are QueueDoesNotExist", async () => {
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: q("jobs") }))).QueueUrl, url(q("jobs")));
    const missing = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: t.scratch("jobs") })));
    assert.equal(
      missing.name,
      "QueueDoesNotExist",
      "definition names are Sluice's; the API knows physical names",
    );
    assert.equal(missing.Code, "AWS.SimpleQueueService.NonExistentQueue");
    assert.equal(statusOf(missing), 400);
    const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: t.prefix }));
    assert.deepEqual(all.QueueUrls, [
      url(q("audit")),
      url(q("jobs")),
      url(q("ordered.fifo")),
      url(q("work")),
      url(q("work-dlq")),
    ]);
    const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: t.prefix, MaxResults: 2 }));
    assert.equal(first.QueueUrls?.length, 2);
    assert.ok(first.NextToken);
    const second = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: t.prefix, MaxResults: 2, NextToken: first.NextToken }),
    );
    assert.deepEqual(second.QueueUrls, [url(q("ordered.fifo")), url(q("work"))]);
  });

  test("SendMessage returns AWS's digests; ReceiveMessage returns the attributes asked for", async () => {
    const QueueUrl = url(q("jobs"));
    const MessageAttributes = {
      kind: { DataType: "String", StringValue: "invoice" },
      total: { DataType: "Number", StringValue: "12.50" },
      blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    };
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: "héllo\r\nworld", MessageAttributes }),
    );
    assert.equal(sent.MD5OfMessageBody, md5("héllo\r\nworld"));
    assert.equal(
      sent.MD5OfMessageAttributes,
      md5OfMessageAttributes({
        kind: { dataType: "String", stringValue: "invoice" },
        total: { dataType: "Number", stringValue: "12.50" },
        blob: { dataType: "Binary", binaryValue: new Uint8Array([0, 1, 2, 255]) },
      }),
    );
    const sentAfter = (await t.now()) - t.skewMs;
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
        MessageAttributeNames: ["All"],
      }),
    );
    const [message] = received.Messages ?? [];
    assert.equal(message?.MessageId, sent.MessageId);
    assert.equal(message?.Body, "héllo\r\nworld");
    assert.deepEqual(Object.keys(message?.Attributes ?? {}).sort(), [
      "ApproximateReceiveCount",
      "SentTimestamp",
    ]);
    assert.equal(message?.Attributes?.ApproximateReceiveCount, "1");
    // Stamped by the queue's clock when it took the message: dev's (virtual) clock, or AWS's.
    const stamped = Number(message?.Attributes?.SentTimestamp);
    assert.ok(
      stamped >= sentAfter - 1000 && stamped <= (await t.now()) + t.skewMs,
      `SentTimestamp ${stamped}`,
    );
    assert.equal(message?.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(
      Buffer.from(message?.MessageAttributes?.blob?.BinaryValue ?? []),
      Buffer.from([0, 1, 2, 255]),
    );
    assert.equal(message?.MessageAttributes?.total?.StringValue, "12.50");
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
  });

  test("a message attribute name filter returns only matching attributes, with their own digest", async () => {
    const QueueUrl = url(q("jobs"));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: "filtered",
        MessageAttributes: {
          "order.id": { DataType: "String", StringValue: "1" },
          "order.total": { DataType: "Number", StringValue: "2" },
          other: { DataType: "String", StringValue: "3" },
        },
      }),
    );
    const [message] =
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["order.*"] })))
        .Messages ?? [];
    assert.deepEqual(Object.keys(message?.MessageAttributes ?? {}).sort(), ["order.id", "order.total"]);
    assert.equal(message?.Attributes, undefined, "no system attributes were asked for");
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
  });

  test("a long poll waits for a message and returns as soon as one is sent", async () => {
    const QueueUrl = url(q("audit"));
    // Locally the poll is waiting once it has armed its 20-second deadline on dev's clock.
    const polling = await t.whenWaiting(() =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "late" }));
    const [message] = (await polling.result).Messages ?? [];
    assert.equal(message?.Body, "late");
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
  });

  test("visibility: a message reappears after its timeout, and ChangeMessageVisibility moves it", async () => {
    const QueueUrl = url(q("jobs"));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 10, MessageSystemAttributeNames: ["All"] }),
      );
    const first = (await receive()).Messages?.[0];
    assert.equal((await receive()).Messages, undefined, "in flight");
    await t.elapse(10_000);
    const second = (await receive()).Messages?.[0];
    assert.equal(second?.MessageId, first?.MessageId);
    assert.equal(second?.Attributes?.ApproximateReceiveCount, "2");
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: second?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const third = (await receive()).Messages?.[0];
    assert.equal(third?.MessageId, first?.MessageId);
    const batch = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "ok", ReceiptHandle: third?.ReceiptHandle, VisibilityTimeout: 60 },
          { Id: "bad", ReceiptHandle: "not-a-handle", VisibilityTimeout: 60 },
        ],
      }),
    );
    assert.deepEqual(
      batch.Successful?.map((e) => e.Id),
      ["ok"],
    );
    assert.deepEqual(
      batch.Failed?.map((e) => [e.Id, e.Code, e.SenderFault]),
      [["bad", "ReceiptHandleIsInvalid", true]],
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third?.ReceiptHandle }));
  });

  test("batches: each entry succeeds or fails on its own; batch-level errors fail the call", async () => {
    const QueueUrl = url(q("jobs"));
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "a", MessageBody: "one" },
          { Id: "b", MessageBody: "two", DelaySeconds: 901 },
        ],
      }),
    );
    assert.deepEqual(
      sent.Successful?.map((e) => [e.Id, e.MD5OfMessageBody]),
      [["a", md5("one")]],
    );
    assert.deepEqual(
      sent.Failed?.map((e) => [e.Id, e.Code, e.SenderFault]),
      [["b", "InvalidParameterValue", true]],
    );
    const empty = await rejection(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })));
    assert.equal(empty.name, "EmptyBatchRequest");
    const repeated = await rejection(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "x", MessageBody: "1" },
            { Id: "x", MessageBody: "2" },
          ],
        }),
      ),
    );
    assert.equal(repeated.name, "BatchEntryIdsNotDistinct");
    const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? [];
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "ok", ReceiptHandle: message?.ReceiptHandle },
          { Id: "bad", ReceiptHandle: "garbage" },
        ],
      }),
    );
    assert.deepEqual(
      deleted.Successful?.map((e) => e.Id),
      ["ok"],
    );
    assert.deepEqual(
      deleted.Failed?.map((e) => e.Code),
      ["ReceiptHandleIsInvalid"],
    );
  });

  test("FIFO: sequence numbers on send and group order on receive", async () => {
    const QueueUrl = url(q("ordered.fifo"));
    const sent = [];
    for (const body of ["1", "2", "3"]) {
      sent.push(await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "g" })));
    }
    assert.ok(sent.every((s) => /^\d{20}$/.test(s.SequenceNumber ?? "")));
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["MessageGroupId", "SequenceNumber"],
      }),
    );
    assert.deepEqual(
      received.Messages?.map((m) => m.Body),
      ["1", "2", "3"],
    );
    assert.equal(received.Messages?.[0]?.Attributes?.MessageGroupId, "g");
    const missingGroup = await rejection(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" })));
    assert.equal(missingGroup.name, "MissingParameter");
  });

  test("FIFO: a receive retried with its ReceiveRequestAttemptId gets the same messages and receipt handles, until one changes", async () => {
    const QueueUrl = url(q("ordered.fifo"));
    for (const body of ["r1", "r2"]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: "attempts" }));
    }
    const receive = () =>
      sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          ReceiveRequestAttemptId: "attempt-1",
          MessageSystemAttributeNames: ["ApproximateReceiveCount"],
        }),
      );
    const seen = (
      messages: { Body?: string; ReceiptHandle?: string; Attributes?: Record<string, string> }[] = [],
    ) => messages.map((m) => [m.Body, m.ReceiptHandle, m.Attributes?.ApproximateReceiveCount]);
    const first = await receive();
    assert.deepEqual(
      first.Messages?.map((m) => m.Body),
      ["r1", "r2"],
    );
    assert.deepEqual(seen((await receive()).Messages), seen(first.Messages));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    const refused = await rejection(receive());
    assert.equal(refused.name, "InvalidParameterValue");
    assert.equal(statusOf(refused), 400);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.Messages?.[1]?.ReceiptHandle }));
  });

  test("Get/SetQueueAttributes; unknown attributes are InvalidAttributeName", async () => {
    const QueueUrl = url(MADE);
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: { DelaySeconds: "3", MaximumMessageSize: "2048" },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ["DelaySeconds", "MaximumMessageSize", "VisibilityTimeout", "QueueArn"],
      }),
    );
    assert.deepEqual(Attributes, {
      VisibilityTimeout: "12",
      MaximumMessageSize: "2048",
      QueueArn: arn(MADE),
      DelaySeconds: "3",
    });
    const unknown = await rejection(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Colour" as "All"] })),
    );
    assert.equal(unknown.name, "InvalidAttributeName");
    const bad = await rejection(
      sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "901" } })),
    );
    assert.equal(bad.name, "InvalidAttributeValue");
  });

  test("TagQueue, UntagQueue and ListQueueTags", async () => {
    const QueueUrl = url(MADE);
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: "dev" } }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, {
      env: "dev",
      team: "a",
    });
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["team"] }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { env: "dev" });
  });

  test("dead letters: ListDeadLetterSourceQueues, StartMessageMoveTask and ListMessageMoveTasks", async () => {
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: url(q("work-dlq")) }));
    assert.deepEqual(sources.queueUrls, [url(q("work"))]);
    const QueueUrl = url(q("work"));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "poison" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }));
    assert.equal(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages,
      undefined,
      "moved to the DLQ",
    );
    const task = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn(q("work-dlq")) }));
    assert.ok(task.TaskHandle);
    // A move task runs on its own; AWS may still show it RUNNING for a while.
    const list = () => sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn(q("work-dlq")) }));
    let listed = await list();
    for (let i = 0; i < 60 && listed.Results?.[0]?.Status === "RUNNING"; i++) {
      await t.elapse(1000);
      listed = await list();
    }
    assert.equal(listed.Results?.[0]?.Status, "COMPLETED");
    assert.equal(listed.Results?.[0]?.ApproximateNumberOfMessagesMoved, 1);
    assert.equal(typeof listed.Results?.[0]?.StartedTimestamp, "number");
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body, "poison");
    const missing = await rejection(
      sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn(t.scratch("nope")) })),
    );
    assert.equal(missing.name, "ResourceNotFoundException");
    assert.equal(statusOf(missing), 404);
  });

  test("PurgeQueue, then PurgeQueueInProgress (403) within 60 seconds", async () => {
    const QueueUrl = url(MADE);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "gone" }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const again = await rejection(sqs.send(new PurgeQueueCommand({ QueueUrl })));
    assert.equal(again.name, "PurgeQueueInProgress");
    assert.equal(statusOf(again), 403);
    await t.elapse(3000);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  });

  test(
    "DeleteQueue refuses a queue the definition declares (local-only: on AWS the stack owns it, and deleting it succeeds)",
    t.localOnly(),
    async () => {
      const declared = await rejection(sqs.send(new DeleteQueueCommand({ QueueUrl: url(q("jobs")) })));
      assert.equal(declared.name, "UnsupportedOperation", "the definition owns its queues");
      assert.match(declared.message, /declared in sluice\.config\.ts \(queues\.jobs\)/);
    },
  );

  test("DeleteQueue; the queue is gone and its name is QueueDeletedRecently for 60 seconds", async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url(MADE) }));
    const gone = await rejection(sqs.send(new SendMessageCommand({ QueueUrl: url(MADE), MessageBody: "x" })));
    assert.equal(gone.name, "QueueDoesNotExist");
    const recent = await rejection(sqs.send(new CreateQueueCommand({ QueueName: MADE })));
    assert.equal(recent.name, "QueueDeletedRecently");
    await t.elapse(60_000);
    assert.equal((await sqs.send(new CreateQueueCommand({ QueueName: MADE }))).QueueUrl, url(MADE));
  });

  test(
    "errors on the wire: __type, message and x-amzn-query-error as SQS sends them (local-only: hand-made requests carry a fake signature)",
    t.localOnly(),
    async () => {
      const call = (target: string, body: unknown) =>
        fetch(t.clientConfig.endpoint ?? "", {
          method: "POST",
          headers: {
            ...signedHeaders("sqs"),
            "content-type": "application/x-amz-json-1.0",
            "x-amz-target": target,
          },
          body: JSON.stringify(body),
        });
      const missing = await call("AmazonSQS.GetQueueUrl", { QueueName: "nope" });
      assert.equal(missing.status, 400);
      assert.equal(
        missing.headers.get("x-amzn-query-error"),
        "AWS.SimpleQueueService.NonExistentQueue;Sender",
      );
      assert.ok(missing.headers.get("x-amzn-requestid"));
      const body = (await missing.json()) as { __type: string; message: string };
      assert.equal(body.__type, "com.amazonaws.sqs#QueueDoesNotExist");
      assert.match(body.message, /^The specified queue does not exist/);
      const unknown = await call("AmazonSQS.Nope", {});
      assert.equal(unknown.status, 400);
      assert.equal(unknown.headers.get("x-amzn-query-error"), "InvalidAction;Sender");
      const noQueue = await call("AmazonSQS.SendMessage", { MessageBody: "x" });
      assert.equal(noQueue.headers.get("x-amzn-query-error"), "MissingParameter;Sender");
    },
  );
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SqsError } from "../../src/local/sqs/errors.ts";
import { queueSpec } from "../support/specs.ts";
import { openHarness, thrown } from "../support/sqs-rig.ts";

const MiB = 1_048_576;

describe("SQS errors", () => {
  test("an unknown queue is QueueDoesNotExist, AWS.SimpleQueueService.NonExistentQueue in the query protocol", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const error = thrown(() => sqs.sendMessage("nope", { body: "x" }));
    assert.ok(error instanceof SqsError);
    assert.equal(error.code, "QueueDoesNotExist");
    assert.equal(error.queryCode, "AWS.SimpleQueueService.NonExistentQueue");
    assert.equal(error.statusCode, 400);
    await assert.rejects(sqs.receiveMessages("nope"), { code: "QueueDoesNotExist" });
  });

  test("finds a queue by definition name, physical name, URL or ARN", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    for (const name of [
      "work",
      "app-work",
      "http://localhost:4566/123456789012/app-work",
      sqs.queueArn("work"),
    ]) {
      assert.equal(sqs.getQueue(name).queueName, "app-work");
    }
  });

  test("a receipt handle that was never issued, or issued by another queue, is ReceiptHandleIsInvalid", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("a"), queueSpec("b")]);
    assert.equal(thrown(() => sqs.deleteMessage("a", "garbage")).code, "ReceiptHandleIsInvalid");
    sqs.sendMessage("b", { body: "x" });
    const [m] = await sqs.receiveMessages("b");
    const error = thrown(() => sqs.deleteMessage("a", m?.receiptHandle ?? ""));
    assert.equal(error.code, "ReceiptHandleIsInvalid");
    assert.equal(error.statusCode, 404, "the SQS service model gives ReceiptHandleIsInvalid HTTP 404");
    assert.equal(thrown(() => sqs.deleteMessage("a", "")).code, "MissingParameter");
  });

  test("receive parameters out of range are InvalidParameterValue", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    await assert.rejects(sqs.receiveMessages("work", { maxNumberOfMessages: 11 }), {
      code: "InvalidParameterValue",
      message: /MaxNumberOfMessages/,
    });
    await assert.rejects(sqs.receiveMessages("work", { maxNumberOfMessages: 0 }), {
      code: "InvalidParameterValue",
    });
    await assert.rejects(sqs.receiveMessages("work", { waitTimeSeconds: 21 }), {
      code: "InvalidParameterValue",
    });
    await assert.rejects(sqs.receiveMessages("work", { visibilityTimeoutSeconds: 43_201 }), {
      code: "InvalidParameterValue",
    });
  });

  test("an empty body is MissingParameter", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const error = thrown(() => sqs.sendMessage("work", { body: "" }));
    assert.equal(error.code, "MissingParameter");
    assert.match(error.message, /MessageBody/);
  });

  test("characters outside SQS's allowed set are InvalidMessageContents", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    for (const bad of ["a\u0000b", "\u0008", "\uFFFE", "lone \uD800 surrogate", "\uDC00"]) {
      assert.equal(
        thrown(() => sqs.sendMessage("work", { body: bad })).code,
        "InvalidMessageContents",
        JSON.stringify(bad),
      );
    }
    const attribute = { a: { dataType: "String", stringValue: "\u0001" } };
    assert.equal(
      thrown(() => sqs.sendMessage("work", { body: "ok", messageAttributes: attribute })).code,
      "InvalidMessageContents",
    );
    for (const good of ["tab\there", "line\r\n", "\u{1F600} emoji", "\uE000\uFFFD", "\u0020"]) {
      sqs.sendMessage("work", { body: good });
    }
    assert.equal(sqs.stats("work").visible, 5);
  });

  test("accepts exactly 1 MiB of body and attributes and rejects one byte more", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const attributes = { n: { dataType: "String", stringValue: "v" } }; // 1 + 6 + 1 = 8 bytes
    sqs.sendMessage("work", { body: "x".repeat(MiB - 8), messageAttributes: attributes });
    const error = thrown(() =>
      sqs.sendMessage("work", { body: "x".repeat(MiB - 7), messageAttributes: attributes }),
    );
    assert.equal(error.code, "InvalidParameterValue");
    assert.match(error.message, /Message must be shorter than 1048576 bytes/);
    sqs.sendMessage("work", { body: "é".repeat(MiB / 2) }); // 2 bytes each in UTF-8
    assert.equal(
      thrown(() => sqs.sendMessage("work", { body: `${"é".repeat(MiB / 2)}x` })).code,
      "InvalidParameterValue",
    );
    assert.equal(sqs.stats("work").visible, 2);
  });

  test("honours a queue's smaller MaximumMessageSize", (t) => {
    const { sqs } = openHarness(t, [queueSpec("small", { maxMessageSize: 1024 })]);
    sqs.sendMessage("small", { body: "x".repeat(1024) });
    assert.equal(
      thrown(() => sqs.sendMessage("small", { body: "x".repeat(1025) })).code,
      "InvalidParameterValue",
    );
  });

  test("message attributes are checked as SQS checks them", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const send = (
      messageAttributes: Record<string, { dataType: string; stringValue?: string; binaryValue?: Uint8Array }>,
    ) => thrown(() => sqs.sendMessage("work", { body: "x", messageAttributes }));
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { dataType: "String", stringValue: "v" }]),
    );
    assert.match(
      send(eleven).message,
      /Number of message attributes \[11\] exceeds the allowed maximum \[10\]/,
    );
    assert.equal(send({ "AWS.x": { dataType: "String", stringValue: "v" } }).code, "InvalidParameterValue");
    assert.equal(send({ "a..b": { dataType: "String", stringValue: "v" } }).code, "InvalidParameterValue");
    assert.equal(send({ a: { dataType: "Date", stringValue: "v" } }).code, "InvalidParameterValue");
    assert.equal(send({ a: { dataType: "String", stringValue: "" } }).code, "InvalidParameterValue");
    assert.equal(send({ a: { dataType: "Number", stringValue: "12x" } }).code, "InvalidParameterValue");
    assert.equal(send({ a: { dataType: "Binary" } }).code, "InvalidParameterValue");
    const ten = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { dataType: "Number.int", stringValue: "-1.5e3" }]),
    );
    sqs.sendMessage("work", { body: "x", messageAttributes: ten });
    const system = thrown(() =>
      sqs.sendMessage("work", {
        body: "x",
        messageSystemAttributes: { Other: { dataType: "String", stringValue: "v" } },
      }),
    );
    assert.equal(system.code, "InvalidParameterValue");
  });

  test("standard queues reject a MessageDeduplicationId but accept a MessageGroupId", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    assert.equal(
      thrown(() => sqs.sendMessage("work", { body: "x", messageDeduplicationId: "d" })).code,
      "InvalidParameterValue",
    );
    sqs.sendMessage("work", { body: "x", messageGroupId: "tenant-1" });
    assert.equal((await sqs.receiveMessages("work"))[0]?.attributes.MessageGroupId, "tenant-1");
  });

  test("batch requests fail as a whole for empty, oversized, duplicate-id and badly named batches", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const codeOf = (entries: { id: string; body: string }[]) =>
      thrown(() => sqs.sendMessageBatch("work", entries)).code;
    assert.equal(codeOf([]), "EmptyBatchRequest");
    assert.equal(
      codeOf(Array.from({ length: 11 }, (_, i) => ({ id: `m${i}`, body: "x" }))),
      "TooManyEntriesInBatchRequest",
    );
    assert.equal(
      codeOf([
        { id: "same", body: "x" },
        { id: "same", body: "y" },
      ]),
      "BatchEntryIdsNotDistinct",
    );
    assert.equal(codeOf([{ id: "bad id!", body: "x" }]), "InvalidBatchEntryId");
    assert.equal(
      codeOf([
        { id: "a", body: "x".repeat(MiB / 2) },
        { id: "b", body: "x".repeat(MiB / 2 + 1) },
      ]),
      "BatchRequestTooLong",
    );
    assert.equal(sqs.stats("work").visible, 0);
  });

  test("a batch send reports bad entries and commits the good ones", (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const result = sqs.sendMessageBatch("work", [
      { id: "ok", body: "fine" },
      { id: "bad", body: "\u0000" },
    ]);
    assert.equal(result.successful.length, 1);
    assert.equal(result.successful[0]?.id, "ok");
    assert.deepEqual(
      result.failed.map((f) => [f.id, f.code, f.senderFault]),
      [["bad", "InvalidMessageContents", true]],
    );
    assert.equal(sqs.stats("work").visible, 1);
  });
});

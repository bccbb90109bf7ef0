import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { md5OfBody, md5OfMessageAttributes } from "../../src/local/sqs/md5.ts";
import { queueSpec } from "../support/specs.ts";
import { openHarness } from "../support/sqs-rig.ts";

// Published vectors: the README of the npm package `aws-md5-of-message-attributes`
// (https://npmjs.com/package/aws-md5-of-message-attributes), which checks them against SQS.
const string = { attribName1: { dataType: "String", stringValue: "attribValue 1" } };
const customNumber = {
  customNumberTypeAttrib: { dataType: "Number.float", stringValue: "4563442423554324324264524243.32543234" },
};
const binary = { binaryAttribute: { dataType: "Binary", binaryValue: Buffer.from("Hello binary world!") } };

describe("SQS MD5 digests", () => {
  test("hashes the UTF-8 bytes of the body", () => {
    assert.equal(md5OfBody("hello"), "5d41402abc4b2a76b9719d911017c592");
    // The MD5OfMessageBody quoted for this body in localstack/localstack#7147.
    assert.equal(md5OfBody("x".repeat(262_144)), "1566aa66d825eb4354d3e9533b753995");
    // UTF-8 (C3 A9), not Latin-1 (E9, which would give 3406877694691ddd1dfb0aca54681407).
    assert.equal(md5OfBody("\u00e9"), "66ddcd97cfdeabb2f6fb8a999b4bc76f");
  });

  test("matches published MD5OfMessageAttributes for String, custom Number and Binary attributes", () => {
    assert.equal(md5OfMessageAttributes(string), "19e27d4e946b072f3f58da80d94fd778");
    assert.equal(md5OfMessageAttributes(customNumber), "9fe1b90bbd9965bdf77bac517c7d2495");
    assert.equal(md5OfMessageAttributes(binary), "31a92b15d92f8db860eda32aceb656c3");
    assert.equal(
      md5OfMessageAttributes({ ...string, ...customNumber, ...binary }),
      "c932db14a896c663f83c260297d594ff",
    );
  });

  test("sorts attributes by name, so insertion order does not change the digest", () => {
    assert.equal(
      md5OfMessageAttributes({ ...binary, ...customNumber, ...string }),
      "c932db14a896c663f83c260297d594ff",
    );
  });

  test("omits the attributes digest when there are no attributes", () => {
    assert.equal(md5OfMessageAttributes({}), undefined);
    assert.equal(md5OfMessageAttributes(undefined), undefined);
  });

  test("returns the same digests from SendMessage and ReceiveMessage", async (t) => {
    const { sqs } = openHarness(t, [queueSpec("work")]);
    const sent = sqs.sendMessage("work", {
      body: "hello",
      messageAttributes: { ...string, ...binary },
      messageSystemAttributes: {
        AWSTraceHeader: { dataType: "String", stringValue: "Root=1-5759e988-bd862e3fe1be46a994272793" },
      },
    });
    assert.equal(sent.md5OfMessageBody, "5d41402abc4b2a76b9719d911017c592");
    assert.equal(sent.md5OfMessageAttributes, md5OfMessageAttributes({ ...string, ...binary }));
    assert.equal(sent.md5OfMessageSystemAttributes?.length, 32);
    const [received] = await sqs.receiveMessages("work");
    assert.equal(received?.md5OfBody, sent.md5OfMessageBody);
    assert.equal(received?.md5OfMessageAttributes, sent.md5OfMessageAttributes);
    assert.deepEqual(
      received?.messageAttributes.binaryAttribute?.binaryValue,
      new Uint8Array(Buffer.from("Hello binary world!")),
    );
    assert.equal(received?.attributes.AWSTraceHeader, "Root=1-5759e988-bd862e3fe1be46a994272793");
  });
});

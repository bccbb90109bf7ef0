import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sqsBatchTrace } from "../../src/local/event-source/sqs-batch-trace.ts";
import type { ReceivedMessage } from "../../src/local/sqs/index.ts";

const A1 = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";
const A2 = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=1111111111111111;Sampled=0";
const B = "Root=1-5759e988-000000000000000000000002;Parent=2222222222222222;Sampled=0";

function message(receives: number, traceHeader?: string, awsTraceHeader?: string): ReceivedMessage {
  return {
    messageId: `m${receives}`,
    receiptHandle: "h",
    body: "{}",
    md5OfBody: "",
    messageAttributes: {},
    attributes: {
      ApproximateReceiveCount: String(receives),
      ...(awsTraceHeader === undefined ? {} : { AWSTraceHeader: awsTraceHeader }),
    },
    ...(traceHeader === undefined ? {} : { traceHeader }),
  };
}

describe("the trace of an SQS batch's invocation", () => {
  test("runs under the first message's header and links each other trace once", () => {
    const trace = sqsBatchTrace([message(1, A1), message(1, A2), message(1, B)]);
    assert.equal(trace.traceHeader, A1);
    assert.deepEqual(trace.linkedHeaders, [B]);
  });

  test("counts the attempt as the batch's highest receive count", () => {
    assert.equal(sqsBatchTrace([message(1, A1), message(3, B), message(2)]).attempt, 3);
    assert.equal(sqsBatchTrace([]).attempt, 1);
  });

  test("falls back to AWSTraceHeader, and to none", () => {
    assert.equal(sqsBatchTrace([message(1, undefined, B)]).traceHeader, B);
    const none = sqsBatchTrace([message(1)]);
    assert.equal(none.traceHeader, undefined);
    assert.deepEqual(none.linkedHeaders, []);
  });
});

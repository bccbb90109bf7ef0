/**
 * The queue a `QueueUrl` names is worked out once per URL and reused by the calls that follow
 * (issue 14), but never across the region, account or endpoint it was worked out for.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SqsCall } from "../../src/local/sqs/wire/action.ts";
import { queueFromUrl } from "../../src/local/sqs/wire/action.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp({
  name: "g",
  queues: { jobs: {} },
  functions: { f: { handler: "src/f.handler" } },
});

function call(region: string, endpointUrl = "http://127.0.0.1:4566"): SqsCall {
  return {
    cloud: { sqs: undefined as never },
    spec,
    endpointUrl,
    requestId: "r",
    region,
    signal: new AbortController().signal,
    authorize: () => {},
    reportBug: () => {},
  };
}

describe("queue URLs on the SQS wire", () => {
  test("the same URL in the same call context gives the same queue, worked out once", () => {
    const input = { QueueUrl: `http://127.0.0.1:4566/${spec.accountId}/jobs-a` };
    const first = queueFromUrl(call("us-east-1"), input);
    assert.equal(queueFromUrl(call("us-east-1"), input), first);
    assert.deepEqual(first, {
      name: "jobs-a",
      url: `http://127.0.0.1:4566/${spec.accountId}/jobs-a`,
      arn: `arn:aws:sqs:us-east-1:${spec.accountId}:jobs-a`,
    });
  });

  test("a URL seen before is worked out again for another signed region or endpoint", () => {
    const input = { QueueUrl: "http://127.0.0.1:4566/000000000000/jobs-b" };
    assert.equal(queueFromUrl(call("us-east-1"), input).arn, "arn:aws:sqs:us-east-1:000000000000:jobs-b");
    assert.equal(queueFromUrl(call("eu-west-1"), input).arn, "arn:aws:sqs:eu-west-1:000000000000:jobs-b");
    assert.equal(
      queueFromUrl(call("eu-west-1", "http://127.0.0.1:9"), input).url,
      "http://127.0.0.1:9/000000000000/jobs-b",
    );
    // An AWS host names its own region, whatever the call was signed for.
    const aws = { QueueUrl: "https://sqs.ap-south-1.amazonaws.com/111122223333/jobs-c" };
    assert.equal(queueFromUrl(call("us-east-1"), aws).arn, "arn:aws:sqs:ap-south-1:111122223333:jobs-c");
    assert.equal(queueFromUrl(call("eu-west-1"), aws).arn, "arn:aws:sqs:ap-south-1:111122223333:jobs-c");
  });

  test("a URL without a queue name is still refused every time", () => {
    for (let i = 0; i < 2; i++)
      assert.throws(() => queueFromUrl(call("us-east-1"), { QueueUrl: "http://127.0.0.1:4566/" }), {
        code: "QueueDoesNotExist",
      });
  });
});

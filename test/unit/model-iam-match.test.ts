import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PolicyDocument } from "../../src/model/iam/function-grants.ts";
import { parseArn, policyAllows, resourceMatch } from "../../src/model/iam/match.ts";

const policy = (actions: string[], resources: string[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "S", Effect: "Allow", Action: actions, Resource: resources }],
});

const HERE = "arn:aws:lambda:us-east-1:000000000000:function:echo";

describe("IAM resource matching: region and account are part of the match", () => {
  test("a function's ARN in another region or account is not the granted one", () => {
    const granted = policy(["lambda:InvokeFunction"], [HERE, `${HERE}:*`]);
    assert.equal(policyAllows(granted, "lambda:InvokeFunction", HERE), true);
    assert.equal(policyAllows(granted, "lambda:InvokeFunction", `${HERE}:$LATEST`), true);
    assert.equal(
      policyAllows(granted, "lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:000000000000:function:echo"),
      false,
    );
    assert.equal(
      policyAllows(granted, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:echo"),
      false,
    );
  });

  test("a queue's ARN in another region or account is not the granted one", () => {
    const granted = policy(["sqs:SendMessage"], ["arn:aws:sqs:us-east-1:000000000000:jobs"]);
    assert.equal(policyAllows(granted, "sqs:SendMessage", "arn:aws:sqs:us-east-1:000000000000:jobs"), true);
    assert.equal(policyAllows(granted, "sqs:SendMessage", "arn:aws:sqs:us-west-2:000000000000:jobs"), false);
    assert.equal(policyAllows(granted, "sqs:SendMessage", "arn:aws:sqs:us-east-1:999999999999:jobs"), false);
  });

  test("a wildcard inside a segment stays in it; one that ends a segment may run past colons", () => {
    // `us-*-1` is inside the region segment: it may not swallow the account.
    assert.equal(
      resourceMatch("arn:aws:sqs:us-*-1:000000000000:jobs", "arn:aws:sqs:us-east-1:000000000000:jobs"),
      true,
    );
    assert.equal(
      resourceMatch(
        "arn:aws:sqs:us-*1:000000000000:jobs",
        "arn:aws:sqs:us-east-1:111111111111:000000000000:jobs",
      ),
      false,
    );
    assert.equal(
      resourceMatch("arn:aws:sqs:us-east-?:000000000000:jobs", "arn:aws:sqs:us-east-1:000000000000:jobs"),
      true,
    );
    assert.equal(
      resourceMatch("arn:aws:sqs:us-east-1?000000000000:jobs", "arn:aws:sqs:us-east-1:000000000000:jobs"),
      false,
    );
    // A trailing `*` covers qualified function ARNs; `*` as a whole segment covers every region.
    assert.equal(resourceMatch("arn:aws:lambda:us-east-1:000000000000:function:*", `${HERE}:live`), true);
    assert.equal(
      resourceMatch(
        "arn:aws:lambda:*:000000000000:function:echo",
        "arn:aws:lambda:eu-west-1:000000000000:function:echo",
      ),
      true,
    );
    assert.equal(
      resourceMatch(
        "arn:aws:lambda:*:000000000000:function:echo",
        "arn:aws:lambda:eu-west-1:111111111111:function:echo",
      ),
      false,
    );
    assert.equal(resourceMatch("*", HERE), true);
  });

  test("resource ARNs match case-sensitively", () => {
    assert.equal(
      resourceMatch("arn:aws:sqs:us-east-1:000000000000:Jobs", "arn:aws:sqs:us-east-1:000000000000:jobs"),
      false,
    );
  });

  test("parseArn reads the six parts and keeps the colons of the resource", () => {
    assert.deepEqual(parseArn(`${HERE}:live`), {
      partition: "aws",
      service: "lambda",
      region: "us-east-1",
      account: "000000000000",
      resource: "function:echo:live",
    });
    assert.equal(parseArn("echo"), undefined);
    assert.equal(parseArn("arn:aws:sqs"), undefined);
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CredentialIssuer } from "../../src/local/endpoint/function-credentials.ts";
import { AccessDeniedError, type IamDeniedEvent, IamGuard } from "../../src/local/endpoint/iam-guard.ts";
import { signedBy } from "../../src/local/endpoint/sigv4-identity.ts";
import { SqsError } from "../../src/local/sqs/errors.ts";
import { indexed, queryTree } from "../../src/local/wire/query-params.ts";
import { describeError } from "../../src/local/wire/wire-errors.ts";
import { escapeXml, queryResponse } from "../../src/local/wire/xml.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

describe("wire helpers", () => {
  test("query parameters become a tree; flattened lists come back in index order", () => {
    const tree = queryTree(
      new URLSearchParams(
        "Action=SendMessage&MessageAttribute.2.Name=b&MessageAttribute.10.Name=c&MessageAttribute.1.Name=a&MessageAttribute.1.Value.StringValue=x",
      ),
    );
    assert.equal(tree.Action, "SendMessage");
    assert.deepEqual(
      indexed(tree.MessageAttribute).map((n) => (typeof n === "object" ? n.Name : n)),
      ["a", "b", "c"],
    );
  });

  test("XML escapes markup and keeps a carriage return as a character reference", () => {
    assert.equal(escapeXml(`a<b>&"c'\r\n`), "a&lt;b&gt;&amp;&quot;c&apos;&#xD;\n");
    assert.equal(
      queryResponse("PurgeQueue", "ns", undefined, "r-1"),
      '<?xml version="1.0"?><PurgeQueueResponse xmlns="ns"><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PurgeQueueResponse>',
    );
  });

  test("the signer is read from a SigV4 Authorization header or a presigned X-Amz-Credential", () => {
    const header = {
      authorization:
        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20260101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
    };
    assert.deepEqual(signedBy(header), { accessKeyId: "ASIAEXAMPLE", region: "eu-west-1", service: "sqs" });
    const query = new URLSearchParams("X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Flambda%2Faws4_request");
    assert.deepEqual(signedBy({}, query), { accessKeyId: "AKID", region: "us-east-1", service: "lambda" });
    assert.equal(signedBy({}), undefined);
  });

  test("each function gets its own temporary-looking credentials, stable within a session", () => {
    const issuer = new CredentialIssuer();
    const a = issuer.forFunction("app-a");
    assert.match(a.AWS_ACCESS_KEY_ID, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(issuer.forFunction("app-a"), a);
    assert.notEqual(issuer.forFunction("app-b").AWS_ACCESS_KEY_ID, a.AWS_ACCESS_KEY_ID);
    assert.equal(issuer.identify(a.AWS_ACCESS_KEY_ID), "app-a");
    assert.equal(issuer.identify("AKIDEXAMPLE"), undefined);
    assert.notEqual(new CredentialIssuer().forFunction("app-a").AWS_ACCESS_KEY_ID, a.AWS_ACCESS_KEY_ID);
  });

  test("errors map to each protocol's codes and statuses", () => {
    const missing = describeError(
      new SqsError("QueueDoesNotExist", "engine wording", { queue: "http://h/000000000000/q" }),
      true,
    );
    assert.deepEqual(
      { ...missing, message: undefined },
      {
        status: 400,
        jsonCode: "QueueDoesNotExist",
        queryCode: "AWS.SimpleQueueService.NonExistentQueue",
        sender: true,
        message: undefined,
      },
    );
    assert.match(
      missing.message,
      /^The specified queue does not exist: http:\/\/h\/000000000000\/q\. The SQS API names queues by their physical names/,
    );
    const bug = describeError(new TypeError("oops"), true);
    assert.equal(bug.status, 500);
    assert.equal(bug.sender, false);
  });
});

describe("IamGuard", () => {
  const spec = normaliseApp({
    name: "g",
    queues: { jobs: {} },
    functions: { worker: { handler: "src/w.handler" } },
  });
  const worker = spec.functions.worker;
  assert.ok(worker);
  const queue = "arn:aws:sqs:us-east-1:000000000000:g-jobs";

  test("enforce: a call outside the policy is AccessDenied, named as AWS names it, with how to grant it", () => {
    const events: IamDeniedEvent[] = [];
    const guard = new IamGuard("enforce", (e) => events.push(e));
    const error = (() => {
      try {
        guard.check(spec, worker, "sqs:SendMessage", queue);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof AccessDeniedError);
    assert.equal(error.statusCode, 403);
    assert.match(
      error.awsMessage(true),
      /^User: arn:aws:sts::000000000000:assumed-role\/g-worker-role\/g-worker is not authorized to perform: sqs:sendmessage on resource: arn:aws:sqs:us-east-1:000000000000:g-jobs because no identity-based policy allows the sqs:sendmessage action\. Sluice: to allow it, add \{ actions: \["sqs:SendMessage"\], resources: \["queue:jobs"\] \} to functions\.worker\.permissions/,
    );
    assert.deepEqual(events[0]?.grant, { actions: ["sqs:SendMessage"], resources: ["queue:jobs"] });
  });

  test("warn lets the call through and reports it; off and callers without a function are not checked", () => {
    const events: IamDeniedEvent[] = [];
    new IamGuard("warn", (e) => events.push(e)).check(spec, worker, "sqs:SendMessage", queue);
    assert.equal(events[0]?.mode, "warn");
    new IamGuard("off", (e) => events.push(e)).check(spec, worker, "sqs:SendMessage", queue);
    new IamGuard("enforce", (e) => events.push(e)).check(spec, undefined, "sqs:SendMessage", queue);
    assert.equal(events.length, 1);
  });

  test("a call the function's own log group allows passes silently", () => {
    const events: IamDeniedEvent[] = [];
    const group = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/g-worker:*";
    new IamGuard("enforce", (e) => events.push(e)).check(spec, worker, "logs:PutLogEvents", group);
    assert.equal(events.length, 0);
  });
});

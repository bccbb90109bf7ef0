/**
 * The Lambda invoke conformance suite: the functions of test/fixtures/apps/conformance/lambda,
 * through @aws-sdk/client-lambda, on the local endpoint or on AWS.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from "@aws-sdk/client-lambda";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type ConformanceTarget, startTarget } from "../support/conformance/target.ts";
import { rejection, statusOf } from "../support/endpoint.ts";
import { signedHeaders } from "../support/request-signing.ts";

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString("utf8");

const t: ConformanceTarget = await startTarget("lambda");
const app = {
  lambda: new LambdaClient(t.clientConfig),
  sqs: new SQSClient(t.clientConfig),
  sts: new STSClient(t.clientConfig),
};
/** Physical function names. */
const fn = (name: string) => t.physical(name);

describe("Lambda through @aws-sdk/client-lambda (REST-JSON), and STS", () => {
  after(async () => {
    for (const client of Object.values(app)) client.destroy();
    await t.close();
  });

  test("Invoke RequestResponse returns the result, status 200 and the executed version", async () => {
    const result = await app.lambda.send(
      new InvokeCommand({ FunctionName: fn("echo"), Payload: json({ a: 1 }) }),
    );
    assert.equal(result.StatusCode, 200);
    assert.equal(result.ExecutedVersion, "$LATEST");
    assert.equal(result.FunctionError, undefined);
    assert.deepEqual(JSON.parse(text(result.Payload)), { a: 1 });
  });

  test("a full ARN and the $LATEST qualifier name the same function; other qualifiers do not exist", async () => {
    const arn = t.arn("lambda", `function:${fn("echo")}`);
    const byArn = await app.lambda.send(
      new InvokeCommand({ FunctionName: arn, Payload: json("x"), Qualifier: "$LATEST" }),
    );
    assert.equal(text(byArn.Payload), '"x"');
    const version = await rejection(
      app.lambda.send(new InvokeCommand({ FunctionName: arn, Qualifier: "7" })),
    );
    assert.equal(version.name, "ResourceNotFoundException");
    assert.match(version.message, new RegExp(`Function not found: .*:function:${fn("echo")}:7`));
  });

  test("a function error is X-Amz-Function-Error: Unhandled with Lambda's error payload, still status 200", async () => {
    const result = await app.lambda.send(
      new InvokeCommand({ FunctionName: fn("fail"), Payload: json({ message: "boom" }) }),
    );
    assert.equal(result.StatusCode, 200);
    assert.equal(result.FunctionError, "Unhandled");
    const error = JSON.parse(text(result.Payload)) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, "TypeError");
    assert.equal(error.errorMessage, "boom");
  });

  test("LogType Tail returns the last 4 KB of the invocation's log, base64", async () => {
    const result = await app.lambda.send(
      new InvokeCommand({ FunctionName: fn("chatty"), Payload: json({}), LogType: "Tail" }),
    );
    const log = Buffer.from(result.LogResult ?? "", "base64");
    assert.ok(log.length <= 4096 && log.length > 3000, `${log.length} bytes`);
    assert.match(log.toString(), /REPORT RequestId: [0-9a-f-]{36}/);
    assert.match(log.toString(), /line 199 /);
    assert.doesNotMatch(log.toString(), /line 0 /, "only the tail");
    const quiet = await app.lambda.send(new InvokeCommand({ FunctionName: fn("echo"), Payload: json({}) }));
    assert.equal(quiet.LogResult, undefined);
  });

  test("Event is accepted with 202 and runs on the async queue; DryRun checks and runs nothing (204)", async () => {
    const event = await app.lambda.send(
      new InvokeCommand({
        FunctionName: fn("caller"),
        InvocationType: "Event",
        Payload: json({ body: "async hello" }),
      }),
    );
    assert.equal(event.StatusCode, 202);
    const QueueUrl = t.queueUrl(t.physical("audit"));
    const received = await app.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    assert.equal(
      received.Messages?.[0]?.Body,
      "async hello",
      "the function ran and sent through the endpoint",
    );
    const dry = await app.lambda.send(
      new InvokeCommand({ FunctionName: fn("echo"), InvocationType: "DryRun" }),
    );
    assert.equal(dry.StatusCode, 204);
    const missing = await rejection(
      app.lambda.send(new InvokeCommand({ FunctionName: t.scratch("nope"), InvocationType: "DryRun" })),
    );
    assert.equal(missing.name, "ResourceNotFoundException");
  });

  test("GetFunction and GetFunctionConfiguration describe the function, Active and Successful", async () => {
    const config = await app.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn("chatty") }));
    assert.equal(config.FunctionName, fn("chatty"));
    assert.equal(config.FunctionArn, t.arn("lambda", `function:${fn("chatty")}`));
    assert.equal(config.State, "Active");
    assert.equal(config.LastUpdateStatus, "Successful");
    assert.equal(config.Runtime, "nodejs24.x");
    assert.equal(config.MemorySize, 256);
    assert.equal(config.Timeout, 10);
    assert.equal(config.Handler, "index.handler");
    assert.equal(config.Version, "$LATEST");
    assert.match(config.CodeSha256 ?? "", /^[A-Za-z0-9+/]{43}=$/);
    assert.ok((config.CodeSize ?? 0) > 0);
    assert.match(config.LastModified ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const described = await app.lambda.send(new GetFunctionCommand({ FunctionName: fn("chatty") }));
    assert.equal(described.Configuration?.CodeSha256, config.CodeSha256);
    assert.equal(described.Concurrency?.ReservedConcurrentExecutions, 3);
    assert.equal(
      (await app.lambda.send(new GetFunctionCommand({ FunctionName: fn("echo") }))).Configuration
        ?.Description,
      "returns its event",
    );
  });

  test(
    "ListFunctions pages with MaxItems and Marker (local-only: AWS lists every function of the account, and its Marker is opaque)",
    t.localOnly(),
    async () => {
      const all = await app.lambda.send(new ListFunctionsCommand({}));
      assert.deepEqual(
        all.Functions?.map((f) => f.FunctionName),
        ["caller", "chatty", "echo", "fail", "stranger"].map(fn),
      );
      const first = await app.lambda.send(new ListFunctionsCommand({ MaxItems: 2 }));
      assert.equal(first.NextMarker, fn("chatty"));
      const rest = await app.lambda.send(
        new ListFunctionsCommand({ MaxItems: 10, Marker: first.NextMarker }),
      );
      assert.deepEqual(
        rest.Functions?.map((f) => f.FunctionName),
        ["echo", "fail", "stranger"].map(fn),
      );
      assert.equal(rest.NextMarker, undefined);
    },
  );

  test("errors: unknown function 404, unparsable payload 400, with Lambda's error type header", async () => {
    const missing = await rejection(app.lambda.send(new InvokeCommand({ FunctionName: t.scratch("nope") })));
    assert.equal(missing.name, "ResourceNotFoundException");
    assert.equal(statusOf(missing), 404);
    assert.equal(missing.Type, "User");
    const invalid = await rejection(
      app.lambda.send(new InvokeCommand({ FunctionName: fn("echo"), Payload: Buffer.from("{not json") })),
    );
    assert.equal(invalid.name, "InvalidRequestContentException");
    assert.equal(statusOf(invalid), 400);
  });

  test(
    "errors on the wire: Lambda's error type header and body (local-only: hand-made requests carry a fake signature)",
    t.localOnly(),
    async () => {
      const base = t.clientConfig.endpoint ?? "";
      const raw = await fetch(`${base}/2015-03-31/functions/nope/invocations`, {
        method: "POST",
        headers: signedHeaders("lambda"),
        body: "{}",
      });
      assert.equal(raw.status, 404);
      assert.equal(raw.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
      assert.deepEqual(await raw.json(), {
        Type: "User",
        Message: `Function not found: ${t.arn("lambda", "function:nope")}`,
      });
      const badType = await fetch(`${base}/2015-03-31/functions/${fn("echo")}/invocations`, {
        method: "POST",
        headers: { ...signedHeaders("lambda"), "x-amz-invocation-type": "Later" },
        body: "{}",
      });
      assert.equal(badType.status, 400);
      assert.equal(badType.headers.get("x-amzn-errortype"), "InvalidParameterValueException");
    },
  );

  test("STS GetCallerIdentity answers the account of the caller's credentials", async () => {
    const identity = await app.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, t.accountId);
  });

  test(
    "STS GetCallerIdentity: a script's own credentials are the account root's (local-only: on AWS they are whoever runs the suite)",
    t.localOnly(),
    async () => {
      const identity = await app.sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, "000000000000");
      assert.equal(identity.Arn, "arn:aws:iam::000000000000:root");
    },
  );
});

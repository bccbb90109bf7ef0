/**
 * The endpoint passes a request's X-Amzn-Trace-Id on (issue 20), with real AWS SDK v3 clients and
 * real functions: SendMessage keeps it as the message's AWSTraceHeader, Invoke runs the function
 * under its trace (and the function's own SDK calls carry it on), PutEvents puts the event in it;
 * a function's call names the function as the hop's source.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-related-service-xray.html
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { traceRootOf } from "../../src/local/traces/index.ts";
import type { TraceHop } from "../../src/local/traces/types.ts";
import { clientConfig, type EndpointApp, startEndpointApp } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";

const ROOT = "1-67891233-abcdef012345678912345678";
const HEADER = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`;

/** Makes a client send X-Amzn-Trace-Id, as the SDK's recursion-detection middleware does in Lambda. */
function withTraceHeader<C extends SQSClient | LambdaClient | EventBridgeClient>(
  client: C,
  header: string,
): C {
  const stack = client.middlewareStack as unknown as { add(middleware: unknown, options: object): void };
  stack.add(
    (next: (args: unknown) => Promise<unknown>) =>
      (args: { request: { headers: Record<string, string> } }) => {
        args.request.headers["X-Amzn-Trace-Id"] = header;
        return next(args);
      },
    { step: "build", name: "testTraceHeader" },
  );
  return client;
}

let app: EndpointApp;
let queueUrl: (name: string) => string;
before(async () => {
  app = await startEndpointApp();
  queueUrl = (name) => `${app.url}/000000000000/endpoint-${name}`;
});
after(() => app.close());

function hopsOf(root: string): readonly TraceHop[] {
  return app.session.localCloud.traces.timeline(root)?.hops ?? [];
}

async function receiveTrace(queue: string): Promise<string | undefined> {
  const { Messages } = await app.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl(queue),
      MessageSystemAttributeNames: ["AWSTraceHeader"],
      WaitTimeSeconds: 5,
    }),
  );
  assert.equal(Messages?.length, 1, `one message in ${queue}`);
  return Messages?.[0]?.Attributes?.AWSTraceHeader;
}

describe("the endpoint passes X-Amzn-Trace-Id on", { timeout: 120_000 }, () => {
  test("SendMessage keeps the request's header as AWSTraceHeader, and none without one", async () => {
    const traced = withTraceHeader(new SQSClient(clientConfig(app.url)), HEADER);
    await traced.send(new SendMessageCommand({ QueueUrl: queueUrl("jobs"), MessageBody: "traced" }));
    traced.destroy();
    assert.equal(await receiveTrace("jobs"), HEADER);
    const send = hopsOf(ROOT).find((h) => h.kind === "send");
    assert.equal(send?.source, "client");
    assert.equal(send?.target, "queue:jobs");

    await app.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl("jobs"), MessageBody: "plain" }));
    assert.equal(await receiveTrace("jobs"), undefined);
  });

  test("Invoke runs the function in the caller's trace; its SDK calls carry it on, with the function as source", async () => {
    const root = "1-67891233-000000000000000000000001";
    const lambda = withTraceHeader(
      new LambdaClient(clientConfig(app.url)),
      `Root=${root};Parent=53995c3f42cd8ad8;Sampled=0`,
    );
    const result = await lambda.send(new InvokeCommand({ FunctionName: "endpoint-caller", Payload: "{}" }));
    lambda.destroy();
    const answer = JSON.parse(Buffer.from(result.Payload ?? []).toString("utf8"));
    assert.ok(typeof answer.sent?.ok === "string", JSON.stringify(answer));
    assert.equal(
      traceRootOf(await receiveTrace("audit")),
      root,
      "the function's SendMessage carried the trace",
    );
    const hops = hopsOf(root);
    const send = hops.find((h) => h.kind === "send");
    assert.equal(send?.source, "function:caller");
    assert.equal(send?.target, "queue:audit");
    const echo = hops.find((h) => h.kind === "invoke" && h.target === "function:echo");
    assert.equal(echo?.source, "function:caller", "the nested Invoke names its caller");
  });

  test("an Event invoke keeps the request's trace for the asynchronous invocation", async () => {
    const root = "1-67891233-000000000000000000000002";
    const lambda = withTraceHeader(
      new LambdaClient(clientConfig(app.url)),
      `Root=${root};Parent=53995c3f42cd8ad8;Sampled=0`,
    );
    await lambda.send(
      new InvokeCommand({ FunctionName: "endpoint-echo", InvocationType: "Event", Payload: "{}" }),
    );
    lambda.destroy();
    const echo = await eventually(
      () => hopsOf(root).find((h) => h.kind === "invoke" && h.target === "function:echo"),
      "the asynchronous invocation's hop",
    );
    assert.equal(echo.source, "client");
  });

  test("PutEvents puts the event in the request's trace", async () => {
    const root = "1-67891233-000000000000000000000003";
    const events = withTraceHeader(
      new EventBridgeClient(clientConfig(app.url)),
      `Root=${root};Parent=53995c3f42cd8ad8`,
    );
    const result = await events.send(
      new PutEventsCommand({ Entries: [{ Source: "shop", DetailType: "placed", Detail: "{}" }] }),
    );
    events.destroy();
    const put = hopsOf(root).find((h) => h.kind === "put");
    assert.equal(put?.target, "bus:default");
    assert.equal(put?.source, "client");
    assert.equal(put?.requestId, result.Entries?.[0]?.EventId);
  });
});

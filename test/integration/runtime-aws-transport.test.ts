import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { normaliseApp } from "../../src/model/normalise.ts";
import { possibleRouteNames, routeTargets } from "../../src/model/routing/route-targets.ts";
import {
  type AwsRouteClients,
  awsTransport,
  type SdkSendMessageInput,
} from "../../src/runtime/aws-transport.ts";
import { installTransport } from "../../src/runtime/transport.ts";
import { wrapHandler } from "../../src/runtime/wrap-handler.ts";

const spec = normaliseApp({
  name: "shop",
  queues: {
    orders: { fifo: true },
    receipts: { fifo: true, contentBasedDeduplication: true },
    audit: {},
  },
  functions: {
    take: { handler: "src/take.handler", routes: () => [] },
    book: { handler: "src/book.handler", consumes: { queue: "orders", batchSize: 1 } },
    mail: { handler: "src/mail.handler" },
  },
});
const take = spec.functions.take;
assert.ok(take);
const targets = routeTargets(spec, possibleRouteNames(spec, take));
const env = {
  SLUICE_QUEUE_ORDERS_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/shop-orders.fifo",
  SLUICE_QUEUE_RECEIPTS_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/shop-receipts.fifo",
  SLUICE_QUEUE_AUDIT_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/shop-audit",
  SLUICE_FUNCTION_MAIL_NAME: "shop-mail",
};

function recording(): {
  clients: () => Promise<AwsRouteClients>;
  sent: SdkSendMessageInput[];
  invoked: [string, string][];
} {
  const sent: SdkSendMessageInput[] = [];
  const invoked: [string, string][] = [];
  return {
    sent,
    invoked,
    clients: async () => ({
      sendMessage: async (input) => void sent.push(input),
      invokeAsync: async (name, payload) => void invoked.push([name, payload]),
    }),
  };
}

describe("the AWS route transport", () => {
  test("follows the local router's rules: the route's group, deduplicate by request and position, unless content-based", async () => {
    const record = recording();
    const transport = awsTransport({ targets, env, clients: record.clients });
    await transport.deliver(
      [
        { to: "book", data: { id: 1 }, groupId: "site-a" },
        { to: "orders", data: { id: 2 }, groupId: "site-a" },
        { to: "receipts", data: { id: 3 }, groupId: "take" },
        { to: "receipts", data: { id: 4 }, groupId: "take", deduplicationId: "r-4" },
        { to: "audit", data: { id: 5 }, delay: 30 },
        { to: "mail", data: { id: 6 } },
      ],
      { from: "take", requestId: "req-1" },
    );
    const byQueue = (list: readonly SdkSendMessageInput[]) =>
      [...list].sort((a, b) => (a.QueueUrl < b.QueueUrl ? -1 : a.QueueUrl > b.QueueUrl ? 1 : 0));
    // Targets are sent to in parallel; each queue in the order given.
    assert.deepEqual(
      byQueue(record.sent),
      byQueue([
        {
          QueueUrl: env.SLUICE_QUEUE_ORDERS_URL,
          MessageBody: '{"id":1}',
          MessageGroupId: "site-a",
          MessageDeduplicationId: "req-1-0",
        },
        {
          QueueUrl: env.SLUICE_QUEUE_ORDERS_URL,
          MessageBody: '{"id":2}',
          MessageGroupId: "site-a",
          MessageDeduplicationId: "req-1-1",
        },
        { QueueUrl: env.SLUICE_QUEUE_RECEIPTS_URL, MessageBody: '{"id":3}', MessageGroupId: "take" },
        {
          QueueUrl: env.SLUICE_QUEUE_RECEIPTS_URL,
          MessageBody: '{"id":4}',
          MessageGroupId: "take",
          MessageDeduplicationId: "r-4",
        },
        { QueueUrl: env.SLUICE_QUEUE_AUDIT_URL, MessageBody: '{"id":5}', DelaySeconds: 30 },
      ]),
    );
    assert.deepEqual(record.invoked, [["shop-mail", '{"id":6}']]);
  });

  test("keeps the order of deliveries to one queue", async () => {
    const order: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transport = awsTransport({
      targets,
      env,
      clients: async () => ({
        sendMessage: async (input) => {
          const id = JSON.parse(input.MessageBody).id as number;
          if (id === 1) await gate;
          order.push(id);
        },
        invokeAsync: async () => undefined,
      }),
    });
    const done = transport.deliver(
      [1, 2, 3].map((id) => ({ to: "orders", data: { id }, groupId: "g" })),
      { from: "take", requestId: "r" },
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, [], "the second send waits for the first");
    release();
    await done;
    assert.deepEqual(order, [1, 2, 3]);
  });

  test("fails the invocation clearly on a name it is not wired to or a missing discovery variable", async () => {
    const record = recording();
    const transport = awsTransport({ targets, env: {}, clients: record.clients });
    await assert.rejects(transport.deliver([{ to: "nowhere", data: 1 }], { from: "take", requestId: "r" }), {
      name: "Sluice.UnknownRouteTarget",
    });
    await assert.rejects(transport.deliver([{ to: "audit", data: 1 }], { from: "take", requestId: "r" }), {
      name: "Sluice.MissingDiscoveryVariable",
      message: /SLUICE_QUEUE_AUDIT_URL is not set/,
    });
    assert.deepEqual(record.sent, []);
  });
});

describe("the wrapper inside Lambda, with the real AWS SDK", () => {
  let server: Server;
  const requests: { target: string; path: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  const saved = { ...process.env };

  before(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        requests.push({
          target: String(request.headers["x-amz-target"] ?? ""),
          path: request.url ?? "",
          headers: request.headers,
          body,
        });
        if (request.headers["x-amz-target"] === "AmazonSQS.SendMessage") {
          const md5 = createHash("md5").update(JSON.parse(body).MessageBody).digest("hex");
          response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
          response.end(JSON.stringify({ MessageId: "m-1", MD5OfMessageBody: md5 }));
          return;
        }
        response.writeHead(202, { "content-type": "application/json" });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // The SDK sends to the queue URL's host, so the queues live on the stand-in endpoint too.
    const local = (name: string) => `http://127.0.0.1:${port}/123456789012/${name}`;
    Object.assign(process.env, env, {
      SLUICE_QUEUE_ORDERS_URL: local("shop-orders.fifo"),
      AWS_LAMBDA_FUNCTION_NAME: "shop-take",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    installTransport(undefined);
  });

  after(async () => {
    installTransport(undefined);
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await new Promise((resolve) => server.close(resolve));
  });

  test("sends with SQS SendMessage and invokes with Lambda Invoke (Event) when no local transport is installed", async () => {
    const handler = wrapHandler({ handler: async () => ({ total: 3 }) }, "handler", {
      functionName: "take",
      routes: (_error, result) => [
        { to: "book", data: result, groupId: "take" },
        { to: "mail", data: result },
      ],
      targets,
    });
    assert.deepEqual(await handler({}, { awsRequestId: "req-9" }), { total: 3 });
    const send = requests.find((r) => r.target === "AmazonSQS.SendMessage");
    assert.ok(
      send,
      `SendMessage reached the endpoint; got ${JSON.stringify(requests.map((r) => r.target || r.path))}`,
    );
    assert.deepEqual(JSON.parse(send.body), {
      QueueUrl: process.env.SLUICE_QUEUE_ORDERS_URL,
      MessageBody: '{"total":3}',
      MessageGroupId: "take",
      MessageDeduplicationId: "req-9-0",
    });
    const invoke = requests.find((r) => r.path.startsWith("/2015-03-31/functions/"));
    assert.ok(invoke, "Invoke reached the endpoint");
    assert.equal(invoke.path, "/2015-03-31/functions/shop-mail/invocations");
    assert.equal(invoke.headers["x-amz-invocation-type"], "Event");
    assert.equal(invoke.body, '{"total":3}');
  });
});

/**
 * Dev vs serve (issue 19): the same app answers the same way under `sluice dev` (Lambda emulation)
 * and under `startServer` (what `sluice serve` runs on a fleet), the server using the bundles
 * `sluice build` makes and dev's endpoint as its AWS. HTTP: the same requests (methods, path and
 * query parameters, headers, cookies, a binary body, payload formats 2.0 and 1.0) give the same
 * status, headers and body, where the handler echoes its event; only what differs per request
 * (request ids, times, Host and ports, domain names) is set aside. SQS: the same messages
 * consumed by dev's event source mapping and by the server's consumer reach the function as the
 * same records (the function routes them to `out`; the test reads them there).
 *
 * The two consumers never poll at once: phase one runs dev alone on the `serve` fixture; phase two
 * runs dev on `serve-host` (the same app, name and handler files, without the mapping, so dev
 * polls nothing) beside the server built from `serve`, whose consumer then takes `in` alone.
 * Every test is local-only: the server runs against dev's endpoint.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { type RunningServer, readServedApp, startServer } from "../../src/serve/index.ts";
import { type ConformanceTarget, fixtureDir, startTarget } from "../support/conformance/target.ts";
import { copyAppWithSdk } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";

// biome-ignore lint/suspicious/noExplicitAny: events are compared as JSON.
type Json = any;

/** What differs per request or per host and says nothing about the event's shape or content. */
const VOLATILE_EVENT_PATHS = [
  "requestContext.requestId",
  "requestContext.extendedRequestId",
  "requestContext.time",
  "requestContext.timeEpoch",
  "requestContext.requestTime",
  "requestContext.requestTimeEpoch",
  "requestContext.domainName",
  "requestContext.domainPrefix",
  "requestContext.apiId",
];
/** Request headers that carry the server's address or a per-request id, whatever their case. */
const VOLATILE_REQUEST_HEADERS = new Set(["host", "x-forwarded-port", "x-amzn-trace-id"]);
/** Response headers that differ per request or per connection. */
const VOLATILE_RESPONSE_HEADERS = new Set([
  "date",
  "apigw-requestid",
  "content-length",
  "connection",
  "keep-alive",
  "x-amzn-requestid",
  "x-amz-apigw-id",
  "x-amzn-trace-id",
]);

function withoutPaths(value: Json, paths: readonly string[]): Json {
  const copy = structuredClone(value);
  for (const path of paths) {
    const parts = path.split(".");
    let node = copy;
    for (const part of parts.slice(0, -1)) node = node?.[part];
    // Keys with dots (none here) would need another notation.
    if (node && typeof node === "object") delete node[parts.at(-1) as string];
  }
  return copy;
}

/** An echoed event less what differs per request or per host (headers in either payload format). */
function comparableEvent(event: Json): Json {
  const copy = withoutPaths(event, VOLATILE_EVENT_PATHS);
  for (const field of ["headers", "multiValueHeaders"]) {
    const headers = copy?.[field];
    if (!headers || typeof headers !== "object") continue;
    for (const name of Object.keys(headers)) {
      if (VOLATILE_REQUEST_HEADERS.has(name.toLowerCase())) delete headers[name];
    }
  }
  return copy;
}

interface Exchange {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly cookies: string[];
  readonly body: Json;
}

async function exchange(base: string, path: string, init: RequestInit = {}): Promise<Exchange> {
  const response = await fetch(`${base}${path}`, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) {
    if (!VOLATILE_RESPONSE_HEADERS.has(name) && name !== "set-cookie") headers[name] = value;
  }
  const type = response.headers.get("content-type") ?? "";
  const body = type.includes("json")
    ? comparableEvent(JSON.parse(bytes.toString("utf8")))
    : bytes.toString("base64");
  return { status: response.status, headers, cookies: response.headers.getSetCookie(), body };
}

/** The requests both payload formats' apps are sent, the same to dev and to the server. */
const V2_REQUESTS: readonly [string, RequestInit][] = [
  ["/echo", {}],
  ["/items/42?tag=a&tag=b&plain=1", { headers: { "X-Custom": "one", "user-agent": "sluice-parity" } }],
  ["/echo", { headers: { cookie: "session=abc; theme=dark" } }],
  ["/echo", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }],
  [
    "/echo",
    {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0, 1, 254, 255]),
    },
  ],
  ["/echo/a/b%20c", { method: "DELETE" }],
  ["/echo/binary", {}],
  ["/nowhere", {}],
  ["/items/7", { method: "POST" }],
];
const V1_REQUESTS: readonly [string, RequestInit][] = [
  ["/items/7?tag=a&tag=b", { headers: { "X-Custom": "one", "User-Agent": "sluice-parity" } }],
  ["/items", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" }],
  [
    "/items",
    { method: "POST", headers: { "content-type": "image/png" }, body: new Uint8Array([137, 80, 78, 71]) },
  ],
  ["/items/7", { headers: { cookie: "a=1; b=2" } }],
];

/** A server of the fixture's build (`sluice build`), against the target's endpoint as its AWS. */
async function serverOf(fixture: string, target: ConformanceTarget): Promise<RunningServer> {
  const copy = copyAppWithSdk(fixtureDir(fixture));
  try {
    const built = await buildApp(await loadApp(copy.dir));
    const { endpoint, credentials } = target.clientConfig;
    assert.ok(endpoint && credentials, "the local target's endpoint and credentials");
    const server = await startServer({
      app: readServedApp(built.outDir),
      endpointUrl: endpoint,
      environment: {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
    });
    return {
      ...server,
      close: async () => {
        const report = await server.close();
        copy.cleanup();
        return report;
      },
    };
  } catch (error) {
    copy.cleanup();
    throw error;
  }
}

async function compare(
  devUrl: string | undefined,
  server: RunningServer,
  requests: readonly [string, RequestInit][],
) {
  assert.ok(devUrl, "dev serves the HTTP API");
  for (const [path, init] of requests) {
    const fromDev = await exchange(devUrl, path, init);
    const fromServe = await exchange(server.url, path, init);
    assert.deepEqual(fromServe, fromDev, `${init.method ?? "GET"} ${path}: serve answers as dev does`);
  }
}

// The host app runs for the whole file; the other targets only inside their (local-only) tests.
const host = await startTarget("serve-host");
after(() => host.close());

describe("dev's HTTP API and serve answer the same", { timeout: 120_000 }, () => {
  test(
    "the same requests give the same status, headers, cookies and echoed event, payload 2.0 (local-only: serve runs against dev's endpoint)",
    host.localOnly(),
    async () => {
      // The server consumes `in` too; the host has no mapping, and nothing here sends to `in`.
      const server = await serverOf("serve", host);
      try {
        await compare(host.httpUrl, server, V2_REQUESTS);
        // The echoed event says what was compared: not an empty body on both sides.
        const echoed = await exchange(server.url, "/items/42?tag=a&tag=b");
        assert.equal(echoed.body.routeKey, "GET /items/{id}");
        assert.deepEqual(echoed.body.queryStringParameters, { tag: "a,b" });
      } finally {
        await server.close();
      }
    },
  );

  test(
    "the same requests give the same status, headers and echoed event, payload 1.0 (local-only: serve runs against dev's endpoint)",
    host.localOnly(),
    async () => {
      const v1 = await startTarget("serve-v1");
      const server = await serverOf("serve-v1", v1).catch(async (error: unknown) => {
        await v1.close();
        throw error;
      });
      try {
        await compare(v1.httpUrl, server, V1_REQUESTS);
        const echoed = await exchange(server.url, "/items/7?tag=a&tag=b");
        assert.equal(echoed.body.resource, "/items/{id}");
        assert.deepEqual(echoed.body.multiValueQueryStringParameters, { tag: ["a", "b"] });
      } finally {
        await server.close();
        await v1.close();
      }
    },
  );
});

/** The messages both consumers get, with bodies, attributes and message attributes to carry. */
const MESSAGES = Array.from({ length: 7 }, (_, i) => ({
  MessageBody: JSON.stringify({ n: i, text: `message ${i}` }),
  MessageAttributes:
    i % 2 === 0
      ? {
          kind: { DataType: "String", StringValue: `even-${i}` },
          weight: { DataType: "Number", StringValue: String(i * 10) },
          blob: { DataType: "Binary", BinaryValue: new Uint8Array([i, 255]) },
        }
      : undefined,
}));

/** What in a record differs per receive: ids, handles, times; the rest must match. */
function comparableRecord(record: Json): Json {
  const copy = withoutPaths(record, [
    "messageId",
    "receiptHandle",
    "attributes.SentTimestamp",
    "attributes.ApproximateFirstReceiveTimestamp",
    "attributes.AWSTraceHeader",
  ]);
  return copy;
}

/** Sends MESSAGES to `in`, then reads `out` until every message came back through `consumer`. */
async function roundTrip(target: ConformanceTarget): Promise<Json[]> {
  const sqs = new SQSClient(target.clientConfig);
  const inUrl = target.queueUrl(target.physical("in"));
  const outUrl = target.queueUrl(target.physical("out"));
  try {
    for (const message of MESSAGES) await sqs.send(new SendMessageCommand({ QueueUrl: inUrl, ...message }));
    const records: Json[] = [];
    await eventually(
      async () => {
        const got = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: outUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        for (const message of got.Messages ?? ([] as Message[])) {
          records.push(...(JSON.parse(message.Body ?? "{}") as { records: Json[] }).records);
          await sqs.send(
            new DeleteMessageCommand({ QueueUrl: outUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        }
        return records.length >= MESSAGES.length ? records : undefined;
      },
      `${MESSAGES.length} records on out`,
      { timeoutMs: 60_000 },
    );
    return records
      .map(comparableRecord)
      .sort((a, b) => (JSON.parse(a.body).n as number) - (JSON.parse(b.body).n as number));
  } finally {
    sqs.destroy();
  }
}

describe("dev's event source mapping and serve's consumer deliver the same records", {
  timeout: 170_000,
}, () => {
  test(
    "the same messages reach the function as the same records, once each (local-only: serve runs against dev's endpoint)",
    host.localOnly(),
    async () => {
      // The host is the serve fixture less its mapping: the same handler files, byte for byte.
      for (const file of ["src/echo.ts", "src/consumer.ts"]) {
        assert.equal(
          readFileSync(join(fixtureDir("serve-host"), file), "utf8"),
          readFileSync(join(fixtureDir("serve"), file), "utf8"),
          `serve-host/${file} is serve/${file}`,
        );
      }
      // Phase one: dev alone on the app, its Lambda emulation polls `in`.
      const dev = await startTarget("serve");
      let underDev: Json[];
      try {
        underDev = await roundTrip(dev);
      } finally {
        await dev.close();
      }
      // Phase two: the host (no mapping) and the server built from the app, whose consumer polls `in`.
      const server = await serverOf("serve", host);
      let underServe: Json[];
      try {
        underServe = await roundTrip(host);
      } finally {
        await server.close();
      }
      assert.equal(underDev.length, MESSAGES.length, "each message reached dev's consumer once");
      assert.equal(underServe.length, MESSAGES.length, "each message reached serve's consumer once");
      assert.deepEqual(underServe, underDev);
      // What was compared carries the messages' content, not just ids stripped to nothing.
      assert.equal(underDev[2]?.messageAttributes?.kind?.stringValue, "even-2");
      assert.equal(underDev[0]?.eventSource, "aws:sqs");
    },
  );
});

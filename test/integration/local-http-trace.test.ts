/**
 * The HTTP and WebSocket APIs' traces (issue 20), over real sockets with real functions: the event
 * carries the client's X-Amzn-Trace-Id when it sent one, else the one API Gateway adds; the
 * invocation continues that trace; each request that reached a route is a `request` hop.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { parentOf, traceRootOf } from "../../src/local/traces/index.ts";
import type { HopInput } from "../../src/local/traces/types.ts";
import { type ApiApp, startApiApp } from "../support/api-servers.ts";
import { eventually } from "../support/poll.ts";

const CONFIG = `{
  name: "traced",
  functions: {
    trace: { handler: "src/trace.handler", http: "GET /trace" },
    fail: { handler: "src/fail.handler", http: "GET /fail" },
    accept: { handler: "src/trace.accept" },
  },
  websocket: { stage: "local", routes: { $connect: "accept", $default: "accept" } },
}`;

const ROOT = "1-67891233-abcdef012345678912345678";
const CLIENT = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;

const hops: HopInput[] = [];
let app: ApiApp;
let base: string;
before(async () => {
  app = await startApiApp(CONFIG, { tracer: { record: (hop) => hops.push(hop) } });
  base = app.servers.urls.http ?? "";
});
after(() => app.close());

interface Seen {
  readonly header: string;
  readonly invocation: string;
}

async function seen(path: string, headers: Record<string, string> = {}): Promise<Seen> {
  const response = await fetch(`${base}${path}`, { headers });
  assert.equal(response.status, 200);
  return (await response.json()) as Seen;
}

function hopFor(target: string, requestCount: number): HopInput {
  const found = hops.filter((h) => h.kind === "request" && h.target === target);
  assert.equal(found.length, requestCount, `request hops to ${target}`);
  return found.at(-1) as HopInput;
}

describe("HTTP API traces", { timeout: 60_000 }, () => {
  test("without a client header the gateway adds a Root, and the invocation continues it", async () => {
    const { header, invocation } = await seen("/trace");
    assert.match(header, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.equal(traceRootOf(invocation), traceRootOf(header));
    const hop = hopFor("api:GET /trace", 1);
    assert.equal(hop.source, "client");
    assert.equal(hop.outcome, "success");
    assert.equal(traceRootOf(hop.header), traceRootOf(header));
    assert.equal(hop.parentHeader, undefined, "the request starts the trace");
    assert.match(hop.payload, /"routeKey":"GET \/trace"/, "the event the route got");
  });

  test("a client's X-Amzn-Trace-Id reaches the event unchanged and the invocation continues its trace", async () => {
    const { header, invocation } = await seen("/trace", { "X-Amzn-Trace-Id": CLIENT });
    assert.equal(header, CLIENT);
    assert.equal(traceRootOf(invocation), ROOT);
    const hop = hopFor("api:GET /trace", 2);
    assert.equal(hop.parentHeader, CLIENT);
    assert.equal(traceRootOf(hop.header), ROOT);
    assert.notEqual(parentOf(hop.header), parentOf(CLIENT));
    assert.notEqual(parentOf(invocation), parentOf(hop.header), "the invocation is a hop of its own");
  });

  test("a 5xx answer is a failed request hop", async () => {
    const response = await fetch(`${base}/fail`);
    assert.equal(response.status, 500);
    const hop = hopFor("api:GET /fail", 1);
    assert.equal(hop.outcome, "error");
    assert.match(hop.detail ?? "", /^500/);
  });

  test("a request no route matches records no hop", async () => {
    const before = hops.length;
    assert.equal((await fetch(`${base}/nowhere`)).status, 404);
    assert.equal(hops.length, before);
  });
});

describe("WebSocket API traces", { timeout: 60_000 }, () => {
  test("$connect continues the client's header; each message is a trace of its own", async () => {
    const url = app.servers.urls.websocket ?? "";
    const socket = new WebSocket(url, { headers: { "X-Amzn-Trace-Id": CLIENT } });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const connect = hopFor("websocket:$connect", 1);
    assert.equal(connect.source, "client");
    assert.equal(connect.parentHeader, CLIENT);
    assert.equal(traceRootOf(connect.header), ROOT);
    assert.match(connect.payload, /"X-Amzn-Trace-Id":"Root=1-67891233-abcdef012345678912345678/);

    socket.send("hello");
    await eventually(() => hops.find((h) => h.target === "websocket:$default"), "the message's request hop");
    const message = hopFor("websocket:$default", 1);
    assert.equal(message.outcome, "success");
    assert.notEqual(traceRootOf(message.header), ROOT, "a message carries no header: a new trace");
    socket.close();
  });
});

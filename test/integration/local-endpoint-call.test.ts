/**
 * The call the endpoint hands each protocol handler (endpoint-call.ts): what it tells the handler
 * and does for it, and that it is a class whose getter and methods live on the prototype, not a
 * per-call object literal with its own getter (issue 14: such a literal kept every request and
 * response alive through the young generation's scavenges).
 */
import assert from "node:assert/strict";
import { createServer, IncomingMessage, request, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Socket } from "node:net";
import { describe, test } from "node:test";
import type { EndpointEvent } from "../../src/local/endpoint/aws-endpoint.ts";
import { EndpointCall } from "../../src/local/endpoint/endpoint-call.ts";
import { IamGuard } from "../../src/local/endpoint/iam-guard.ts";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import { AccessDeniedError } from "../../src/local/wire/index.ts";
import { SluiceError } from "../../src/model/errors.ts";
import { queueArn } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp({
  name: "c",
  queues: { jobs: {} },
  functions: { f: { handler: "src/f.handler" } },
});
const cloud = { spec } as LocalCloud;
const physical = spec.functions.f?.functionName ?? "";

function newCall(
  res: ServerResponse,
  accessKeyId: string | undefined,
  events: EndpointEvent[] = [],
  region?: string,
): EndpointCall {
  const options = {
    endpointUrl: () => "http://127.0.0.1:1",
    identify: (key: string) => (key === "AKIDF" ? physical : undefined),
    onEvent: (event: EndpointEvent) => events.push(event),
  };
  const guard = new IamGuard("enforce", (event) => events.push(event));
  return new EndpointCall(cloud, options, guard, res, "req-1", accessKeyId, region);
}

function detachedResponse(headers: Record<string, string> = {}): ServerResponse {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  req.url = "/";
  return new ServerResponse(req);
}

describe("the endpoint's call", () => {
  test("its getter and methods are the prototype's: nothing of its own is a function", () => {
    const call = newCall(detachedResponse(), undefined);
    assert.equal(Object.getOwnPropertyDescriptor(call, "signal"), undefined);
    assert.equal(typeof Object.getOwnPropertyDescriptor(EndpointCall.prototype, "signal")?.get, "function");
    for (const [name, value] of Object.entries(call)) assert.notEqual(typeof value, "function", name);
  });

  test("names the signer's function, the signed region and the request's trace header", () => {
    const res = detachedResponse({ "x-amzn-trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793" });
    const call = newCall(res, "AKIDF", [], "eu-west-1");
    assert.equal(call.caller?.name, "f");
    assert.equal(call.region, "eu-west-1");
    assert.equal(call.requestId, "req-1");
    assert.equal(call.endpointUrl, "http://127.0.0.1:1");
    assert.equal(call.traceHeader, "Root=1-5759e988-bd862e3fe1be46a994272793");
    const anonymous = newCall(detachedResponse({ "x-amzn-trace-id": "" }), undefined);
    assert.equal(anonymous.caller, undefined);
    assert.equal(anonymous.region, spec.region);
    assert.equal(anonymous.traceHeader, undefined);
  });

  test("authorize checks the signing function's policy; the user's own calls pass", () => {
    const events: EndpointEvent[] = [];
    const arn = queueArn(spec, "jobs");
    assert.throws(
      () => newCall(detachedResponse(), "AKIDF", events).authorize("sqs:SendMessage", arn),
      AccessDeniedError,
    );
    assert.equal(events[0]?.type, "iam-denied");
    assert.doesNotThrow(() => newCall(detachedResponse(), undefined).authorize("sqs:SendMessage", arn));
    // Another region's queue does not exist here, whatever IAM said.
    const elsewhere = arn.replace(spec.region, "ap-south-2");
    assert.throws(() => newCall(detachedResponse(), undefined).authorize("sqs:SendMessage", elsewhere), {
      code: "QueueDoesNotExist",
    });
  });

  test("reportBug passes on an unexpected error only", () => {
    const events: EndpointEvent[] = [];
    const call = newCall(detachedResponse(), undefined, events);
    call.reportBug(new SluiceError("SOME_CODE", "expected"));
    assert.equal(events.length, 0);
    const bug = new TypeError("bug");
    call.reportBug(bug);
    assert.deepEqual(events, [{ type: "endpoint-error", operation: "/", error: bug }]);
  });

  test("signal aborts when the client goes away before the answer, not after one", async () => {
    const signals: AbortSignal[] = [];
    const closed: Promise<void>[] = [];
    const server = createServer((_req, res) => {
      signals.push(newCall(res, undefined).signal);
      closed.push(new Promise((resolve) => res.once("close", () => resolve())));
      if (signals.length === 1) res.end("answered");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await new Promise<void>((resolve, reject) => {
        request({ host: "127.0.0.1", port, agent: false }, (res) => res.resume().on("end", resolve))
          .on("error", reject)
          .end();
      });
      const gone = request({ host: "127.0.0.1", port, agent: false });
      gone.on("error", () => undefined);
      gone.end();
      while (signals.length < 2) await new Promise((resolve) => setImmediate(resolve));
      gone.destroy();
      await Promise.all(closed);
      assert.equal(signals[0]?.aborted, false);
      assert.equal(signals[1]?.aborted, true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

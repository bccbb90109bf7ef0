import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { RouteDelivery } from "../../src/model/app-spec.ts";
import { installTransport, wrapHandler } from "../../src/runtime/index.ts";

const CONTEXT = { awsRequestId: "req-1" };
let delivered: RouteDelivery[][] = [];

beforeEach(() => {
  delivered = [];
  installTransport({
    deliver: async (deliveries) => {
      delivered.push([...deliveries]);
    },
  });
});

afterEach(() => installTransport(undefined));

const succeeds = async (event: { n: number }) => ({ doubled: event.n * 2 });
const fails = async () => {
  throw new Error("handler failed");
};

describe("routing a result", () => {
  test("sends the result to a single target on success", async () => {
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes: "next" });
    assert.deepEqual(await wrapped({ n: 2 }, CONTEXT), { doubled: 4 });
    assert.deepEqual(delivered, [[{ to: "next", data: { doubled: 4 } }]]);
  });

  test("sends the result to every target of a list on success", async () => {
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes: ["a", "b"] });
    await wrapped({ n: 1 }, CONTEXT);
    assert.deepEqual(delivered, [
      [
        { to: "a", data: { doubled: 2 } },
        { to: "b", data: { doubled: 2 } },
      ],
    ]);
  });

  test("routes nothing for a name or a list when the handler fails, and still fails", async () => {
    const wrapped = wrapHandler({ handler: fails }, "handler", { functionName: "fn", routes: ["a", "b"] });
    await assert.rejects(wrapped({}, CONTEXT), { message: "handler failed" });
    assert.deepEqual(delivered, []);
  });

  test("asks a routing function on success, with a null error", async () => {
    const calls: unknown[][] = [];
    const wrapped = wrapHandler({ handler: succeeds }, "handler", {
      functionName: "fn",
      routes: (error, result) => {
        calls.push([error, result]);
        return [{ to: "ok", data: result, groupId: "g" }];
      },
    });
    await wrapped({ n: 3 }, CONTEXT);
    assert.deepEqual(calls, [[null, { doubled: 6 }]]);
    assert.deepEqual(delivered, [[{ to: "ok", data: { doubled: 6 }, groupId: "g" }]]);
  });

  test("asks a routing function on error, delivers, then fails with the original error", async () => {
    const wrapped = wrapHandler({ handler: fails }, "handler", {
      functionName: "fn",
      routes: (error) => (error ? [{ to: "failures", data: { message: error.message } }] : []),
    });
    await assert.rejects(wrapped({}, CONTEXT), { message: "handler failed" });
    assert.deepEqual(delivered, [[{ to: "failures", data: { message: "handler failed" } }]]);
  });

  test("delivers nothing when a routing function returns an empty list", async () => {
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes: () => [] });
    await wrapped({ n: 1 }, CONTEXT);
    assert.deepEqual(delivered, []);
  });

  test("fails the invocation when a routing function returns something other than a list", async () => {
    const routes = (() => "next") as unknown as () => [];
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes });
    await assert.rejects(wrapped({ n: 1 }, CONTEXT), {
      name: "Sluice.InvalidRoutes",
      message: /routing function of "fn" returned "next"/,
    });
  });

  test("fails the invocation when a route has no target", async () => {
    const routes = (() => [{ data: 1 }]) as unknown as () => [];
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes });
    await assert.rejects(wrapped({ n: 1 }, CONTEXT), { name: "Sluice.InvalidRoutes", message: /at index 0/ });
  });

  test("fails clearly when there are deliveries but no transport is installed", async () => {
    installTransport(undefined);
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes: "next" });
    await assert.rejects(wrapped({ n: 1 }, CONTEXT), {
      name: "Sluice.NoRouteTransport",
      message: /function "fn" routed 1 result\(s\) \(to next\)/,
    });
  });

  test("needs no transport when nothing is routed", async () => {
    installTransport(undefined);
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes: () => [] });
    assert.deepEqual(await wrapped({ n: 1 }, CONTEXT), { doubled: 2 });
  });

  test("fails the invocation when the transport fails", async () => {
    installTransport({
      deliver: async () => {
        throw new Error("queue unavailable");
      },
    });
    const wrapped = wrapHandler({ handler: succeeds }, "handler", { functionName: "fn", routes: "next" });
    await assert.rejects(wrapped({ n: 1 }, CONTEXT), { message: "queue unavailable" });
  });
});

/** serve-router.ts: where a served function's routes go; in-flight.ts: what a shutdown waits for. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import type { AwsRouteClients } from "../../src/runtime/index.ts";
import { InFlight } from "../../src/serve/in-flight.ts";
import { ServeRouter } from "../../src/serve/serve-router.ts";

const spec = normaliseApp(
  {
    name: "shop",
    region: "eu-west-1",
    queues: { jobs: {} },
    functions: {
      api: {
        handler: "src/api.handler",
        routes: (_e: unknown, r: { to: string }) => [{ to: r.to, data: r }],
      },
      mailer: { handler: "src/mailer.handler" },
      render: { handler: "src/render.handler" },
      worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
      narrow: { handler: "src/narrow.handler", routes: () => [], routesTo: ["jobs"] },
    },
  },
  { region: "eu-west-1", accountId: "123456789012" },
);

function rig() {
  const local: [string, string][] = [];
  const sent: unknown[] = [];
  const invoked: [string, string][] = [];
  const clients: AwsRouteClients = {
    sendMessage: async (input) => sent.push(input),
    invokeAsync: async (name, payload) => invoked.push([name, payload]),
  };
  const router = new ServeRouter({
    spec,
    served: new Set(["api", "mailer", "worker", "narrow"]),
    invokeAsync: (name, payload) => local.push([name, payload]),
    environment: () => ({
      SLUICE_QUEUE_JOBS_URL: "http://sqs.local/123456789012/shop-jobs",
      SLUICE_FUNCTION_RENDER_NAME: "shop-render",
    }),
    clients,
  });
  return { router, local, sent, invoked };
}

test("a route to a served function is an async invoke on the server", async () => {
  const { router, local, sent, invoked } = rig();
  await router.deliver("api", "req-1", [{ to: "mailer", data: { to: "a@example.test" } }]);
  assert.deepEqual(local, [["mailer", '{"to":"a@example.test"}']]);
  assert.deepEqual([sent, invoked], [[], []]);
});

test("routes to a queue (a consumer's input included) and to unserved functions go through the SDK", async () => {
  const { router, local, sent, invoked } = rig();
  await router.deliver("api", "req-2", [
    { to: "worker", data: 1 },
    { to: "render", data: 2 },
  ]);
  assert.deepEqual(local, []);
  assert.deepEqual(sent, [{ QueueUrl: "http://sqs.local/123456789012/shop-jobs", MessageBody: "1" }]);
  assert.deepEqual(invoked, [["shop-render", "2"]]);
});

test("a route outside routesTo is refused before anything is sent", async () => {
  const { router, local, sent } = rig();
  await assert.rejects(router.deliver("narrow", "req-3", [{ to: "mailer", data: 1 }]), {
    code: "SLUICE_ROUTE_OUTSIDE_ROUTES_TO",
  });
  assert.deepEqual([local, sent], [[], []]);
});

test("the shutdown waits for in-flight work until it settles or the deadline passes on the clock", async () => {
  const clock = new ManualClock();
  const inFlight = new InFlight(clock);
  let finish = () => {};
  void inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
  void inFlight.track(new Promise<void>(() => {}));
  assert.equal(inFlight.count, 2);
  const drained = inFlight.drain(clock.now() + 1000);
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(inFlight.count, 1);
  await clock.advance(1000);
  assert.deepEqual(await drained, { finished: 1, abandoned: 1 });
});

test("with nothing in flight the shutdown does not wait", async () => {
  const clock = new ManualClock();
  assert.deepEqual(await new InFlight(clock).drain(clock.now() + 60_000), { finished: 0, abandoned: 0 });
});

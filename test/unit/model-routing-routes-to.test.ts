/**
 * `routesTo` and FIFO routes as the model sees them: where a routing function may send narrows
 * its role and the edges describe draws; synth warns without it; a name route into a FIFO queue
 * is a validation error (it cannot give the MessageGroupId SendMessage requires).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { functionPolicy } from "../../src/model/iam/function-grants.ts";
import { permissionWarnings } from "../../src/model/iam/permission-warnings.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { possibleRouteNames } from "../../src/model/routing/route-targets.ts";
import { type Case, issuesOf, type Obj, runCases } from "../support/model-validate.ts";

const definition = (routesTo?: readonly string[]) => ({
  name: "shop",
  queues: { audit: {}, orders: { fifo: true }, jobs: {} },
  functions: {
    take: { handler: "src/take.handler", routes: () => [], ...(routesTo ? { routesTo } : {}) },
    bill: { handler: "src/bill.handler" },
    work: { handler: "src/work.handler", consumes: { queue: "jobs" } },
  },
  buses: { events: {} },
});

/** Every resource the role of `take` may send, invoke or put events on. */
function routeResources(routesTo?: readonly string[]): string[] {
  const spec = normaliseApp(definition(routesTo));
  const take = spec.functions.take;
  assert.ok(take);
  return functionPolicy(spec, take)
    .Statement.filter((s) => String(s.Sid).startsWith("RouteTo"))
    .flatMap((s) => [s.Resource].flat() as string[])
    .sort();
}

describe("routesTo", () => {
  test("is kept in the spec and bounds where the routing function may send", () => {
    const spec = normaliseApp(definition(["audit", "bill"]));
    const take = spec.functions.take;
    assert.ok(take);
    assert.deepEqual(take.routes, { kind: "function", routesTo: ["audit", "bill"] });
    assert.deepEqual(possibleRouteNames(spec, take), ["audit", "bill"]);
  });

  test("narrows the role to the queues, functions and buses it lists", () => {
    assert.deepEqual(routeResources(["audit", "bill"]), [
      "arn:aws:lambda:us-east-1:000000000000:function:shop-bill",
      "arn:aws:lambda:us-east-1:000000000000:function:shop-bill:*",
      "arn:aws:sqs:us-east-1:000000000000:shop-audit",
    ]);
    const wide = routeResources();
    assert.ok(wide.includes("arn:aws:sqs:us-east-1:000000000000:shop-orders.fifo"), wide.join("\n"));
    assert.ok(wide.includes("arn:aws:events:us-east-1:000000000000:event-bus/shop-events"), wide.join("\n"));
  });

  test("narrows the edges describe draws", () => {
    const edges = (routesTo?: readonly string[]) =>
      appGraph(normaliseApp(definition(routesTo)))
        .edges.filter((e) => e.from === "function:take")
        .map((e) => e.to)
        .sort();
    assert.deepEqual(edges(["audit", "work"]), ["queue:audit", "queue:jobs"]);
    assert.ok(edges().length > 2);
  });

  test("without it, the warnings synth and dev print say the role grants every queue and function", () => {
    const warnings = permissionWarnings(normaliseApp(definition()));
    const routing = warnings.find((w) => w.path === "functions.take.routes");
    assert.match(
      routing?.message ?? "",
      /declares no routesTo, so its role grants sqs:SendMessage on every queue/,
    );
    assert.deepEqual(
      permissionWarnings(normaliseApp(definition(["audit"]))).filter((w) => w.path.endsWith(".routes")),
      [],
    );
  });
});

const W = "functions.work";
const addFifo = (d: Obj) => {
  (d.queues as Obj).ordered = { fifo: true };
  (d.functions as Obj).seq = { handler: "src/seq.handler", consumes: { queue: "ordered" } };
};

describe("validation of routes and routesTo", () => {
  const cases: readonly Case[] = [
    {
      rule: "a name route into a FIFO queue",
      change: addFifo,
      set: { [`${W}.routes`]: "ordered" },
      mentions: "groupId",
    },
    {
      rule: "a name route to a function that consumes a FIFO queue",
      change: addFifo,
      set: { [`${W}.routes`]: ["jobs", "seq"] },
      path: `${W}.routes[1]`,
      value: "seq",
      mentions: 'consumes the FIFO queue "ordered"',
    },
    {
      rule: "a routesTo name that is no component",
      set: { [`${W}.routes`]: () => [], [`${W}.routesTo`]: ["jobs", "job-s"] },
      path: `${W}.routesTo[1]`,
      value: "job-s",
      mentions: '"jobs"',
    },
    {
      rule: "routesTo beside a name route",
      set: { [`${W}.routes`]: "jobs", [`${W}.routesTo`]: ["jobs"] },
    },
    {
      rule: "routesTo without routes",
      set: { [`${W}.routesTo`]: ["jobs"] },
    },
    {
      rule: "an empty routesTo",
      set: { [`${W}.routes`]: () => [], [`${W}.routesTo`]: [] },
    },
  ];
  runCases(cases);

  test("a routing function may send to a FIFO queue: it can give the groupId", () => {
    const definition = {
      name: "app",
      queues: { ordered: { fifo: true } },
      functions: {
        work: {
          handler: "src/work.handler",
          routes: () => [{ to: "ordered", data: 1, groupId: "g" }],
          routesTo: ["ordered"],
        },
      },
    };
    assert.equal(normaliseApp(definition).functions.work?.routes.kind, "function");
    assert.throws(() => issuesOf({ ...definition, functions: { work: { handler: "src/work.handler" } } }));
  });
});

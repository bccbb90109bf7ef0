import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { synthesize } from "../../src/aws/synth.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { EventBusService } from "../../src/local/events/event-bus-service.ts";
import { Router } from "../../src/local/routing/router.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { functionPolicy } from "../../src/model/iam/function-grants.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourceVariables } from "../../src/model/resource-variables.ts";
import { awsTransport } from "../../src/runtime/aws-transport.ts";
import { issuesOf } from "../support/model-validate.ts";

function spec() {
  return normaliseApp({
    name: "shop",
    functions: {
      place: { handler: "src/place.handler", routes: "orders" },
      bill: { handler: "src/bill.handler" },
    },
    buses: { orders: {} },
    rules: {
      placed: { bus: "orders", pattern: { source: ["sluice.shop.place"] }, targets: [{ function: "bill" }] },
    },
  });
}

describe("routing to a bus", () => {
  test("a route may name a bus; a bus may not share a function's name", () => {
    assert.deepEqual(spec().functions.place?.routes, { kind: "targets", targets: ["orders"] });
    const clash = issuesOf({
      name: "shop",
      functions: { orders: { handler: "src/a.handler", routes: "nope" } },
      buses: { orders: {} },
    });
    assert.deepEqual(
      clash.map((i) => i.path),
      ["functions.orders.routes", "buses.orders"],
    );
  });

  test("grants events:PutEvents on the bus and sets its discovery variables", () => {
    const s = spec();
    const place = s.functions.place;
    assert.ok(place);
    const statement = functionPolicy(s, place).Statement.find((st) => st.Sid === "RouteToBuses");
    assert.deepEqual(statement?.Action, ["events:PutEvents"]);
    assert.deepEqual(statement?.Resource, ["arn:aws:events:us-east-1:000000000000:event-bus/shop-orders"]);
    const variables = resourceVariables(s, place, () => "");
    assert.equal(variables.SLUICE_BUS_ORDERS_NAME, "shop-orders");
  });

  test("locally, the router puts the result on the bus, whose rules deliver it", async () => {
    const s = spec();
    const dir = mkdtempSync(join(tmpdir(), "sluice-route-bus-"));
    const db = openStore(join(dir, "state.sqlite"));
    const clock = new ManualClock();
    const sqs = createQueueService({ db, clock, region: s.region, accountId: s.accountId });
    const invoked: { name: string; payload: string }[] = [];
    const bus = new EventBusService({
      db,
      clock,
      spec: s,
      sqs,
      invokeAsync: (name, payload) => invoked.push({ name, payload }),
    });
    bus.start();
    const asyncInvoker = { enqueue: () => ({ requestId: "x" }) };
    new Router(s, sqs, asyncInvoker, bus).deliver([{ to: "orders", data: 42 }], {
      from: "place",
      requestId: "r1",
    });
    await clock.advance(0);
    assert.equal(invoked[0]?.name, "bill");
    const event = JSON.parse(invoked[0]?.payload ?? "{}");
    assert.equal(event.source, "sluice.shop.place");
    assert.equal(event["detail-type"], "place result");
    assert.deepEqual(event.detail, { value: 42 });
    bus.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("on AWS, the wrapper's transport sends the same PutEvents entry", async () => {
    const s = spec();
    const place = s.functions.place;
    assert.ok(place);
    const { routeTargets } = await import("../../src/model/routing/route-targets.ts");
    const entries: unknown[] = [];
    const transport = awsTransport({
      targets: routeTargets(s, ["orders"]),
      env: resourceVariables(s, place, () => ""),
      clients: async () => ({
        sendMessage: async () => ({}),
        invokeAsync: async () => ({}),
        putEvent: async (entry) => {
          entries.push(entry);
          return { FailedEntryCount: 0, Entries: [{}] };
        },
      }),
    });
    await transport.deliver([{ to: "orders", data: { total: 3 } }], { from: "place", requestId: "r" });
    assert.deepEqual(entries, [
      {
        Source: "sluice.shop.place",
        DetailType: "place result",
        Detail: '{"total":3}',
        EventBusName: "shop-orders",
      },
    ]);
  });

  test("synth grants the role PutEvents on the bus resource and sets the bus name variable", async () => {
    const template = await synthesize(spec());
    const role = template.Resources.PlaceRole?.Properties as {
      Policies: { PolicyDocument: { Statement: { Sid: string; Resource: unknown }[] } }[];
    };
    const statement = role.Policies[0]?.PolicyDocument.Statement.find((st) => st.Sid === "RouteToBuses");
    assert.deepEqual(statement?.Resource, [{ "Fn::GetAtt": ["OrdersEventBus", "Arn"] }]);
    const fn = template.Resources.PlaceFunction?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    assert.equal(fn.Environment.Variables.SLUICE_BUS_ORDERS_NAME, "shop-orders");
  });
});

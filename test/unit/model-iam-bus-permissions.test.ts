/**
 * Buses in `permissions` (`bus:<name>`, stage-aware like `queue:`), their discovery variables and
 * `resources.busName()`, and ARNs that would only work locally: the local account id, or an app
 * resource by its unstaged physical name.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defineApp } from "../../src/model/define-app.ts";
import { functionPolicy } from "../../src/model/iam/function-grants.ts";
import { permissionWarnings } from "../../src/model/iam/permission-warnings.ts";
import { discoveryVariable, queueUrl } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { linkedResources, resourceVariables } from "../../src/model/resource-variables.ts";
import { RuntimeError } from "../../src/runtime/errors.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";
import { type Case, type Obj, runCases } from "../support/model-validate.ts";

const definition = defineApp({
  name: "shop",
  queues: { audit: {} },
  functions: {
    take: {
      handler: "src/take.handler",
      permissions: [{ actions: ["events:PutEvents"], resources: ["bus:orders", "bus:default"] }],
    },
  },
  buses: { orders: {} },
});

describe("bus:<name> in permissions", () => {
  test("grants the bus of the stage deployed, and the default bus", () => {
    const spec = normaliseApp(definition, { stage: "prod" });
    const take = spec.functions.take;
    assert.ok(take);
    const statement = functionPolicy(spec, take).Statement.find((s) => s.Action.includes("events:PutEvents"));
    assert.deepEqual(statement?.Resource, [
      "arn:aws:events:us-east-1:000000000000:event-bus/shop-prod-orders",
      "arn:aws:events:us-east-1:000000000000:event-bus/default",
    ]);
  });

  test("links the bus: SLUICE_BUS_<NAME>_NAME and _ARN, read by resources.busName() and busArn()", () => {
    const spec = normaliseApp(definition);
    const take = spec.functions.take;
    assert.ok(take);
    assert.deepEqual(linkedResources(spec, take).buses, ["orders", "default"]);
    const env = resourceVariables(spec, take, (q) => queueUrl("http://127.0.0.1:4566", spec, q));
    assert.equal(env[discoveryVariable("BUS_NAME", "orders")], "shop-orders");
    const resources = resourcesOf<never, never, "orders" | "default">(env);
    assert.equal(resources.busName("orders"), "shop-orders");
    assert.equal(resources.busArn("orders"), "arn:aws:events:us-east-1:000000000000:event-bus/shop-orders");
    // The default bus is linked like a named one: its name is `default` in every stage.
    assert.equal(env.SLUICE_BUS_DEFAULT_NAME, "default");
    assert.equal(resources.busName("default"), "default");
    assert.equal(resources.busArn("default"), "arn:aws:events:us-east-1:000000000000:event-bus/default");
  });

  test('"*" for events:PutEvents is warned about like any narrowable action, with a bus to name instead', () => {
    const spec = normaliseApp({
      ...definition,
      functions: {
        take: {
          handler: "src/take.handler",
          permissions: [{ actions: ["events:PutEvents"], resources: ["*"] }],
        },
      },
    });
    const [warning] = permissionWarnings(spec);
    assert.equal(warning?.path, "functions.take.permissions[0].resources[0]");
    assert.match(
      warning?.message ?? "",
      /lets events:PutEvents reach every resource .*\(e\.g\. "bus:orders"\)/,
    );
  });

  test("an unlinked bus fails with the permission that links it", () => {
    assert.throws(
      () => resourcesOf({ AWS_LAMBDA_FUNCTION_NAME: "shop-take" }).busName("orders"),
      (error: unknown) =>
        error instanceof RuntimeError &&
        /SLUICE_BUS_ORDERS_NAME is not set/.test(error.message) &&
        /actions: \["events:PutEvents"\], resources: \["bus:orders"\]/.test(error.message),
    );
  });

  test("the types accept the app's buses and default, and refuse others", () => {
    const apps = [
      defineApp({
        name: "a",
        functions: {
          f: {
            handler: "src/f.handler",
            // @ts-expect-error "bus:nope" names no bus of the app
            permissions: [{ actions: ["events:PutEvents"], resources: ["bus:nope"] }],
          },
        },
        buses: { orders: {} },
      }),
    ];
    assert.equal(apps.length, 1);
  });
});

const P = "functions.work.permissions.0.resources";
const withBus = (d: Obj) => {
  d.buses = { orders: {} };
};

describe("validation of permission resources", () => {
  const cases: readonly Case[] = [
    {
      rule: "a bus the app does not define",
      change: withBus,
      set: { [`${P}`]: ["bus:order"] },
      path: "functions.work.permissions[0].resources[0]",
      value: "bus:order",
      mentions: '"bus:orders"',
    },
    {
      rule: "a bus named in a statement without an events action",
      change: withBus,
      set: { "functions.work.permissions.0.actions": ["sqs:SendMessage"], [`${P}`]: ["bus:orders"] },
      path: "functions.work.permissions[0].resources[0]",
      value: "bus:orders",
      mentions: "events:PutEvents",
    },
    {
      rule: "an ARN with the local account id",
      set: { [`${P}`]: ["arn:aws:sqs:us-east-1:000000000000:other-queue"] },
      path: "functions.work.permissions[0].resources[0]",
      value: "arn:aws:sqs:us-east-1:000000000000:other-queue",
      mentions: "queue:<name>",
    },
    {
      rule: "an ARN naming an app queue by its unstaged name",
      set: { [`${P}`]: ["arn:aws:sqs:us-east-1:123456789012:app-jobs"] },
      path: "functions.work.permissions[0].resources[0]",
      value: "arn:aws:sqs:us-east-1:123456789012:app-jobs",
      mentions: 'write "queue:jobs"',
    },
    {
      rule: "an ARN naming an app bus by its unstaged name",
      change: withBus,
      set: {
        "functions.work.permissions.0.actions": ["events:PutEvents"],
        [`${P}`]: ["arn:aws:events:us-east-1:123456789012:event-bus/app-orders"],
      },
      path: "functions.work.permissions[0].resources[0]",
      value: "arn:aws:events:us-east-1:123456789012:event-bus/app-orders",
      mentions: 'write "bus:orders"',
    },
  ].map((c) => ({
    ...c,
    set: { "functions.work.permissions.0.actions": ["sqs:SendMessage"], ...c.set },
  }));
  runCases(cases.map((c) => ({ ...c, change: (d: Obj) => arrays(d, c.change) })));

  test("an ARN of another account's resource is accepted", () => {
    const spec = normaliseApp({
      name: "app",
      functions: {
        work: {
          handler: "src/work.handler",
          permissions: [
            { actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:partner-jobs"] },
          ],
        },
      },
    });
    assert.ok(spec.functions.work?.permissions);
  });
});

/** setPath builds objects; permissions and its statements are arrays. */
function arrays(d: Obj, change?: (d: Obj) => void): undefined {
  change?.(d);
  const work = (d.functions as Obj).work as Obj;
  const statements = work.permissions as Obj;
  work.permissions = Object.values(statements).map((s) => ({
    ...(s as Obj),
    resources: Object.values((s as Obj).resources as Obj),
  }));
  return undefined;
}

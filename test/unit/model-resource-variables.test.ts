import assert from "node:assert/strict";
import { test } from "node:test";
import { discoveryVariable, queueUrl } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { linkedResources, resourceVariables } from "../../src/model/resource-variables.ts";
import { RuntimeError } from "../../src/runtime/errors.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";

const app = normaliseApp({
  name: "shop",
  queues: { orders: {}, "audit-log": {}, unused: {} },
  functions: {
    take: { handler: "src/take.handler", consumes: { queue: "orders" }, routes: "bill" },
    bill: {
      handler: "src/bill.handler",
      permissions: [{ actions: ["sqs:SendMessage"], resources: ["queue:audit-log"] }],
    },
  },
});

test("a function is linked to what it consumes, routes to and is permitted, and nothing else", () => {
  const take = app.functions.take;
  const bill = app.functions.bill;
  assert.ok(take && bill);
  assert.deepEqual(linkedResources(app, take), { queues: ["orders"], functions: ["bill"] });
  assert.deepEqual(linkedResources(app, bill), { queues: ["audit-log"], functions: [] });
});

test("discovery variables carry URLs, ARNs and physical names under SLUICE_<KIND>_<NAME>_<FIELD>", () => {
  const take = app.functions.take;
  assert.ok(take);
  const variables = resourceVariables(app, take, (q) => queueUrl("http://127.0.0.1:4566", app, q));
  assert.deepEqual(variables, {
    SLUICE_QUEUE_ORDERS_URL: "http://127.0.0.1:4566/000000000000/shop-orders",
    SLUICE_QUEUE_ORDERS_ARN: "arn:aws:sqs:us-east-1:000000000000:shop-orders",
    SLUICE_FUNCTION_BILL_NAME: "shop-bill",
    SLUICE_FUNCTION_BILL_ARN: "arn:aws:lambda:us-east-1:000000000000:function:shop-bill",
  });
});

test("the runtime helper reads the variables the model names, for any definition name", () => {
  for (const name of ["orders", "audit-log", "Mixed_Case-9"]) {
    const env = {
      [discoveryVariable("QUEUE_URL", name)]: `url-${name}`,
      [discoveryVariable("QUEUE_ARN", name)]: `arn-${name}`,
      [discoveryVariable("FUNCTION_NAME", name)]: `fn-${name}`,
      [discoveryVariable("FUNCTION_ARN", name)]: `fnarn-${name}`,
    };
    const resources = resourcesOf(env);
    assert.equal(resources.queueUrl(name), `url-${name}`);
    assert.equal(resources.queueArn(name), `arn-${name}`);
    assert.equal(resources.functionName(name), `fn-${name}`);
    assert.equal(resources.functionArn(name), `fnarn-${name}`);
  }
});

test("a resource the function is not linked to fails with how to link it", () => {
  const resources = resourcesOf({ AWS_LAMBDA_FUNCTION_NAME: "shop-bill" });
  assert.throws(
    () => resources.queueUrl("orders"),
    (error: unknown) =>
      error instanceof RuntimeError &&
      error.name === "Sluice.ResourceNotLinked" &&
      /shop-bill is not linked to the queue "orders" \(SLUICE_QUEUE_ORDERS_URL is not set\)/.test(
        error.message,
      ) &&
      /resources: \["queue:orders"\]/.test(error.message),
  );
});

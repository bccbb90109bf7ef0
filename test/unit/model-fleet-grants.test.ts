/**
 * A fleet's role (issue 19), as synth's instance role and dev's local IAM checks both derive it:
 * its functions' grants less Lambda's own, routing only to functions it does not serve, and
 * GetQueueUrl on its functions' queues (`sluice serve` looks their URLs up).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fleetAssumedRoleArn, fleetPolicy } from "../../src/model/fleet-grants.ts";
import { policyAllows } from "../../src/model/iam/match.ts";
import { functionArn, logGroupName, queueArn } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

type Definition = Parameters<typeof normaliseApp>[0];

const spec = normaliseApp(
  {
    name: "shop",
    queues: { jobs: {}, audit: {} },
    functions: {
      api: { handler: "src/api.handler", http: ["GET /hello"], routes: ["render", "report"] },
      render: { handler: "src/render.handler" },
      worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
      report: { handler: "src/report.handler", consumes: { queue: "audit" } },
    },
    servers: { web: { functions: ["api", "render", "worker"], instanceType: "t4g.small" } },
  } as unknown as Definition,
  { accountId: "123456789012", region: "eu-west-1" },
);
const web = spec.servers?.web;
assert.ok(web);
const policy = fleetPolicy(spec, web);
const allows = (action: string, resource: string) => policyAllows(policy, action, resource);

describe("a fleet's grants", () => {
  test("hold what its functions do: consume their queues, route to what it does not serve", () => {
    assert.ok(allows("sqs:ReceiveMessage", queueArn(spec, "jobs")));
    assert.ok(allows("sqs:DeleteMessage", queueArn(spec, "jobs")));
    // api routes to report through its queue (report consumes audit).
    assert.ok(allows("sqs:SendMessage", queueArn(spec, "audit")));
  });

  test("add GetQueueUrl on the served functions' queues only", () => {
    assert.ok(allows("sqs:GetQueueUrl", queueArn(spec, "jobs")));
    assert.ok(allows("sqs:GetQueueUrl", queueArn(spec, "audit")));
    const lone = fleetPolicy(spec, { ...web, functions: ["render"] });
    assert.equal(policyAllows(lone, "sqs:GetQueueUrl", queueArn(spec, "jobs")), false);
  });

  test("leave out Lambda's log groups and invoking the functions it runs in-process", () => {
    const api = spec.functions.api;
    assert.ok(api);
    const logs = `arn:aws:logs:eu-west-1:123456789012:log-group:${logGroupName(api)}:*`;
    assert.equal(allows("logs:PutLogEvents", logs), false);
    assert.equal(allows("lambda:InvokeFunction", functionArn(spec, "render")), false);
    assert.equal(allows("sqs:ReceiveMessage", queueArn(spec, "audit")), false);
  });

  test("report as the fleet's own principal", () => {
    assert.equal(
      fleetAssumedRoleArn(spec, web),
      "arn:aws:sts::123456789012:assumed-role/shop-web-server/web",
    );
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { synthesize } from "../../src/aws/synth.ts";
import type { Template } from "../../src/aws/template/template.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

function spec() {
  return normaliseApp({
    name: "shop",
    queues: { audit: {}, dlq: {} },
    functions: { bill: { handler: "src/bill.handler" } },
    buses: { orders: { description: "Order events" } },
    rules: {
      placed: {
        bus: "orders",
        pattern: { source: ["shop"] },
        targets: [
          {
            function: "bill",
            inputPath: "$.detail",
            deadLetter: "dlq",
            retryPolicy: { maximumRetryAttempts: 4 },
          },
          {
            queue: "audit",
            inputTransformer: { inputPathsMap: { id: "$.id" }, inputTemplate: '{"id": <id>}' },
          },
          { bus: "default" },
        ],
      },
      all: { pattern: { source: [{ prefix: "" }] }, targets: [{ queue: "audit", input: { n: 1 } }] },
    },
  });
}

async function template(): Promise<Template> {
  return synthesize(spec());
}

function props(t: Template, id: string): Record<string, unknown> {
  const resource = t.Resources[id];
  assert.ok(resource?.Properties, `${id} exists`);
  return resource.Properties as Record<string, unknown>;
}

describe("synth of EventBridge buses and rules", () => {
  test("writes a bus, rules with every target setting, and validates against AWS's schemas", async () => {
    const t = await template();
    assert.deepEqual(props(t, "OrdersEventBus"), { Name: "shop-orders", Description: "Order events" });
    const placed = props(t, "PlacedEventRule");
    assert.deepEqual(placed.EventBusName, { Ref: "OrdersEventBus" });
    assert.deepEqual(placed.EventPattern, { source: ["shop"] });
    const [bill, audit, bus] = placed.Targets as Record<string, unknown>[];
    assert.deepEqual(bill?.RetryPolicy, { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 86400 });
    assert.equal(bill?.InputPath, "$.detail");
    assert.deepEqual(bill?.DeadLetterConfig, { Arn: { "Fn::GetAtt": ["DlqQueue", "Arn"] } });
    assert.deepEqual(audit?.InputTransformer, {
      InputPathsMap: { id: "$.id" },
      InputTemplate: '{"id": <id>}',
    });
    assert.deepEqual(bus?.RoleArn, { "Fn::GetAtt": ["PlacedEventRuleRole", "Arn"] });
    assert.equal(props(t, "AllEventRule").EventBusName, "default");
    assert.equal((props(t, "AllEventRule").Targets as { Input: string }[])[0]?.Input, '{"n":1}');
    assert.deepEqual(await validateTemplate(t), []);
  });

  test("lets each function target be invoked only by its rule, and each queue receive only from its rules", async () => {
    const t = await template();
    const permission = props(t, "PlacedBillEventRulePermission");
    assert.equal(permission.Principal, "events.amazonaws.com");
    assert.deepEqual(permission.SourceArn, { "Fn::GetAtt": ["PlacedEventRule", "Arn"] });
    const policy = props(t, "AuditEventsQueuePolicy").PolicyDocument as {
      Statement: Record<string, unknown>[];
    };
    assert.deepEqual(policy.Statement[0]?.Condition, {
      ArnEquals: {
        "aws:SourceArn": [
          { "Fn::GetAtt": ["AllEventRule", "Arn"] },
          { "Fn::GetAtt": ["PlacedEventRule", "Arn"] },
        ],
      },
    });
    assert.ok(t.Resources.DlqEventsQueuePolicy, "the dead-letter queue accepts EventBridge's messages too");
  });

  test("describe draws buses, rules, their targets and dead-letter queues", () => {
    const graph = appGraph(spec());
    const ids = graph.nodes.map((n) => n.id);
    for (const id of ["bus:orders", "bus:default", "rule:placed", "rule:all"])
      assert.ok(ids.includes(id), id);
    const edges = graph.edges.map((e) => `${e.from} ${e.kind} ${e.to}`);
    for (const edge of [
      "bus:orders serves rule:placed",
      "rule:placed invokes function:bill",
      "rule:placed invokes queue:audit",
      "rule:placed invokes bus:default",
      "rule:placed dead-letter queue:dlq",
      "bus:default serves rule:all",
    ])
      assert.ok(edges.includes(edge), edge);
  });
});

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template } from "../../src/aws/template/template.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

function spec() {
  return normaliseApp({
    name: "shop",
    buses: { results: {} },
    functions: {
      charge: { handler: "src/charge.handler", async: { onSuccess: "results", onFailure: "default" } },
    },
  });
}

function props(t: Template, id: string): Record<string, unknown> {
  const resource = t.Resources[id];
  assert.ok(resource?.Properties, `${id} exists`);
  return resource.Properties as Record<string, unknown>;
}

describe("synth of event bus destinations for asynchronous invocation", () => {
  test("names each bus by its ARN and lets Lambda put events on exactly those buses", async () => {
    const t = await synthesize(spec());
    assert.deepEqual(props(t, "ChargeEventInvokeConfig").DestinationConfig, {
      OnSuccess: { Destination: { "Fn::GetAtt": ["ResultsEventBus", "Arn"] } },
      OnFailure: {
        Destination: {
          "Fn::Sub": `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/default`,
        },
      },
    });
    assert.equal(
      t.Resources.ChargeEventInvokeConfig?.DependsOn,
      undefined,
      "a bus is no function to wait for",
    );
    const policies = props(t, "ChargeRole").Policies as {
      PolicyDocument: { Statement: Record<string, unknown>[] };
    }[];
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const grant = statements.find((s) => s.Sid === "AsyncDestinationBuses");
    assert.deepEqual(grant?.Action, ["events:PutEvents"]);
    assert.deepEqual(grant?.Resource, [
      { "Fn::GetAtt": ["ResultsEventBus", "Arn"] },
      { "Fn::Sub": `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/default` },
    ]);
    assert.equal(
      statements.some((s) => s.Sid === "AsyncDestinationFunctions"),
      false,
      "a bus is not invoked as a function",
    );
    assert.deepEqual(await validateTemplate(t), []);
    assert.deepEqual(checkTemplatePolicies(t), []);
  });

  test("describe draws the on-success and on-failure edges to the buses", () => {
    const graph = appGraph(spec());
    const edges = graph.edges.map((e) => `${e.from} ${e.kind} ${e.to}`);
    assert.ok(edges.includes("function:charge on-success bus:results"), edges.join("\n"));
    assert.ok(edges.includes("function:charge on-failure bus:default"), edges.join("\n"));
    const ids = graph.nodes.map((n) => n.id);
    assert.ok(ids.includes("bus:results") && ids.includes("bus:default"), ids.join(", "));
  });
});

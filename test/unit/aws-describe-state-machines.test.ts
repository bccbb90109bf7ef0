import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { stateMachineGraph, stateMachineOutline } from "../../src/aws/describe/graph-state-machines.ts";
import { renderDescribeHtml } from "../../src/aws/describe/render-html.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import type { StateMachineSpec } from "../../src/model/state-machines.ts";

/** A machine with every shape describe draws: a task with Catch, a Choice, Parallel, Map, Wait, Fail. */
const ORDER: StateMachineSpec = {
  name: "order",
  stateMachineName: "shop-order",
  type: "STANDARD",
  queryLanguage: "JSONPath",
  definition: {
    StartAt: "Charge",
    States: {
      Charge: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "charge", "Payload.$": "$" },
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Refund" }],
        Next: "Paid?",
      },
      "Paid?": {
        Type: "Choice",
        Choices: [{ Variable: "$.paid", BooleanEquals: true, Next: "Ship" }],
        Default: "Wait",
      },
      Wait: { Type: "Wait", Seconds: 60, Next: "Charge" },
      Ship: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Pack", States: { Pack: { Type: "Pass", End: true } } },
          {
            StartAt: "Notify",
            States: {
              Notify: {
                Type: "Task",
                Resource: "arn:aws:states:::sqs:sendMessage",
                Parameters: { QueueUrl: "mail", "MessageBody.$": "$" },
                End: true,
              },
            },
          },
        ],
        Next: "Lines",
      },
      Lines: {
        Type: "Map",
        ItemProcessor: { StartAt: "Line", States: { Line: { Type: "Pass", End: true } } },
        Next: "Done",
      },
      Done: { Type: "Succeed" },
      Refund: { Type: "Fail", Error: "PaymentFailed" },
    },
  },
  references: [
    {
      statePath: ["Charge"],
      field: "Parameters.FunctionName",
      kind: "function",
      name: "charge",
      form: "arn",
      actions: ["lambda:InvokeFunction"],
    },
    {
      statePath: ["Ship", "branch 1", "Notify"],
      field: "Parameters.QueueUrl",
      kind: "queue",
      name: "mail",
      form: "url",
      actions: ["sqs:SendMessage"],
    },
  ],
  logging: { level: "OFF", includeExecutionData: false },
};

function spec(): AppSpec {
  const base = normaliseApp(
    {
      name: "shop",
      queues: { mail: {} },
      functions: { charge: { handler: "src/charge.handler" } },
    },
    { accountId: "123456789012" },
  );
  return { ...base, stateMachines: { order: ORDER } };
}

describe("describe: state machines", () => {
  test("draws each state and every way control moves: Next, Choice rules, Default, Catch, branches, Map", () => {
    const graph = stateMachineGraph(ORDER);
    const edges = graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}${e.label ? ` [${e.label}]` : ""}`);
    for (const edge of [
      "^start -next-> Charge",
      "Charge -next-> Paid?",
      "Charge -catch-> Refund [catch States.ALL]",
      "Paid? -choice-> Ship [$.paid BooleanEquals true]",
      "Paid? -default-> Wait [default]",
      "Wait -next-> Charge",
      "Ship -branch-> Ship/branch 0/Pack [branch 1]",
      "Ship -branch-> Ship/branch 1/Notify [branch 2]",
      "Ship/branch 0/Pack -join-> Lines",
      "Ship/branch 1/Notify -join-> Lines",
      "Lines -iterate-> Lines/Line [each item]",
      "Lines/Line -join-> Done",
      "Done -next-> ^end",
      "Refund -next-> ^end [fails]",
    ]) {
      assert.ok(edges.includes(edge), `${edge} in\n${edges.join("\n")}`);
    }
    const notify = graph.nodes.find((n) => n.id === "Ship/branch 1/Notify");
    assert.deepEqual(notify && { kind: notify.kind, detail: notify.detail, parent: notify.parent }, {
      kind: "Task",
      detail: "sqs:sendMessage · mail",
      parent: "Ship",
    });
    assert.equal(graph.nodes.find((n) => n.id === "Refund")?.detail, "PaymentFailed");
  });

  test("the app graph has the machine and an edge to each resource its tasks name", () => {
    const graph = appGraph(spec());
    const machine = graph.nodes.find((n) => n.id === "stateMachine:order");
    assert.deepEqual(machine && { kind: machine.kind, detail: machine.detail }, {
      kind: "stateMachine",
      detail: "STANDARD · 10 states",
    });
    const edges = graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`);
    assert.ok(edges.includes("stateMachine:order -tasks-> function:charge"));
    assert.ok(edges.includes("stateMachine:order -tasks-> queue:mail"));
  });

  test("prints the machine as an outline and draws it in the page", () => {
    const outline = stateMachineOutline(stateMachineGraph(ORDER));
    assert.match(
      outline,
      /^order \(STANDARD\)\n {2}start\n {4}next → Charge\n {2}Charge · Task · lambda:invoke · charge\n/,
    );
    assert.match(outline, /\n {4}Pack · Pass\n {6}join → Lines\n/);
    const html = renderDescribeHtml({
      spec: spec(),
      template: { AWSTemplateFormatVersion: "2010-09-09", Resources: {} } as never,
    });
    assert.match(html, /<section class="state-machine" data-state-machine="order">/);
    assert.match(html, /data-state-id="Ship\/branch 1\/Notify" data-kind="Task"/);
    assert.match(html, /data-edge-from="Charge" data-edge-to="Refund" data-kind="catch"/);
    assert.match(html, /1 state machine/);
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(http/i);
  });
});

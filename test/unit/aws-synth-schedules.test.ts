import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template } from "../../src/aws/template/template.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

const DEFINITION = {
  name: "shop",
  queues: { jobs: {}, ordered: { fifo: true } },
  functions: {
    report: { handler: "src/report.handler" },
    peak: {
      handler: "src/peak.handler",
      consumes: { queue: "jobs" },
      http: "GET /peak",
      provisionedConcurrency: {
        schedule: [
          { expression: "cron(45 11 * * ? *)", capacity: 250 },
          { expression: "cron(15 13 * * ? *)", capacity: 0 },
        ],
      },
    },
    steady: { handler: "src/steady.handler", provisionedConcurrency: 3 },
  },
  schedules: {
    nightly: { expression: "cron(0 2 * * ? *)", timezone: "Europe/Paris", target: { function: "report" } },
    tick: { expression: "rate(5 minutes)", target: { queue: "ordered", input: { n: 1 } } },
    busy: { expression: "rate(1 hour)", target: { function: "peak" } },
    paused: { expression: "rate(1 day)", target: { bus: "default" }, enabled: false },
  },
};

async function synth(): Promise<Template> {
  return synthesize(normaliseApp(DEFINITION, { accountId: "123456789012" }));
}

// biome-ignore lint/suspicious/noExplicitAny: template resources are checked structurally.
function resource(template: Template, id: string): any {
  const found = template.Resources[id];
  assert.ok(found, `no resource ${id}`);
  return found;
}

describe("synth of schedules and provisioned concurrency", () => {
  test("a schedule has its flexible time window off, its time zone, and {} as input when none is given", async () => {
    const schedule = resource(await synth(), "NightlySchedule");
    assert.equal(schedule.Type, "AWS::Scheduler::Schedule");
    assert.deepEqual(schedule.Properties.FlexibleTimeWindow, { Mode: "OFF" });
    assert.equal(schedule.Properties.ScheduleExpression, "cron(0 2 * * ? *)");
    assert.equal(schedule.Properties.ScheduleExpressionTimezone, "Europe/Paris");
    assert.equal(schedule.Properties.Target.Input, "{}");
    assert.deepEqual(schedule.Properties.Target.RoleArn, { "Fn::GetAtt": ["NightlyScheduleRole", "Arn"] });
    assert.equal(resource(await synth(), "PausedSchedule").Properties.State, "DISABLED");
  });

  test("each execution role may call only its target: InvokeFunction, SendMessage or PutEvents", async () => {
    const template = await synth();
    const statement = (id: string) => resource(template, id).Properties.Policies[0].PolicyDocument.Statement;
    assert.deepEqual(statement("NightlyScheduleRole"), [
      {
        Sid: "Target",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [
          {
            "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:shop-report`,
          },
        ],
      },
    ]);
    assert.deepEqual(statement("TickScheduleRole")[0].Action, ["sqs:SendMessage"]);
    assert.deepEqual(statement("TickScheduleRole")[0].Resource, [{ "Fn::GetAtt": ["OrderedQueue", "Arn"] }]);
    assert.deepEqual(statement("PausedScheduleRole")[0].Action, ["events:PutEvents"]);
    assert.deepEqual(resource(template, "TickSchedule").Properties.Target.SqsParameters, {
      MessageGroupId: "tick",
    });
    assert.deepEqual(checkTemplatePolicies(template), []);
  });

  test("a fixed provisioned concurrency is the live alias's config on a published version", async () => {
    const template = await synth();
    const alias = resource(template, "SteadyFunctionAlias");
    assert.equal(alias.Type, "AWS::Lambda::Alias");
    assert.equal(alias.Properties.Name, "live");
    assert.deepEqual(alias.Properties.ProvisionedConcurrencyConfig, { ProvisionedConcurrentExecutions: 3 });
    assert.deepEqual(alias.Properties.FunctionVersion, {
      "Fn::GetAtt": ["SteadyFunctionVersion", "Version"],
    });
    assert.equal(resource(template, "SteadyFunctionVersion").Type, "AWS::Lambda::Version");
  });

  test("scheduled provisioned concurrency is a scalable target with one scheduled action per step", async () => {
    const target = resource(await synth(), "PeakFunctionProvisionedConcurrency");
    assert.equal(target.Type, "AWS::ApplicationAutoScaling::ScalableTarget");
    assert.equal(target.Properties.ResourceId, "function:shop-peak:live");
    assert.equal(target.Properties.ScalableDimension, "lambda:function:ProvisionedConcurrency");
    assert.deepEqual(
      target.Properties.ScheduledActions.map((a: { Schedule: string; ScalableTargetAction: unknown }) => [
        a.Schedule,
        a.ScalableTargetAction,
      ]),
      [
        ["cron(45 11 * * ? *)", { MinCapacity: 250, MaxCapacity: 250 }],
        ["cron(15 13 * * ? *)", { MinCapacity: 0, MaxCapacity: 0 }],
      ],
    );
    assert.equal(target.Properties.MaxCapacity, 250);
  });

  test("the event source mapping, API integration and schedules of a provisioned function invoke its alias", async () => {
    const template = await synth();
    assert.deepEqual(resource(template, "PeakHttpIntegration").Properties.IntegrationUri, {
      Ref: "PeakFunctionAlias",
    });
    assert.deepEqual(resource(template, "PeakHttpApiPermission").Properties.FunctionName, {
      Ref: "PeakFunctionAlias",
    });
    assert.deepEqual(resource(template, "PeakEventSourceMapping").Properties.FunctionName, {
      Ref: "PeakFunctionAlias",
    });
    assert.deepEqual(resource(template, "BusySchedule").Properties.Target.Arn, {
      "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:shop-peak:live`,
    });
  });

  test("every generated resource is valid against AWS's resource schemas", async () => {
    assert.deepEqual(await validateTemplate(await synth()), []);
  });

  test("describe draws each schedule with an edge to its target", () => {
    const graph = appGraph(normaliseApp(DEFINITION));
    const edges = graph.edges
      .filter((e) => e.from.startsWith("schedule:"))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(edges, [
      "schedule:nightly -> function:report",
      "schedule:tick -> queue:ordered",
      "schedule:busy -> function:peak",
      "schedule:paused -> bus:default",
    ]);
    assert.equal(
      graph.nodes.find((n) => n.id === "schedule:nightly")?.detail,
      "cron(0 2 * * ? *) Europe/Paris",
    );
  });
});

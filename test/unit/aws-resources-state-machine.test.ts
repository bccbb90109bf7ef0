// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions placeholders and Fn::Sub text, CloudFormation's syntax, not templates.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { synthesize } from "../../src/aws/synth.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

const QUERY = {
  StartAt: "Run",
  States: {
    Run: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "worker", "Payload.$": "$" },
      Next: "Fan",
    },
    Fan: {
      Type: "Parallel",
      Branches: [
        {
          StartAt: "Send",
          States: {
            Send: {
              Type: "Task",
              Resource: "arn:aws:states:::sqs:sendMessage",
              Parameters: { QueueUrl: "jobs", "MessageBody.$": "$" },
              End: true,
            },
          },
        },
        {
          StartAt: "Save",
          States: {
            Save: {
              Type: "Task",
              Resource: "arn:aws:states:::dynamodb:putItem",
              Parameters: { TableName: "results", Item: { id: { "S.$": "$.id" } } },
              End: true,
            },
          },
        },
      ],
      End: true,
    },
  },
};

function spec(logging?: {
  level: "ALL" | "ERROR" | "FATAL" | "OFF";
  includeExecutionData?: boolean;
}): AppSpec {
  return normaliseApp(
    {
      name: "shop",
      queues: { jobs: {} },
      tables: { results: { partitionKey: { name: "id", type: "S" } } },
      functions: {
        worker: { handler: "src/worker.handler" },
        start: { handler: "src/start.handler", routes: "query" },
      },
      stateMachines: {
        query: { definition: QUERY, ...(logging ? { logging } : {}) },
        quick: { definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } }, type: "EXPRESS" },
      },
    } as never,
    { accountId: "123456789012" },
  );
}

type Props = Record<string, TemplateValue>;

function props(template: Template, id: string): Props {
  const resource = template.Resources[id];
  assert.ok(resource, `${id} is in the template`);
  return resource.Properties as Props;
}

function statements(template: Template, roleId: string): { Action: string[]; Resource: TemplateValue[] }[] {
  const policies = props(template, roleId).Policies as { PolicyDocument: { Statement: never[] } }[];
  return policies.flatMap((p) => p.PolicyDocument.Statement);
}

describe("synth: AWS::StepFunctions::StateMachine", () => {
  test("writes the definition with a placeholder per Sluice name and the substitutions that fill them", async () => {
    const template = await synthesize(spec());
    const machine = props(template, "QueryStateMachine");
    assert.equal(template.Resources.QueryStateMachine?.Type, "AWS::StepFunctions::StateMachine");
    assert.equal(machine.StateMachineName, "shop-query");
    assert.equal(machine.StateMachineType, "STANDARD");
    assert.deepEqual(machine.RoleArn, { "Fn::GetAtt": ["QueryStateMachineRole", "Arn"] });
    const definition = machine.Definition as unknown as typeof QUERY;
    assert.equal(definition.States.Run.Parameters.FunctionName, "${WorkerFunction}");
    assert.equal(definition.States.Fan.Branches[0]?.States.Send?.Parameters.QueueUrl, "${JobsQueue}");
    assert.equal(definition.States.Fan.Branches[1]?.States.Save?.Parameters.TableName, "${ResultsTable}");
    // Everything else as written.
    assert.equal(definition.States.Run.Parameters["Payload.$"], "$");
    assert.deepEqual(machine.DefinitionSubstitutions, {
      WorkerFunction: {
        "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:shop-worker",
      },
      JobsQueue: { Ref: "JobsQueue" },
      ResultsTable: { Ref: "ResultsTable" },
    });
    assert.deepEqual(machine.TracingConfiguration, { Enabled: false });
    assert.deepEqual(machine.LoggingConfiguration, { Level: "OFF", IncludeExecutionData: false });
    assert.equal(
      template.Resources.QueryStateMachineLogGroup,
      undefined,
      "no log group while logging is off",
    );
    assert.deepEqual(template.Outputs?.QueryStateMachineArn?.Value, { Ref: "QueryStateMachine" });
  });

  test("an EXPRESS machine logs errors to /aws/vendedlogs/states/<name> with the app's retention", async () => {
    const template = await synthesize(spec(), { logRetentionDays: 14 });
    const quick = props(template, "QuickStateMachine");
    assert.equal(quick.StateMachineType, "EXPRESS");
    assert.equal(quick.DefinitionSubstitutions, undefined, "nothing to substitute");
    assert.deepEqual(props(template, "QuickStateMachineLogGroup"), {
      LogGroupName: "/aws/vendedlogs/states/shop-quick",
      RetentionInDays: 14,
    });
    assert.deepEqual(quick.LoggingConfiguration, {
      Level: "ERROR",
      IncludeExecutionData: false,
      Destinations: [
        { CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": ["QuickStateMachineLogGroup", "Arn"] } } },
      ],
    });
  });

  test("the machine's role trusts Step Functions and allows exactly its tasks on exactly their resources", async () => {
    const template = await synthesize(spec());
    const role = props(template, "QueryStateMachineRole");
    assert.deepEqual(role.AssumeRolePolicyDocument, {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    const granted = statements(template, "QueryStateMachineRole").map(
      (s) => [s.Action, s.Resource] as [string[], TemplateValue[]],
    );
    const functionArn = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:shop-worker";
    assert.ok(
      granted.some(
        ([actions, resources]) =>
          JSON.stringify(actions) === '["lambda:InvokeFunction"]' &&
          JSON.stringify(resources).includes(JSON.stringify(functionArn)),
      ),
      JSON.stringify(granted),
    );
    assert.ok(
      granted.some(
        ([actions, resources]) =>
          JSON.stringify(actions) === '["sqs:SendMessage"]' &&
          JSON.stringify(resources) === JSON.stringify([{ "Fn::GetAtt": ["JobsQueue", "Arn"] }]),
      ),
      JSON.stringify(granted),
    );
    assert.ok(
      granted.some(
        ([actions, resources]) =>
          JSON.stringify(actions) === '["dynamodb:PutItem"]' &&
          JSON.stringify(resources).includes('{"Fn::GetAtt":["ResultsTable","Arn"]}'),
      ),
      JSON.stringify(granted),
    );
    for (const [actions] of granted) {
      for (const action of actions) assert.doesNotMatch(action, /\*/);
    }
  });

  test("a function that routes to the machine may start it and finds its ARN; nothing depends on the machine", async () => {
    const template = await synthesize(spec());
    const start = statements(template, "StartRole").find((s) => s.Action.includes("states:StartExecution"));
    assert.deepEqual(start?.Resource, [
      { "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:shop-query" },
    ]);
    const environment = props(template, "StartFunction").Environment as { Variables: Props };
    assert.deepEqual(environment.Variables.SLUICE_STATE_MACHINE_QUERY_ARN, {
      "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:shop-query",
    });
    // A Ref or GetAtt of the machine from a function would make a cycle when the machine invokes it.
    const text = JSON.stringify({ ...template.Resources, QueryStateMachine: undefined });
    assert.doesNotMatch(text, /"Ref":"QueryStateMachine"|"QueryStateMachine","Arn"/);
  });

  test("a machine that runs another with `.sync` may start it, watch its executions and use the managed rule", async () => {
    const base = spec();
    const parent = normaliseApp(
      {
        name: "shop",
        functions: { worker: { handler: "src/worker.handler" } },
        stateMachines: {
          child: { definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } },
          parent: {
            definition: {
              StartAt: "Run",
              States: {
                Run: {
                  Type: "Task",
                  Resource: "arn:aws:states:::states:startExecution.sync:2",
                  Parameters: { StateMachineArn: "child", "Input.$": "$" },
                  End: true,
                },
              },
            },
          },
        },
      } as never,
      { accountId: base.accountId },
    );
    const template = await synthesize(parent);
    const machine = props(template, "ParentStateMachine");
    assert.equal(
      (machine.Definition as { States: { Run: { Parameters: { StateMachineArn: string } } } }).States.Run
        .Parameters.StateMachineArn,
      "${ChildStateMachine}",
    );
    const childArn = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:shop-child";
    assert.deepEqual(machine.DefinitionSubstitutions, { ChildStateMachine: { "Fn::Sub": childArn } });
    const granted = Object.fromEntries(
      statements(template, "ParentStateMachineRole").flatMap((s) => s.Action.map((a) => [a, s.Resource])),
    );
    assert.deepEqual(granted["states:StartExecution"], [{ "Fn::Sub": childArn }]);
    assert.deepEqual(granted["states:DescribeExecution"], [
      { "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:shop-child:*" },
    ]);
    assert.deepEqual(granted["events:PutRule"], [
      {
        "Fn::Sub":
          "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
      },
    ]);
    assert.deepEqual(checkTemplatePolicies(template), []);
  });

  test("the template is valid against AWS's resource schemas and the least-privilege check", async () => {
    const template = await synthesize(spec({ level: "ALL", includeExecutionData: true }));
    assert.deepEqual(await validateTemplate(template), []);
    assert.deepEqual(checkTemplatePolicies(template), []);
  });

  test("a definition change changes only the machine's Definition, so deploy updates it in place", async () => {
    const before = await synthesize(spec());
    const changed = structuredClone(QUERY);
    changed.States.Run.Parameters["Payload.$"] = "$.order";
    const after = await synthesize(
      normaliseApp(
        {
          name: "shop",
          queues: { jobs: {} },
          tables: { results: { partitionKey: { name: "id", type: "S" } } },
          functions: {
            worker: { handler: "src/worker.handler" },
            start: { handler: "src/start.handler", routes: "query" },
          },
          stateMachines: {
            query: { definition: changed },
            quick: {
              definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } },
              type: "EXPRESS",
            },
          },
        } as never,
        { accountId: "123456789012" },
      ),
    );
    const differing = Object.keys(after.Resources).filter(
      (id) => JSON.stringify(after.Resources[id]) !== JSON.stringify(before.Resources[id]),
    );
    assert.deepEqual(differing, ["QueryStateMachine"]);
    const a = props(before, "QueryStateMachine");
    const b = props(after, "QueryStateMachine");
    const keys = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    assert.deepEqual(keys, ["Definition"], "StateMachineName and StateMachineType, which replace it, stay");
  });

  test("a machine that invokes the very function that starts it leaves no cycle, its Map children named in the stack's account", async () => {
    const template = await synthesize(
      normaliseApp(
        {
          name: "shop",
          functions: { worker: { handler: "src/worker.handler", routes: "query" } },
          stateMachines: {
            query: {
              definition: {
                StartAt: "Run",
                States: {
                  Run: {
                    Type: "Task",
                    Resource: "arn:aws:states:::lambda:invoke",
                    Parameters: { FunctionName: "worker", "Payload.$": "$" },
                    Next: "Each",
                  },
                  Each: {
                    Type: "Map",
                    ItemProcessor: {
                      ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
                      StartAt: "P",
                      States: { P: { Type: "Pass", End: true } },
                    },
                    End: true,
                  },
                },
              },
            },
          },
        } as never,
        { accountId: "123456789012" },
      ),
    );
    // Every resource a resource names (Ref, GetAtt, Fn::Sub's ${Id}, DependsOn), searched for a cycle.
    const named = (value: unknown, out: Set<string>): Set<string> => {
      if (Array.isArray(value)) for (const item of value) named(item, out);
      else if (value !== null && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) {
          if (key === "Ref" && typeof inner === "string") out.add(inner);
          else if (key === "Fn::GetAtt" && Array.isArray(inner)) out.add(String(inner[0]));
          else if (key === "Fn::Sub" && typeof inner === "string") {
            for (const m of inner.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) out.add(String(m[1]));
          } else named(inner, out);
        }
      }
      return out;
    };
    const edges = new Map(
      Object.entries(template.Resources).map(([id, r]) => [
        id,
        [...named(r.Properties, new Set([r.DependsOn ?? []].flat()))].filter((d) => template.Resources[d]),
      ]),
    );
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (edges.get(from) ?? []).some((d) => {
        if (d === to) return true;
        if (seen.has(d)) return false;
        seen.add(d);
        return reaches(d, to, seen);
      });
    for (const id of edges.keys()) assert.equal(reaches(id, id), false, `${id} depends on itself`);
    const granted = Object.fromEntries(
      statements(template, "QueryStateMachineRole").flatMap((s) => s.Action.map((a) => [a, s.Resource])),
    );
    assert.deepEqual(granted["states:DescribeExecution"], [
      { "Fn::Sub": "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:shop-query/*" },
    ]);
  });
});

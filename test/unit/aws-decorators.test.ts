import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defineDecorators } from "../../src/aws/decorators/decorators.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { defineApp } from "../../src/model/define-app.ts";
import type { SluiceError } from "../../src/model/errors.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { goldenApps, synthCopy } from "../support/aws-golden.ts";
import { validateTemplate } from "../support/aws-schema.ts";

const app = defineApp({
  name: "deco",
  queues: { jobs: {} },
  functions: {
    work: { handler: "src/work.handler", consumes: { queue: "jobs" } },
    report: { handler: "src/report.handler" },
  },
});
const spec = normaliseApp(app);

describe("decorators", () => {
  test("change generated resources, add resources and outputs, in definition order then the app's", async () => {
    const calls: string[] = [];
    const template = await synthesize(spec, {
      decorators: defineDecorators<typeof app>({
        everyFunction: (fn) => {
          calls.push(`every:${fn.name}`);
          fn.setEnvironment("TEAM", "media");
        },
        functions: {
          work: (fn, { template }) => {
            calls.push("work");
            fn.function.Properties.MemorySize = 2048;
            fn.addToRolePolicy({
              Sid: "ReadTable",
              Effect: "Allow",
              Action: ["dynamodb:GetItem"],
              Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/t",
            });
            template.addOutput("WorkRoleArn", { Value: { "Fn::GetAtt": [fn.logicalIds.role, "Arn"] } });
          },
        },
        app: ({ template }) => {
          calls.push("app");
          template.addResource("Topic", {
            Type: "AWS::SNS::Topic",
            Properties: { TopicName: "deco-alerts" },
          });
          const jobs = template.resource("JobsQueue");
          jobs.Properties = { ...jobs.Properties, VisibilityTimeout: 90 };
        },
      }),
    });
    assert.deepEqual(calls, ["every:work", "work", "every:report", "app"]);
    assert.equal(template.Resources.WorkFunction?.Properties?.MemorySize, 2048);
    const report = template.Resources.ReportFunction?.Properties?.Environment as
      | { Variables: object }
      | undefined;
    assert.deepEqual(report?.Variables, { TEAM: "media" });
    assert.equal(template.Resources.Topic?.Type, "AWS::SNS::Topic");
    assert.equal(template.Resources.JobsQueue?.Properties?.VisibilityTimeout, 90);
    assert.ok(template.Outputs.WorkRoleArn);
    const policy = template.Resources.WorkRole?.Properties?.Policies as {
      PolicyDocument: { Statement: { Sid: string }[] };
    }[];
    assert.ok(policy[0]?.PolicyDocument.Statement.some((s) => s.Sid === "ReadTable"));
    assert.deepEqual(await validateTemplate(template), []);
  });

  test("fail clearly when they reuse a logical ID, naming who holds it", async () => {
    await assert.rejects(
      synthesize(spec, {
        decorators: {
          app: ({ template }) => void template.addResource("WorkRole", { Type: "AWS::IAM::Role" }),
        },
      }),
      (error: SluiceError) => {
        assert.equal(error.code, "SLUICE_LOGICAL_ID_CONFLICT");
        assert.equal(
          error.message,
          'the app decorator tried to add logical ID WorkRole, which function "work" already uses. Pick another ID, or change the existing resource with template.resource("WorkRole").',
        );
        return true;
      },
    );
    await assert.rejects(
      synthesize(spec, {
        decorators: {
          functions: {
            work: (_fn, { template }) => void template.addParameter("ArtifactBucket", { Type: "String" }),
          },
        },
      }),
      /the decorator of function "work" tried to add logical ID ArtifactBucket, which Sluice already uses/,
    );
    await assert.rejects(
      synthesize(spec, {
        decorators: { app: ({ template }) => void template.addOutput("JobsQueueUrl", { Value: "x" }) },
      }),
      /the app decorator tried to add output JobsQueueUrl, which queue "jobs" already uses/,
    );
  });

  test("are checked: unknown functions, invalid IDs, dangling references and wildcard grants fail synth", async () => {
    await assert.rejects(
      synthesize(spec, { decorators: { functions: { wrok: () => {} } as never } }),
      /decorators name functions the app does not have: wrok; its functions are work, report/,
    );
    await assert.rejects(
      synthesize(spec, {
        decorators: {
          app: ({ template }) => void template.addResource("my-topic", { Type: "AWS::SNS::Topic" }),
        },
      }),
      /the app decorator used the logical ID "my-topic"; CloudFormation allows 1–255 letters and digits/,
    );
    await assert.rejects(
      synthesize(spec, {
        decorators: {
          functions: {
            work: (fn) => {
              fn.setEnvironment("PEER", { "Fn::GetAtt": ["Missing", "Arn"] });
              fn.addToRolePolicy({ Effect: "Allow", Action: "s3:*", Resource: "*" });
            },
          },
        },
      }),
      (error: SluiceError) => {
        assert.match(error.message, /resource WorkFunction: Fn::GetAtt of unknown resource Missing/);
        assert.match(error.message, /action "s3:\*" is a wildcard/);
        return true;
      },
    );
    await assert.rejects(
      synthesize(spec, {
        decorators: {
          app: () => {
            throw new TypeError("boom");
          },
        },
      }),
      /the app decorator failed: boom/,
    );
  });

  test("express a mixed topology: the function's zip also runs on EC2 behind an Auto Scaling group", async () => {
    const mixed = goldenApps().find((a) => a.name === "mixed-ec2");
    assert.ok(mixed);
    const template = await synthCopy(mixed);
    const types = Object.fromEntries(Object.entries(template.Resources).map(([id, r]) => [id, r.Type]));
    assert.equal(types.ResizeFunction, "AWS::Lambda::Function");
    assert.equal(types.ResizeAutoScalingGroup, "AWS::AutoScaling::AutoScalingGroup");
    assert.equal(types.ResizeLaunchTemplate, "AWS::EC2::LaunchTemplate");
    assert.equal(types.ResizeInstanceProfile, "AWS::IAM::InstanceProfile");
    const data = template.Resources.ResizeLaunchTemplate?.Properties?.LaunchTemplateData as {
      UserData: { "Fn::Base64": { "Fn::Join": [string, unknown[]] } };
    };
    const parts = data.UserData["Fn::Base64"]["Fn::Join"][1];
    // The same artifact the function deploys, and the same queues, resolved at deploy time.
    assert.ok(parts.some((p) => JSON.stringify(p) === '{"Ref":"ResizeCodeKey"}'));
    assert.ok(parts.some((p) => JSON.stringify(p) === '{"Ref":"JobsQueue"}'));
    assert.ok(
      parts.some((p) => typeof p === "string" && p.includes('import { handler } from "./index.mjs"')),
    );
    const env = template.Resources.ResizeFunction?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    assert.equal(env.Variables.RUNS_ON, "lambda");
    assert.deepEqual(await validateTemplate(template), []);
  });
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Template } from "../../src/aws/template/template.ts";
import { GOLDEN_DIR } from "../support/aws-golden.ts";
import { validateTemplate } from "../support/aws-schema.ts";

function pipeline(): Template {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, "pipeline.template.json"), "utf8"));
}

function props(template: Template, id: string): Record<string, unknown> {
  const resource = template.Resources[id];
  assert.ok(resource?.Properties, `${id} exists`);
  return resource.Properties as Record<string, unknown>;
}

describe("the schema validator (so a passing validation means something)", () => {
  test("rejects an unknown resource type", async () => {
    const template = pipeline();
    template.Resources.Bogus = { Type: "AWS::SQS::Queues", Properties: {} };
    assert.match(
      (await validateTemplate(template)).join("\n"),
      /Bogus: unknown resource type AWS::SQS::Queues/,
    );
  });

  test("rejects an unknown property and a missing required one", async () => {
    const template = pipeline();
    props(template, "PagesQueue").VisibilityTimeoutSeconds = 30;
    delete props(template, "IngestRole").AssumeRolePolicyDocument;
    const problems = (await validateTemplate(template)).join("\n");
    assert.match(problems, /PagesQueue\(AWS::SQS::Queue\): unknown property VisibilityTimeoutSeconds/);
    assert.match(
      problems,
      /IngestRole\(AWS::IAM::Role\): required property AssumeRolePolicyDocument is missing/,
    );
  });

  test("rejects a value of the wrong type, in nested property types too", async () => {
    const template = pipeline();
    props(template, "IngestFunction").MemorySize = "256";
    (
      props(template, "RenderEventSourceMapping").ScalingConfig as Record<string, unknown>
    ).MaximumConcurrency = true;
    const problems = (await validateTemplate(template)).join("\n");
    assert.match(problems, /IngestFunction\(AWS::Lambda::Function\)\.MemorySize: expected an integer/);
    assert.match(problems, /ScalingConfig\.MaximumConcurrency: expected an integer/);
  });

  test("rejects a value outside the allowed values", async () => {
    const template = pipeline();
    props(template, "IngestLogGroup").RetentionInDays = 31;
    assert.match(
      (await validateTemplate(template)).join("\n"),
      /RetentionInDays: 31 is not one of 1, 3, 5, 7, 14, 30/,
    );
  });

  test("rejects Fn::GetAtt of an attribute the resource type does not have", async () => {
    const template = pipeline();
    props(template, "IngestFunction").Role = { "Fn::GetAtt": ["IngestRole", "RoleArn"] };
    assert.match((await validateTemplate(template)).join("\n"), /AWS::IAM::Role has no attribute RoleArn/);
  });
});

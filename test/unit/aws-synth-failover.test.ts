import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { synthesize } from "../../src/aws/synth.ts";
import { type StackTemplate, synthAppStacks } from "../../src/aws/synth-app.ts";
import { synthGlobal, synthGlobalTables } from "../../src/aws/synth-global.ts";
import { checkTemplatePolicies } from "../../src/aws/template/policy-check.ts";
import type { Template } from "../../src/aws/template/template.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { GOLDEN_DIR, ROOT } from "../support/aws-golden.ts";
import { validateTemplate } from "../support/aws-schema.ts";

const UPDATE = process.env.SLUICE_UPDATE_GOLDEN === "1";
const FIXTURE = join(ROOT, "test", "fixtures", "apps", "failover-golden");

let stacks: StackTemplate[] = [];
let dir = "";

before(async () => {
  // A copy, so loading the app leaves nothing in the repository.
  dir = mkdtempSync(join(tmpdir(), "sluice-failover-"));
  cpSync(FIXTURE, dir, { recursive: true, filter: (path) => !path.includes(".sluice") });
  stacks = await synthAppStacks(await loadApp(dir));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function stack(part: StackTemplate["part"], region: string): Template {
  const found = stacks.find((s) => s.part === part && s.region === region);
  assert.ok(
    found,
    `a ${part} template for ${region} (have ${stacks.map((s) => `${s.part}/${s.region}`).join(", ")})`,
  );
  return found.template;
}

function props(template: Template, id: string): Record<string, unknown> {
  const resource = template.Resources[id];
  assert.ok(resource?.Properties, `${id} exists`);
  return resource.Properties as Record<string, unknown>;
}

function ofType(template: Template, type: string): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);
}

describe("synth of a failover app: every stack, golden and schema-valid", () => {
  test("the stacks come in deploy order: global tables (primary), each region, the global stack in us-east-1", () => {
    assert.deepEqual(
      stacks.map((s) => `${s.part}/${s.region}`),
      ["global-tables/us-east-1", "regional/us-east-1", "regional/us-west-2", "global/us-east-1"],
    );
  });

  for (const [part, region, file] of [
    ["global-tables", "us-east-1", "failover-golden.global-tables.template.json"],
    ["regional", "us-west-2", "failover-golden.us-west-2.template.json"],
    ["global", "us-east-1", "failover-golden.global.template.json"],
  ] as const) {
    test(`the ${part} template of ${region} matches test/golden/${file}, and AWS's schemas`, async () => {
      const text = `${JSON.stringify(stack(part, region), null, 2)}\n`;
      const path = join(GOLDEN_DIR, file);
      if (UPDATE) writeFileSync(path, text);
      assert.ok(existsSync(path), `${path} is missing: run \`npm run golden\``);
      assert.equal(text, readFileSync(path, "utf8"), `the ${part} template changed: run \`npm run golden\``);
      assert.deepEqual(await validateTemplate(stack(part, region)), []);
      assert.deepEqual(checkTemplatePolicies(stack(part, region)), []);
    });
  }

  test("the primary region's template is the golden one of the app (synthApp's, as a one-region app's)", async () => {
    assert.deepEqual(await validateTemplate(stack("regional", "us-east-1")), []);
    assert.equal(
      `${JSON.stringify(stack("regional", "us-east-1"), null, 2)}\n`,
      readFileSync(join(GOLDEN_DIR, "failover-golden.template.json"), "utf8"),
    );
  });
});

describe("global tables", () => {
  test("a global table is no AWS::DynamoDB::Table of any regional stack; a regional table still is", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      assert.deepEqual(ofType(stack("regional", region), "AWS::DynamoDB::Table"), ["VisitsTable"]);
      assert.deepEqual(ofType(stack("regional", region), "AWS::DynamoDB::GlobalTable"), []);
    }
  });

  test("it is one AWS::DynamoDB::GlobalTable with a replica per region, both images streamed, on demand", () => {
    const table = props(stack("global-tables", "us-east-1"), "HelloGlobalTable");
    assert.equal(table.TableName, "failover-golden-hello");
    assert.equal(table.BillingMode, "PAY_PER_REQUEST");
    assert.deepEqual(table.StreamSpecification, { StreamViewType: "NEW_AND_OLD_IMAGES" });
    assert.deepEqual(table.KeySchema, [{ AttributeName: "HelloKey", KeyType: "HASH" }]);
    assert.deepEqual(table.TimeToLiveSpecification, { AttributeName: "expiresAt", Enabled: true });
    assert.deepEqual(
      (table.Replicas as { Region: string }[]).map((r) => r.Region),
      ["us-east-1", "us-west-2"],
    );
  });

  test("each region's role reaches its own replica by name, and the function reads the name itself", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const template = stack("regional", region);
      const text = JSON.stringify(props(template, "ApiRole"));
      assert.match(
        text,
        /arn:\$\{AWS::Partition\}:dynamodb:\$\{AWS::Region\}:\$\{AWS::AccountId\}:table\/failover-golden-hello"/,
      );
      assert.doesNotMatch(text, /HelloTable|HelloGlobalTable/);
      const variables = (props(template, "ApiFunction").Environment as { Variables: Record<string, unknown> })
        .Variables;
      assert.equal(variables.SLUICE_TABLE_HELLO_NAME, "failover-golden-hello");
    }
  });

  test("a consumer's mapping reads its region's replica stream from a parameter deploy fills", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const template = stack("regional", region);
      assert.deepEqual(props(template, "AuditEventSourceMapping").EventSourceArn, { Ref: "HelloStreamArn" });
      assert.equal(template.Parameters.HelloStreamArn?.Type, "String");
    }
  });

  test("no global table, no global table stack; a one-region app's spec has exactly one template", async () => {
    const spec = stripFailover(await primarySpec());
    assert.equal(synthGlobalTables(spec), undefined);
    assert.equal(synthGlobal(spec), undefined);
    const template = await synthesize(spec);
    assert.deepEqual(ofType(template, "AWS::DynamoDB::Table").sort(), ["HelloTable", "VisitsTable"]);
    assert.equal(template.Parameters.HostedZoneId, undefined);
  });
});

describe("regional custom domains", () => {
  test("each region has its own DNS-validated certificate, a REGIONAL domain name with it, and a mapping to the stage", () => {
    for (const region of ["us-east-1", "us-west-2"]) {
      const template = stack("regional", region);
      assert.deepEqual(props(template, "ApiCertificate"), {
        DomainName: "api.example.com",
        ValidationMethod: "DNS",
        DomainValidationOptions: [{ DomainName: "api.example.com", HostedZoneId: { Ref: "HostedZoneId" } }],
      });
      const domain = props(template, "ApiDomainName");
      assert.deepEqual(domain.DomainNameConfigurations, [
        { CertificateArn: { Ref: "ApiCertificate" }, EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2" },
      ]);
      assert.deepEqual(props(template, "ApiDomainMapping"), {
        ApiId: { Ref: "HttpApi" },
        DomainName: { Ref: "ApiDomainName" },
        Stage: { Ref: "HttpApiStage" },
      });
      assert.deepEqual(template.Outputs.ApiDomainTarget?.Value, {
        "Fn::GetAtt": ["ApiDomainName", "RegionalDomainName"],
      });
      assert.deepEqual(template.Outputs.ApiDomainHostedZoneId?.Value, {
        "Fn::GetAtt": ["ApiDomainName", "RegionalHostedZoneId"],
      });
      assert.ok(template.Outputs.HttpApiHost);
    }
  });
});

describe("the global stack", () => {
  test("a health check per region: HTTPS to the API's own host, the health path with the secret parameter, interval and threshold", () => {
    const template = stack("global", "us-east-1");
    for (const [id, region] of [
      ["UsEast1", "us-east-1"],
      ["UsWest2", "us-west-2"],
    ] as const) {
      assert.deepEqual(props(template, `${id}HealthCheck`).HealthCheckConfig, {
        Type: "HTTPS",
        FullyQualifiedDomainName: { Ref: `${id}ApiHost` },
        Port: 443,
        EnableSNI: true,
        ResourcePath: { "Fn::Sub": `/health?healthCheckerId=\${${id}HealthCheckerId}` },
        RequestInterval: 10,
        FailureThreshold: 2,
      });
      assert.equal(template.Parameters[`${id}HealthCheckerId`]?.NoEcho, true, region);
    }
  });

  test("failover routing: the primary's record is PRIMARY, the secondary's SECONDARY, aliases with their health checks", () => {
    const template = stack("global", "us-east-1");
    assert.deepEqual(props(template, "UsEast1RecordSet"), {
      HostedZoneId: { Ref: "HostedZoneId" },
      Name: "api.example.com.",
      Type: "A",
      SetIdentifier: "us-east-1",
      AliasTarget: {
        DNSName: { Ref: "UsEast1DomainTarget" },
        HostedZoneId: { Ref: "UsEast1DomainHostedZoneId" },
        EvaluateTargetHealth: false,
      },
      Failover: "PRIMARY",
      HealthCheckId: { Ref: "UsEast1HealthCheck" },
    });
    const secondary = props(template, "UsWest2RecordSet");
    assert.equal(secondary.Failover, "SECONDARY");
    assert.equal(secondary.Region, undefined);
    assert.deepEqual(secondary.HealthCheckId, { Ref: "UsWest2HealthCheck" });
  });

  test("latency routing: one record per region with its Region and SetIdentifier, no Failover", async () => {
    const spec = await primarySpec();
    const latency: AppSpec = {
      ...spec,
      regions: { primary: "us-east-1", secondary: ["us-west-2", "eu-west-1"] },
      domain: { ...(spec.domain as NonNullable<AppSpec["domain"]>), routing: "latency" },
    };
    const template = synthGlobal(latency);
    assert.ok(template);
    for (const [id, region] of [
      ["UsEast1", "us-east-1"],
      ["UsWest2", "us-west-2"],
      ["EuWest1", "eu-west-1"],
    ] as const) {
      const record = props(template, `${id}RecordSet`);
      assert.equal(record.Region, region);
      assert.equal(record.SetIdentifier, region);
      assert.equal(record.Failover, undefined);
      assert.deepEqual(record.HealthCheckId, { Ref: `${id}HealthCheck` });
    }
    assert.deepEqual(await validateTemplate(template), []);
  });

  test("an alarm per check on AWS/Route53 HealthCheckStatus below 1, notifying an email subscription", () => {
    const template = stack("global", "us-east-1");
    const alarm = props(template, "UsWest2HealthAlarm");
    assert.equal(alarm.Namespace, "AWS/Route53");
    assert.equal(alarm.MetricName, "HealthCheckStatus");
    assert.deepEqual(alarm.Dimensions, [{ Name: "HealthCheckId", Value: { Ref: "UsWest2HealthCheck" } }]);
    assert.equal(alarm.ComparisonOperator, "LessThanThreshold");
    assert.equal(alarm.Threshold, 1);
    assert.equal(alarm.Period, 60);
    assert.deepEqual(alarm.AlarmActions, [{ Ref: "HealthAlarmTopic" }]);
    assert.deepEqual(props(template, "HealthAlarmEmail"), {
      TopicArn: { Ref: "HealthAlarmTopic" },
      Protocol: "email",
      Endpoint: "ops@example.com",
    });
  });

  test("without alarmEmail: alarms but no topic; on a named stage the checked path carries the stage", async () => {
    const spec = await primarySpec();
    const api = spec.functions.api;
    assert.ok(api?.health?.route53 && spec.http);
    const quiet: AppSpec = {
      ...spec,
      http: { ...spec.http, stage: "v1" },
      functions: {
        ...spec.functions,
        api: { ...api, health: { ...api.health, route53: { intervalSeconds: 30, failureThreshold: 3 } } },
      },
    };
    const template = synthGlobal(quiet);
    assert.ok(template);
    assert.deepEqual(ofType(template, "AWS::SNS::Topic"), []);
    assert.equal(props(template, "UsEast1HealthAlarm").AlarmActions, undefined);
    assert.deepEqual(
      (props(template, "UsEast1HealthCheck").HealthCheckConfig as Record<string, unknown>).ResourcePath,
      { "Fn::Sub": `/v1/health?healthCheckerId=\${UsEast1HealthCheckerId}` },
    );
  });
});

async function primarySpec(): Promise<AppSpec> {
  return (await loadApp(dir)).spec;
}

/** The app as one region would have it: no regions, no domain, regional tables. */
function stripFailover(spec: AppSpec): AppSpec {
  const { regions: _regions, domain: _domain, ...rest } = spec;
  const tables = Object.fromEntries(
    Object.entries(spec.tables ?? {}).map(([name, { global: _global, ...table }]) => [name, table]),
  );
  const functions = Object.fromEntries(
    Object.entries(spec.functions).map(([name, fn]) => [
      name,
      fn.health ? { ...fn, health: { ...fn.health, route53: undefined } } : fn,
    ]),
  );
  return { ...rest, tables, functions } as AppSpec;
}

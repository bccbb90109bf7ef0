import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { Route53Client } from "@aws-sdk/client-route-53";
import type { DeployEvent } from "../../src/aws/deploy/deploy-events.ts";
import {
  type AppDeployOptions,
  deployApp,
  type GlobalPartResult,
  globalParameters,
} from "../../src/aws/deploy/deploy-global.ts";
import type { RegionDeployResult } from "../../src/aws/deploy/deploy-region.ts";
import { summarise } from "../../src/aws/deploy/health-status.ts";
import { hostedZoneId } from "../../src/aws/deploy/lookups.ts";
import { deployParameters } from "../../src/aws/deploy/parameters.ts";
import { DEFAULT_POLLING } from "../../src/aws/deploy/polling.ts";
import { stageStacks } from "../../src/aws/deploy/stacks.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { synthGlobal } from "../../src/aws/synth-global.ts";
import { type LoadedApp, loadApp } from "../../src/bundle/load-app.ts";
import { ROOT } from "../support/aws-golden.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "failover-golden");
let app: LoadedApp;
let dir = "";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sluice-failover-deploy-"));
  cpSync(FIXTURE, dir, { recursive: true, filter: (path) => !path.includes(".sluice") });
  app = await loadApp(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A regional deploy's result as deployRegion returns it, with the custom domain's outputs. */
function regionResult(region: string, overrides: Partial<RegionDeployResult> = {}): RegionDeployResult {
  return {
    region,
    strategy: "in-place",
    stackName: `failover-golden-dev`,
    outcome: "deployed",
    finalStatus: "CREATE_COMPLETE",
    failures: [],
    outputs: {
      ApiDomainTarget: `d-${region}.execute-api.${region}.example`,
      ApiDomainHostedZoneId: `Z${region.replaceAll("-", "").toUpperCase()}`,
      HttpApiHost: `api-${region}.execute-api.${region}.example`,
    },
    generation: 1,
    artifacts: { uploaded: 0, skipped: 0 },
    functions: [],
    healthCheckerIds: { api: `secret-${region}` },
    ...overrides,
  };
}

function partResult(
  part: "global-tables" | "global",
  region: string,
  outcome: "deployed" | "failed",
): GlobalPartResult {
  return {
    part,
    region,
    stackName: `failover-golden-dev-${part}`,
    outcome,
    finalStatus: outcome === "deployed" ? "CREATE_COMPLETE" : "ROLLBACK_COMPLETE",
    failures: [],
    outputs: {},
  };
}

/** Records the order of every phase's work; `fail` names the phase that fails. */
function rig(fail?: "global-tables" | "regions" | "global", regions = ["us-east-1", "us-west-2"]) {
  const calls: string[] = [];
  const events: DeployEvent[] = [];
  const options: AppDeployOptions = {
    app,
    stage: "dev",
    regions,
    polling: DEFAULT_POLLING,
    onEvent: (event) => events.push(event),
    confirm: async () => true,
    deployRegions: async (chosen) => {
      calls.push(`regions:${chosen.join(",")}`);
      return chosen.map((region) =>
        regionResult(region, fail === "regions" && region === "us-west-2" ? { outcome: "failed" } : {}),
      );
    },
    deployPart: (async (_options: AppDeployOptions, part: "global-tables" | "global", region: string) => {
      calls.push(`${part}:${region}`);
      return partResult(part, region, fail === part ? "failed" : "deployed");
    }) as AppDeployOptions["deployPart"],
  };
  return { calls, events, options };
}

describe("sluice deploy of a multi-region app: phases in order", () => {
  test("global tables in the primary region, then every region at once, then the global stack in us-east-1", async () => {
    const { calls, events, options } = rig();
    const result = await deployApp(options);
    assert.deepEqual(calls, ["global-tables:us-east-1", "regions:us-east-1,us-west-2", "global:us-east-1"]);
    assert.equal(result.stoppedAt, undefined);
    assert.deepEqual(
      events
        .filter((e) => e.type === "phase")
        .map((e) => (e.type === "phase" ? `${e.phase} ${e.region}` : "")),
      ["global-tables us-east-1", "regions us-east-1,us-west-2", "global us-east-1"],
    );
  });

  test("a global table stack that fails stops the deploy before any region", async () => {
    const { calls, events, options } = rig("global-tables");
    const result = await deployApp(options);
    assert.deepEqual(calls, ["global-tables:us-east-1"]);
    assert.equal(result.stoppedAt, "global-tables");
    const stopped = events.find((e) => e.type === "phase-stopped");
    assert.deepEqual(stopped?.type === "phase-stopped" ? stopped.skipped : undefined, ["regions", "global"]);
  });

  test("a region that fails stops the deploy before the global stack", async () => {
    const { calls, options } = rig("regions");
    const result = await deployApp(options);
    assert.deepEqual(calls, ["global-tables:us-east-1", "regions:us-east-1,us-west-2"]);
    assert.equal(result.stoppedAt, "regions");
    assert.equal(result.global, undefined);
  });

  test("a global stack that fails is reported as the phase that stopped", async () => {
    const { options } = rig("global");
    assert.equal((await deployApp(options)).stoppedAt, "global");
  });

  test("--region naming some of the app's regions deploys only their stacks, without the global ones", async () => {
    const { calls, events, options } = rig(undefined, ["us-west-2"]);
    await deployApp(options);
    assert.deepEqual(calls, ["regions:us-west-2"]);
    assert.deepEqual(events, []);
  });

  test("an app without regions, domain or global tables deploys its regions alone, as before", async () => {
    const { calls, events, options } = rig(undefined, ["us-east-1"]);
    const plain = { ...app.spec, regions: undefined, domain: undefined, tables: {} };
    await deployApp({ ...options, app: { ...app, spec: plain } });
    assert.deepEqual(calls, ["regions:us-east-1"]);
    assert.deepEqual(events, []);
  });
});

/** Route 53 answering ListHostedZonesByName from a fixed list. */
function route53(zones: { Id: string; Name: string; Config?: { PrivateZone: boolean } }[]) {
  const asked: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      asked.push(command.input);
      return { HostedZones: zones };
    },
  } as unknown as Route53Client;
  return { asked, client };
}

describe("what the global stack is given", () => {
  const zones = [
    { Id: "/hostedzone/ZPRIVATE", Name: "example.com.", Config: { PrivateZone: true } },
    { Id: "/hostedzone/Z123PUBLIC", Name: "example.com.", Config: { PrivateZone: false } },
  ];

  test("each region's outputs and secret, and the public hosted zone's bare ID", async () => {
    const template = synthGlobal(app.spec);
    assert.ok(template);
    const { client } = route53(zones);
    const parameters = await globalParameters(
      app.spec,
      template,
      [regionResult("us-east-1"), regionResult("us-west-2")],
      new Set(),
      {},
      { route53: client, dynamodb: undefined as never, region: "us-east-1" },
    );
    const values = Object.fromEntries(parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    assert.equal(values.HostedZoneId, "Z123PUBLIC");
    assert.equal(values.UsEast1DomainTarget, "d-us-east-1.execute-api.us-east-1.example");
    assert.equal(values.UsWest2DomainHostedZoneId, "ZUSWEST2");
    assert.equal(values.UsWest2ApiHost, "api-us-west-2.execute-api.us-west-2.example");
    assert.equal(values.UsEast1HealthCheckerId, "secret-us-east-1");
    assert.equal(values.UsWest2HealthCheckerId, "secret-us-west-2");
    assert.deepEqual(parameters.map((p) => p.ParameterKey).sort(), Object.keys(template.Parameters).sort());
  });

  test("a region that kept its secret keeps the global stack's too; a new global stack cannot guess it", async () => {
    const template = synthGlobal(app.spec);
    assert.ok(template);
    const kept = [regionResult("us-east-1"), regionResult("us-west-2", { healthCheckerIds: {} })];
    const clients = { route53: route53(zones).client, dynamodb: undefined as never, region: "us-east-1" };
    const parameters = await globalParameters(
      app.spec,
      template,
      kept,
      new Set(["UsWest2HealthCheckerId"]),
      {},
      clients,
    );
    assert.deepEqual(
      parameters.find((p) => p.ParameterKey === "UsWest2HealthCheckerId"),
      { ParameterKey: "UsWest2HealthCheckerId", UsePreviousValue: true },
    );
    await assert.rejects(
      globalParameters(app.spec, template, kept, new Set(), {}, clients),
      /--health-checker-id/,
    );
    const given = await globalParameters(
      app.spec,
      template,
      kept,
      new Set(),
      { healthCheckerId: "given" },
      clients,
    );
    assert.equal(given.find((p) => p.ParameterKey === "UsWest2HealthCheckerId")?.ParameterValue, "given");
  });

  test("no public hosted zone of that name is an error that says how to make one", async () => {
    await assert.rejects(
      hostedZoneId({ route53: route53([zones[0] as (typeof zones)[number]]).client }, "example.com"),
      /no public Route 53 hosted zone example\.com/,
    );
  });

  test("a regional stack gets the hosted zone and its replica's stream ARN as looked up", async () => {
    const template = await synthesize(app.spec);
    const parameters = deployParameters({
      spec: app.spec,
      template,
      bucket: "bucket",
      codeKeys: { api: "api.zip", audit: "audit.zip" },
      existing: new Set(),
      generateSecret: () => "generated",
      lookups: { HostedZoneId: "Z123PUBLIC", HelloStreamArn: "arn:stream" },
    });
    const values = Object.fromEntries(parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
    assert.equal(values.HostedZoneId, "Z123PUBLIC");
    assert.equal(values.HelloStreamArn, "arn:stream");
  });
});

describe("stacks and health of a multi-region stage", () => {
  test("the global stacks are no generation of the regional stack", async () => {
    const tags = (part?: string) => [
      { Key: "sluice:app", Value: "failover-golden" },
      { Key: "sluice:stage", Value: "dev" },
      ...(part ? [{ Key: "sluice:part", Value: part }] : [{ Key: "sluice:generation", Value: "1" }]),
    ];
    const cfn = {
      send: async () => ({
        Stacks: [
          { StackName: "failover-golden-dev", StackStatus: "CREATE_COMPLETE", Tags: tags() },
          {
            StackName: "failover-golden-dev-global-tables",
            StackStatus: "CREATE_COMPLETE",
            Tags: tags("global-tables"),
          },
          { StackName: "failover-golden-dev-global", StackStatus: "CREATE_COMPLETE", Tags: tags("global") },
        ],
      }),
    } as unknown as CloudFormationClient;
    assert.deepEqual(
      (await stageStacks(cfn, "failover-golden", "dev")).map((s) => s.stackName),
      ["failover-golden-dev"],
    );
  });

  test("a region's check is healthy while more than 18% of the checkers report success", () => {
    const report = (ok: boolean, at: number) => ({
      StatusReport: {
        Status: ok ? "Success: HTTP Status Code 200, OK" : "Failure: HTTP Status Code 503",
        CheckedTime: new Date(at),
      },
    });
    const twoOfTen = [
      report(true, 1),
      report(true, 2),
      ...Array.from({ length: 8 }, (_, i) => report(false, 10 + i)),
    ];
    assert.equal(summarise("us-east-1", "hc", twoOfTen).status, "healthy");
    const oneOfTen = [report(true, 1), ...Array.from({ length: 9 }, (_, i) => report(false, 10 + i))];
    const unhealthy = summarise("us-east-1", "hc", oneOfTen);
    assert.equal(unhealthy.status, "unhealthy");
    assert.equal(unhealthy.succeeding, 1);
    assert.equal(unhealthy.lastReport?.status, "Failure: HTTP Status Code 503");
    assert.equal(summarise("us-east-1", "hc", []).status, "unknown");
  });
});

/**
 * The fleets synth writes, as `sluice cloud` takes them: every fleet resource is accepted by the
 * local CloudFormation providers, and the `Sluice::Server` metadata with the resources that
 * reference it becomes one local `sluice serve` plan per fleet (cloud-host/translate-servers.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { synthesize } from "../../src/aws/synth.ts";
import type { TemplateValue } from "../../src/aws/template/template.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { SERVER_METADATA_KEY, translateServers } from "../../src/local/cloud-host/translate-servers.ts";
import { createProviders } from "../../src/local/cloudformation/providers/create-providers.ts";
import { S3Store } from "../../src/local/s3/s3-store.ts";
import { openStore } from "../../src/local/store/store.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { deployTemplate } from "../support/cloud-deploy.ts";
import { tempDir } from "../support/temp.ts";

const tmp = tempDir("sluice-fleet-local-");
after(() => tmp.cleanup());
const db = openStore(join(tmp.dir, "account.sqlite"));
after(() => db.close());

const PARAMETERS: Record<string, string> = {
  ArtifactBucket: "artifacts",
  WebFleetArtifactKey: "servers/web.zip",
  ReportsFleetArtifactKey: "servers/reports.zip",
  WebFleetVpc: "vpc-0000000000000000a",
  ReportsFleetVpc: "vpc-0000000000000000a",
};

/** The metadata as the engine resolves it: here only Refs to parameters. */
function resolveRefs(value: TemplateValue): TemplateValue {
  if (Array.isArray(value)) return value.map(resolveRefs);
  if (typeof value !== "object" || value === null) return value;
  if (typeof value.Ref === "string") return PARAMETERS[value.Ref] ?? value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v)]));
}

describe("server fleets in sluice cloud", () => {
  test("every fleet resource deploys through the local providers and each fleet becomes one sluice serve", async () => {
    const spec = normaliseApp(
      {
        name: "shop",
        queues: { jobs: {} },
        functions: {
          api: { handler: "src/api.handler", http: ["GET /hello"], routes: "jobs" },
          worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
          report: { handler: "src/report.handler" },
        },
        servers: {
          web: { functions: ["api", "worker"], minSize: 2, maxSize: 3 },
          reports: {
            functions: ["report"],
            platform: "fargate",
            shutdownSeconds: 20,
            subnets: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
          },
        },
      } as unknown as Parameters<typeof normaliseApp>[0],
      { region: "eu-west-1" },
    );
    const template = await synthesize(spec);
    const fleetResources = Object.fromEntries(
      Object.entries(template.Resources).filter(([id]) => id.includes("Fleet") || id === "JobsQueue"),
    );
    const ports = [45_001, 45_002];
    const providers = createProviders({
      s3: new S3Store(db, new ManualClock()),
      queues: { exists: () => false, delete: () => {} },
      codeDir: join(tmp.dir, "code"),
      allocatePort: async () => ports.shift() ?? 45_009,
      versions: { next: () => 1 },
    });
    const resources = await deployTemplate(
      { Resources: fleetResources as never },
      { ...PARAMETERS, WebFleetSubnets: ["subnet-0000000000000000a", "subnet-0000000000000000b"] as never },
      providers,
      {
        stackName: "shop",
        region: "eu-west-1",
        accountId: "123456789012",
        endpointUrl: "http://127.0.0.1:4599",
      },
    );
    const metadata = resources.flatMap((r) => {
      const declared = template.Resources[r.logicalId]?.Metadata?.[SERVER_METADATA_KEY];
      if (declared === undefined) return [];
      return [
        {
          stackName: "shop",
          stackId: r.stackId,
          logicalId: r.logicalId,
          resourceType: r.resourceType,
          physicalId: r.physicalId,
          metadata: resolveRefs(declared),
        },
      ];
    });
    const notes: string[] = [];
    const plans = translateServers("eu-west-1", resources, metadata, notes);
    assert.deepEqual(notes, []);
    assert.deepEqual(
      plans.map((p) => ({
        fleet: p.fleet,
        artifact: p.artifact,
        shutdownSeconds: p.shutdownSeconds,
        desired: p.desired,
        targets: p.targetGroups.map((g) => [g.port, g.targetType, g.healthCheckPath]),
        listening: p.port !== undefined,
      })),
      [
        {
          fleet: "web",
          artifact: { bucket: "artifacts", key: "servers/web.zip" },
          shutdownSeconds: 30,
          desired: 2,
          targets: [[8080, "instance", "/healthz"]],
          listening: true,
        },
        {
          fleet: "reports",
          artifact: { bucket: "artifacts", key: "servers/reports.zip" },
          shutdownSeconds: 20,
          desired: 1,
          targets: [[8080, "ip", "/healthz"]],
          listening: true,
        },
      ],
    );
  });
});

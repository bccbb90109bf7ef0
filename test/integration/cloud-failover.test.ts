import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  GetHealthCheckStatusCommand,
  ListHostedZonesByNameCommand,
  Route53Client,
} from "@aws-sdk/client-route-53";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { synthAppStacks } from "../../src/aws/synth-app.ts";
import { logicalId } from "../../src/aws/template/logical-ids.ts";
import type { Template } from "../../src/aws/template/template.ts";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { ROOT } from "../support/cli-process.ts";
import { CREDENTIALS } from "../support/cloud-host.ts";
import {
  HEALTH_CHECKER_ID,
  type LocalCloud,
  run,
  startCloud,
  transcript,
  useLocalCredentials,
} from "../support/deploy.ts";
import { copyApp, type TempDir, tempDir } from "../support/temp.ts";

const PRIMARY = "us-east-1";
const SECONDARY = "us-west-2";
const BUCKET = "sluice-artifacts";
const LAG_MS = 1_000;
const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 120 };

describe("sluice cloud: a failover app's global table, health checks and DNS", () => {
  const app = copyApp(join(ROOT, "examples", "failover"));
  const clock = new ManualClock(Date.parse("2026-12-06T09:00:00Z"));
  let host: CloudHost;
  const cfn = new Map<string, CloudFormationClient>();
  const ddb = new Map<string, DynamoDBClient>();
  let route53: Route53Client;
  const outputs = new Map<string, Record<string, string>>();
  /** Stack name and region, in deploy order. */
  const deployed: { name: string; region: string }[] = [];

  const client = (region: string) => {
    let found = cfn.get(region);
    if (!found) {
      found = new CloudFormationClient({ region, endpoint: host.url, credentials: CREDENTIALS });
      cfn.set(region, found);
    }
    return found;
  };
  const dynamodb = (region: string) => {
    let found = ddb.get(region);
    if (!found) {
      found = new DynamoDBClient({ region, endpoint: host.url, credentials: CREDENTIALS });
      ddb.set(region, found);
    }
    return found;
  };

  /** Creates a stack through a change set, as `sluice deploy` does, and keeps its outputs. */
  async function deploy(name: string, region: string, template: Template, values: Record<string, string>) {
    const parameters = (template.Parameters ?? {}) as Record<string, { Default?: unknown }>;
    const declared = Object.keys(parameters).filter((p) => values[p] !== undefined);
    const missing = Object.keys(parameters).filter(
      (p) => values[p] === undefined && parameters[p]?.Default === undefined,
    );
    assert.deepEqual(missing, [], `parameters of ${name} in ${region}`);
    const cf = client(region);
    await cf.send(
      new CreateChangeSetCommand({
        StackName: name,
        ChangeSetName: "create",
        ChangeSetType: "CREATE",
        TemplateBody: JSON.stringify(template),
        Parameters: declared.map((ParameterKey) => ({ ParameterKey, ParameterValue: values[ParameterKey] })),
        Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
      }),
    );
    await waitUntilChangeSetCreateComplete(
      { client: cf, ...WAIT },
      { StackName: name, ChangeSetName: "create" },
    );
    await cf.send(new ExecuteChangeSetCommand({ StackName: name, ChangeSetName: "create" }));
    await waitUntilStackCreateComplete({ client: cf, ...WAIT }, { StackName: name });
    const { Stacks } = await cf.send(new DescribeStacksCommand({ StackName: name }));
    outputs.set(
      `${region}/${name}`,
      Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""])),
    );
    deployed.push({ name, region });
  }

  const secret = (region: string) => `checker-secret-${region}`;
  const errors: { region: string; error: unknown }[] = [];

  before(async () => {
    host = await CloudHost.start({
      onEvent: (event) => void (event.type === "region-error" && errors.push(event)),
      stateDir: join(app.dir, ".sluice-cloud"),
      port: 0,
      clock,
      replicationLagMs: LAG_MS,
    });
    route53 = new Route53Client({ region: PRIMARY, endpoint: host.url, credentials: CREDENTIALS });
    const loaded = await loadApp(app.dir);
    const built = await buildApp(loaded);
    const s3 = new S3Client({
      region: PRIMARY,
      endpoint: host.url,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const values: Record<string, string> = { ArtifactBucket: BUCKET };
    for (const fn of Object.values(built.manifest.functions)) {
      const key = `failover/${fn.function}/${fn.sha256}.zip`;
      await s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: readFileSync(join(built.outDir, fn.zip)) }),
      );
      values[logicalId("codeKeyParameter", fn.function)] = key;
    }
    s3.destroy();
    // Deploy looks the zone up by name; the local account holds every zone it is asked about.
    const zones = await route53.send(
      new ListHostedZonesByNameCommand({ DNSName: "example.com", MaxItems: 1 }),
    );
    assert.equal(zones.HostedZones?.[0]?.Name, "example.com.");
    values.HostedZoneId = String(zones.HostedZones?.[0]?.Id).replace("/hostedzone/", "");

    const stacks = await synthAppStacks(loaded);
    assert.deepEqual(
      stacks.map((s) => `${s.part}@${s.region}`),
      ["global-tables@us-east-1", "regional@us-east-1", "regional@us-west-2", "global@us-east-1"],
    );
    for (const stack of stacks) {
      if (stack.part === "global-tables")
        await deploy("failover-tables", stack.region, stack.template, values);
      else if (stack.part === "regional") {
        await deploy("failover", stack.region, stack.template, {
          ...values,
          [logicalId("healthCheckerIdParameter", "api")]: secret(stack.region),
        });
      } else {
        const global = { ...values };
        for (const region of [PRIMARY, SECONDARY]) {
          const regional = outputs.get(`${region}/failover`) ?? {};
          global[logicalId("regionDomainTargetParameter", region)] = String(regional.ApiDomainTarget);
          global[logicalId("regionDomainZoneParameter", region)] = String(regional.ApiDomainHostedZoneId);
          global[logicalId("regionApiHostParameter", region)] = String(regional.HttpApiHost);
          global[logicalId("regionHealthCheckerIdParameter", region)] = secret(region);
        }
        await deploy("failover-global", stack.region, stack.template, global);
      }
    }
  });

  after(async () => {
    for (const c of [...cfn.values(), ...ddb.values(), route53]) c?.destroy();
    await host?.close();
    app.cleanup();
  });

  test("the global table has a replica in each region, with that region's stream", async () => {
    for (const region of [PRIMARY, SECONDARY]) {
      const { Table } = await dynamodb(region).send(
        new DescribeTableCommand({ TableName: "failover-hello" }),
      );
      assert.equal(Table?.TableArn, `arn:aws:dynamodb:${region}:000000000000:table/failover-hello`);
      assert.equal(Table?.StreamSpecification?.StreamViewType, "NEW_AND_OLD_IMAGES");
      assert.ok(Table?.LatestStreamArn?.startsWith(`${Table?.TableArn}/stream/`));
    }
  });

  test("a write in us-east-1 reaches us-west-2 only after the replication lag", async () => {
    const key = { HelloKey: { S: "replicated" } };
    await dynamodb(PRIMARY).send(
      new PutItemCommand({ TableName: "failover-hello", Item: { ...key, Hello: { S: "Hi from " } } }),
    );
    const read = () =>
      dynamodb(SECONDARY).send(
        new GetItemCommand({ TableName: "failover-hello", Key: key, ConsistentRead: true }),
      );
    assert.equal((await read()).Item, undefined, "not before the lag");
    await clock.advance(LAG_MS);
    await host.failover.settled();
    assert.equal((await read()).Item?.Hello?.S, "Hi from ");
  });

  test("each region's health check pings its API's health route, and GetHealthCheckStatus says so", async () => {
    const global = outputs.get(`${PRIMARY}/failover-global`) ?? {};
    const ids = [PRIMARY, SECONDARY].map((region) => String(global[logicalId("regionHealthCheck", region)]));
    assert.equal(ids.filter((id) => /^[0-9a-f-]{36}$/.test(id)).length, 2, JSON.stringify(global));
    // Route 53 waits 2 s for a status: warm each function first, as traffic would, so a cold start
    // on this busy machine does not count as the region's failure.
    for (const region of [PRIMARY, SECONDARY]) {
      const [api] = host.apiUrls(region);
      const warm = await fetch(`${api?.url}/health?healthCheckerId=${secret(region)}`);
      assert.equal(warm.status, 200, `${region}: ${await warm.text()}`);
    }
    await clock.advance(30_000);
    await host.failover.settled();
    for (const id of ids) {
      const status = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
      const report = status.HealthCheckObservations?.[0]?.StatusReport;
      assert.match(String(report?.Status), /^Success: HTTP Status Code 200/);
      // The ping that fell due in the 30 s just advanced (checks ping every RequestInterval).
      const checked = report?.CheckedTime?.getTime() ?? 0;
      assert.ok(checked > clock.now() - 30_000 && checked <= clock.now(), String(report?.CheckedTime));
    }
    const missing = await route53
      .send(new GetHealthCheckStatusCommand({ HealthCheckId: "00000000-0000-0000-0000-000000000000" }))
      .then(
        () => assert.fail("expected NoSuchHealthCheck"),
        (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => e,
      );
    assert.equal(missing.name, "NoSuchHealthCheck");
    assert.equal(missing.$metadata?.httpStatusCode, 404);
    await assert.rejects(route53.send(new ListHostedZonesByNameCommand({ DNSName: "bad..name" })), {
      name: "InvalidDomainName",
    });
    // Over the ID's 64 characters: a validation error, not a missing check.
    const tooLong = await route53
      .send(new GetHealthCheckStatusCommand({ HealthCheckId: "a".repeat(65) }))
      .then(
        () => assert.fail("expected InvalidInput"),
        (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => e,
      );
    assert.equal(tooLong.name, "InvalidInput");
    assert.equal(tooLong.$metadata?.httpStatusCode, 400);
    await assert.rejects(
      route53.send(
        new ListHostedZonesByNameCommand({ DNSName: "example.com", MaxItems: 1.5 as unknown as number }),
      ),
      { name: "InvalidInput" },
    );
  });

  test("the account's DNS server answers the domain with the primary's regional name", async () => {
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${host.failover.dnsPort}`]);
    const target = outputs.get(`${PRIMARY}/failover`)?.ApiDomainTarget;
    assert.match(String(target), /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.localhost$/);
    assert.deepEqual(await resolver.resolveCname("api.example.com"), [target]);
    // The record sets' hosted zone: other names in it do not exist, names outside it are refused.
    await assert.rejects(resolver.resolve4("www.example.com"), { code: "ENOTFOUND" });
    await assert.rejects(resolver.resolve4("api.example.org"), { code: "EREFUSED" });
    const txt = (await resolver.resolveTxt("api.example.com")).map((parts) => parts.join(""));
    assert.ok(
      txt.some((t) => t.includes(PRIMARY)),
      JSON.stringify(txt),
    );
  });

  test("forcing us-east-1's health route to fail moves the domain to us-west-2 after interval × threshold", async () => {
    const cf = client(PRIMARY);
    const { Stacks } = await cf.send(new DescribeStacksCommand({ StackName: "failover" }));
    const forceFail = logicalId("healthForceFailParameter", "api");
    await cf.send(
      new CreateChangeSetCommand({
        StackName: "failover",
        ChangeSetName: "force-fail",
        ChangeSetType: "UPDATE",
        UsePreviousTemplate: true,
        Parameters: (Stacks?.[0]?.Parameters ?? []).map((p) =>
          p.ParameterKey === forceFail
            ? { ParameterKey: forceFail, ParameterValue: "true" }
            : { ParameterKey: p.ParameterKey, UsePreviousValue: true },
        ),
        Capabilities: ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
      }),
    );
    await waitUntilChangeSetCreateComplete(
      { client: cf, ...WAIT },
      { StackName: "failover", ChangeSetName: "force-fail" },
    );
    await cf.send(new ExecuteChangeSetCommand({ StackName: "failover", ChangeSetName: "force-fail" }));
    await waitUntilStackUpdateComplete({ client: cf, ...WAIT }, { StackName: "failover" });
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${host.failover.dnsPort}`]);
    const targets = [PRIMARY, SECONDARY].map((region) => outputs.get(`${region}/failover`)?.ApiDomainTarget);
    // FailureThreshold 3 at RequestInterval 30: two failed pings leave the primary answering.
    for (let ping = 1; ping <= 3; ping++) {
      await clock.advance(30_000);
      await host.failover.settled();
      const answer = await resolver.resolveCname("api.example.com");
      assert.deepEqual(answer, [ping < 3 ? targets[0] : targets[1]], `after failed ping ${ping}`);
    }
  });

  test("a restarted account reopens the replicas, the checks and the DNS server", async () => {
    const url = host.url;
    const dnsPort = host.failover.dnsPort;
    await host.close();
    host = await CloudHost.start({
      stateDir: join(app.dir, ".sluice-cloud"),
      clock,
      replicationLagMs: LAG_MS,
      onEvent: (event) => void (event.type === "region-error" && errors.push(event)),
    });
    assert.equal(host.url, url, "the endpoint keeps its port");
    assert.equal(host.failover.dnsPort, dnsPort, "and so does the DNS server");
    const key = { HelloKey: { S: "replicated" } };
    const { Item } = await dynamodb(SECONDARY).send(
      new GetItemCommand({ TableName: "failover-hello", Key: key }),
    );
    assert.equal(Item?.Hello?.S, "Hi from ");
    await dynamodb(SECONDARY).send(
      new PutItemCommand({ TableName: "failover-hello", Item: { ...key, Hello: { S: "Back in " } } }),
    );
    await clock.advance(LAG_MS);
    await host.failover.settled();
    const back = await dynamodb(PRIMARY).send(
      new GetItemCommand({ TableName: "failover-hello", Key: key, ConsistentRead: true }),
    );
    assert.equal(back.Item?.Hello?.S, "Back in ", "replication runs again, us-west-2 to us-east-1");
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${host.failover.dnsPort}`]);
    assert.equal((await resolver.resolveCname("api.example.com")).length, 1);
    const global = outputs.get(`${PRIMARY}/failover-global`) ?? {};
    const id = String(global[logicalId("regionHealthCheck", SECONDARY)]);
    const status = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }));
    assert.deepEqual(status.HealthCheckObservations ?? [], [], "no ping yet since the restart");
  });

  test("deleting the stacks in reverse order removes the records, checks and every replica", async () => {
    const remove = async ({ name, region }: { name: string; region: string }) => {
      await client(region).send(new DeleteStackCommand({ StackName: name }));
      await waitUntilStackDeleteComplete({ client: client(region), ...WAIT }, { StackName: name });
    };
    const [tables, primary, secondary, global] = deployed;
    // As `sluice destroy`: the global stack, both regions at once, then the global tables.
    await remove(global ?? assert.fail("no global stack"));
    await Promise.all([primary, secondary].map((stack) => remove(stack ?? assert.fail("no regional stack"))));
    await remove(tables ?? assert.fail("no global table stack"));
    assert.deepEqual(
      errors.map((e) => `${e.region}: ${(e.error as Error)?.stack ?? String(e.error)}`),
      [],
      "no region failed to reopen",
    );
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${host.failover.dnsPort}`]);
    await assert.rejects(resolver.resolveCname("api.example.com"), { code: "ENOTFOUND" });
    // The hosted zone outlives the stacks that held its records: still served, still authoritative.
    await assert.rejects(resolver.resolve4("api.example.org"), { code: "EREFUSED" });
    for (const region of [PRIMARY, SECONDARY]) {
      await assert.rejects(dynamodb(region).send(new DescribeTableCommand({ TableName: "failover-hello" })), {
        name: "ResourceNotFoundException",
      });
    }
  });
});

describe("sluice cloud: the failover example through the real CLI (deploy, status, DNS, destroy)", () => {
  useLocalCredentials();
  let state: TempDir;
  let app: TempDir;
  let cloud: LocalCloud;
  let dnsPort = 0;
  const at = (...args: string[]) => [...args, "--endpoint-url", cloud.url];
  const resolver = () => {
    const r = new Resolver({ timeout: 2_000, tries: 1 });
    r.setServers([`127.0.0.1:${dnsPort}`]);
    return r;
  };

  before(async () => {
    state = tempDir("sluice-cloud-failover-");
    cloud = await startCloud(state.dir);
    const ready = cloud.lines.find((line) => line.includes('"type":"ready"')) ?? "{}";
    dnsPort = Number((JSON.parse(ready) as { dnsPort?: number }).dnsPort);
    app = copyApp(join(ROOT, "examples", "failover"));
    const bootstrap = await run(at("bootstrap", "--region", `${PRIMARY},${SECONDARY}`));
    assert.equal(bootstrap.code, 0, bootstrap.stderr);
  });

  after(async () => {
    await cloud?.stop();
    app?.cleanup();
    state?.cleanup();
  });

  test("sluice deploy creates the global tables, both regions, then the global stack", async () => {
    const result = await run(at("deploy", app.dir, "--health-checker-id", HEALTH_CHECKER_ID, "--yes"));
    assert.equal(result.code, 0, result.stderr);
    const phases = [
      ...result.stderr.matchAll(/deploy phase ([a-z-]+)/g),
      ...result.stdout.matchAll(/deploy phase ([a-z-]+)/g),
    ];
    assert.deepEqual([...new Set(phases.map((m) => m[1]))], ["global-tables", "regions", "global"]);
  });

  test("sluice status lists each region's health check, as Route 53's GetHealthCheckStatus reports it", async () => {
    // The account runs on the system clock, so no checker has pinged yet (the first ping is one
    // RequestInterval in): Route 53 then reports no observation, which status shows as unknown.
    // The pings themselves are pinned on a manual clock above.
    const result = await run(at("status", app.dir));
    assert.equal(result.code, 0, result.stderr);
    for (const region of [PRIMARY, SECONDARY]) {
      assert.match(result.stdout, new RegExp(`${region}\\s+[0-9a-f-]{36}\\s+(unknown|healthy)`));
    }
  });

  test("the account's DNS server answers the domain with the primary's regional name", async () => {
    const [target] = await resolver().resolveCname("api.example.com");
    assert.match(String(target), /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.localhost$/);
  });

  test("sluice destroy removes the global stack, the regions, then the global tables; nothing fails", async () => {
    const result = await run(at("destroy", app.dir, "--yes"));
    assert.equal(result.code, 0, result.stderr);
    const phases = [...`${result.stderr}\n${result.stdout}`.matchAll(/destroy phase ([a-z-]+)/g)].map(
      (m) => m[1],
    );
    assert.deepEqual([...new Set(phases)], ["global", "regions", "global-tables"]);
    await assert.rejects(resolver().resolveCname("api.example.com"), { code: "ENOTFOUND" });
    // Two regions settle at once and each rebuilds the other's replica: one at a time, no lock error.
    assert.deepEqual(
      cloud.lines.filter((line) => line.includes('"region-error"')),
      [],
    );
    assert.ok(!transcript.join("\n").includes(HEALTH_CHECKER_ID), "the checker's secret is never printed");
  });
});

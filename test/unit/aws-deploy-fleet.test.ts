/**
 * Deploy's server fleet parts (issue 19) against a fake AWS: the artifact upload and its
 * parameter, the network lookups, and the wait for healthy targets with its progress and its
 * failure naming the unhealthy targets' reasons.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { DeployError } from "../../src/aws/deploy/deploy-error.ts";
import type { DeployEvent } from "../../src/aws/deploy/deploy-events.ts";
import { type ServerArtifactWriter, uploadFleetArtifacts } from "../../src/aws/deploy/fleet-artifacts.ts";
import { unhealthyText, waitForFleets } from "../../src/aws/deploy/fleet-health.ts";
import { fleetNetworkParameters } from "../../src/aws/deploy/fleet-network.ts";
import type { Polling } from "../../src/aws/deploy/polling.ts";
import type { BuildResult } from "../../src/bundle/build-app.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import type { ServerSpec } from "../../src/model/servers.ts";

function fleet(name: string, overrides: Partial<ServerSpec> = {}): ServerSpec {
  return {
    name,
    functions: ["api"],
    platform: "ec2",
    instanceType: "t4g.small",
    minSize: 2,
    maxSize: 2,
    port: 8080,
    loadBalancer: true,
    schedules: false,
    shutdownSeconds: 30,
    ...overrides,
  };
}

/** Only `servers` is read by the fleet parts. */
function specWith(...fleets: ServerSpec[]): AppSpec {
  return { name: "shop", servers: Object.fromEntries(fleets.map((f) => [f.name, f])) } as unknown as AppSpec;
}

/** A clock the sleeps move: no wall time passes. */
function manualPolling(timeoutMs = 60_000): Polling & { slept: number } {
  const poll = {
    intervalMs: 1000,
    timeoutMs,
    slept: 0,
    now: () => poll.slept,
    sleep: async (ms: number) => {
      poll.slept += ms;
    },
  };
  return poll;
}

type Health = { id: string; state: string; reason?: string; description?: string };

/** A fake ELBv2 whose DescribeTargetHealth answers the next of `answers` (the last repeats). */
function fakeElb(answers: Health[][]) {
  const asked: unknown[] = [];
  return {
    asked,
    send: async (command: { input: unknown; constructor: { name: string } }) => {
      assert.equal(command.constructor.name, "DescribeTargetHealthCommand");
      asked.push(command.input);
      const answer = answers[Math.min(asked.length - 1, answers.length - 1)] ?? [];
      return {
        TargetHealthDescriptions: answer.map((t) => ({
          Target: { Id: t.id, Port: 8080 },
          TargetHealth: {
            State: t.state,
            ...(t.reason ? { Reason: t.reason } : {}),
            ...(t.description ? { Description: t.description } : {}),
          },
        })),
      };
    },
  };
}

const OUTPUTS = {
  WebFleetTargetGroup: "arn:tg/web",
  WebFleetUrl: "http://web-123.elb.example",
};

describe("deploy waits for a fleet's healthy targets", () => {
  test("polls until minSize targets are healthy, reporting each new count, and returns the URL", async () => {
    const elb = fakeElb([
      [],
      [
        { id: "i-1", state: "initial", reason: "Elb.InitialHealthChecking" },
        { id: "i-2", state: "initial", reason: "Elb.RegistrationInProgress" },
      ],
      [
        { id: "i-1", state: "healthy" },
        { id: "i-2", state: "initial", reason: "Elb.InitialHealthChecking" },
      ],
      [
        { id: "i-1", state: "healthy" },
        { id: "i-2", state: "healthy" },
      ],
    ]);
    const events: DeployEvent[] = [];
    const [result, ...rest] = await waitForFleets(
      { elbv2: async () => elb, region: "eu-west-1" },
      specWith(fleet("web")),
      OUTPUTS,
      manualPolling(),
      (e) => events.push(e),
    );
    assert.equal(rest.length, 0);
    assert.equal(result?.url, "http://web-123.elb.example");
    assert.equal(result?.healthy, 2);
    assert.deepEqual(elb.asked[0], { TargetGroupArn: "arn:tg/web" });
    assert.equal(elb.asked.length, 4);
    assert.deepEqual(
      events.map((e) => (e.type === "fleet-health" ? `${e.fleet} ${e.healthy}/${e.wanted}` : e.type)),
      ["web 0/2", "web 1/2", "web 2/2"],
    );
  });

  test("times out with a clear error naming each unhealthy target's reason and description", async () => {
    const elb = fakeElb([
      [
        { id: "i-1", state: "healthy" },
        {
          id: "i-2",
          state: "unhealthy",
          reason: "Target.ResponseCodeMismatch",
          description: "Health checks failed with these codes: [503]",
        },
      ],
    ]);
    const poll = manualPolling(30_000);
    await assert.rejects(
      waitForFleets(
        { elbv2: async () => elb, region: "eu-west-1" },
        specWith(fleet("web")),
        OUTPUTS,
        poll,
        () => {},
      ),
      (error: unknown) => {
        assert.ok(error instanceof DeployError);
        assert.equal(error.code, "SLUICE_FLEET_UNHEALTHY");
        assert.match(error.message, /fleet web in eu-west-1: 1\/2 healthy target\(s\) after 30s/);
        assert.match(
          error.message,
          /i-2:8080 \(unhealthy, Target\.ResponseCodeMismatch: Health checks failed with these codes: \[503\]\)/,
        );
        // The unit the user data installs appends the server's output to a file, not the journal.
        assert.match(error.message, /\/var\/log\/sluice\/web\.log/);
        assert.match(error.message, /systemctl status sluice-web\.service/);
        assert.doesNotMatch(error.message, /journalctl/);
        return true;
      },
    );
    assert.ok(poll.slept >= 30_000, "it waited out the bound on the polling clock");
  });

  test("a Fargate fleet's timeout points at its log group only: it has no instance to log in to", async () => {
    const poll = manualPolling(30_000);
    const reports = fleet("reports", { platform: "fargate" });
    const outputs = { ReportsFleetTargetGroup: "arn:tg/reports" };
    await assert.rejects(
      waitForFleets(
        { elbv2: async () => fakeElb([[]]), region: "eu-west-1" },
        specWith(reports),
        outputs,
        poll,
        () => {},
      ),
      (error: unknown) => {
        assert.ok(error instanceof DeployError);
        assert.match(error.message, /the fleet's log group \/sluice\/[^ ]+\/servers\/reports\b/);
        assert.doesNotMatch(error.message, /\/var\/log|systemctl|journalctl/);
        return true;
      },
    );
  });

  test("the wait is bounded by the fleet bound even when deploy's own bound is longer", async () => {
    const poll = manualPolling(3_600_000);
    await assert.rejects(
      waitForFleets(
        { elbv2: async () => fakeElb([[]]), region: "r" },
        specWith(fleet("web")),
        OUTPUTS,
        poll,
        () => {},
      ),
      /no registered targets/,
    );
    assert.ok(poll.slept <= 20 * 60_000 + 1000, `slept ${poll.slept} ms`);
  });

  test("a fleet without a load balancer, or whose stack outputs no target group, is not waited on", async () => {
    const elb = fakeElb([[]]);
    const result = await waitForFleets(
      { elbv2: async () => elb, region: "r" },
      specWith(fleet("web", { loadBalancer: false }), fleet("jobs")),
      OUTPUTS,
      manualPolling(),
      () => {},
    );
    assert.deepEqual(result, []);
    assert.equal(elb.asked.length, 0);
  });

  test("describes targets: none registered, all healthy but too few", () => {
    assert.match(unhealthyText([]), /no registered targets/);
    assert.match(unhealthyText([{ id: "i-1", state: "healthy" }]), /too few are registered/);
  });
});

describe("deploy uploads each fleet's server artifact", () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-fleet-artifacts-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const build = {
    outDir: dir,
    manifestFile: join(dir, "manifest.json"),
    manifest: { app: "shop", functions: {} },
  } as BuildResult;
  const written: string[] = [];
  const write: ServerArtifactWriter = ({ fleet, outFile, spec }) => {
    written.push(`${fleet} ${spec.name}`);
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `zip of ${fleet}`);
    return { file: outFile, key: `servers/${fleet}-sha.zip` };
  };

  function fakeS3(existing: Map<string, Date>) {
    const puts: { Key: string; Body: string }[] = [];
    return {
      puts,
      send: async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
        const key = String(command.input.Key);
        if (command.constructor.name === "HeadObjectCommand") {
          const modified = existing.get(key);
          if (!modified) throw Object.assign(new Error("NotFound"), { name: "NotFound" });
          return { LastModified: modified };
        }
        assert.equal(command.constructor.name, "PutObjectCommand");
        puts.push({ Key: key, Body: String(command.input.Body) });
        existing.set(key, new Date());
        return {};
      },
    };
  }

  test("writes the artifact with deploy's spec, uploads it under its key and sets <Fleet>FleetArtifactKey", async () => {
    const s3 = fakeS3(new Map());
    const spec = specWith(fleet("web"), fleet("jobs", { loadBalancer: false }));
    const result = await uploadFleetArtifacts(s3 as never, "bucket", { build, spec }, { write });
    assert.deepEqual(result.parameters, {
      WebFleetArtifactKey: "servers/web-sha.zip",
      JobsFleetArtifactKey: "servers/jobs-sha.zip",
    });
    assert.deepEqual(written, ["web shop", "jobs shop"]);
    assert.deepEqual(
      s3.puts.map((p) => p.Key),
      ["servers/web-sha.zip", "servers/jobs-sha.zip"],
    );
    assert.equal(s3.puts[0]?.Body, "zip of web");
    assert.equal(result.uploaded, 2);
  });

  test("an artifact already in the bucket is not sent again, unless it is old enough to expire", async () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const s3 = fakeS3(
      new Map([
        ["servers/web-sha.zip", new Date("2026-05-30T00:00:00Z")],
        ["servers/jobs-sha.zip", new Date("2026-01-01T00:00:00Z")],
      ]),
    );
    const spec = specWith(fleet("web"), fleet("jobs"));
    const result = await uploadFleetArtifacts(s3 as never, "bucket", { build, spec }, { write, now });
    assert.equal(result.skipped, 1);
    assert.deepEqual(
      s3.puts.map((p) => p.Key),
      ["servers/jobs-sha.zip"],
    );
  });

  test("an app without servers writes and uploads nothing", async () => {
    const s3 = fakeS3(new Map());
    const result = await uploadFleetArtifacts(
      s3 as never,
      "b",
      { build, spec: { name: "x" } as AppSpec },
      { write },
    );
    assert.deepEqual(result, { parameters: {}, uploaded: 0, skipped: 0 });
  });
});

describe("deploy fills a fleet's network parameters", () => {
  const template = (names: string[]) =>
    ({ Parameters: Object.fromEntries(names.map((n) => [n, { Type: "String" }])) }) as never;

  test("named subnets: the subnets as given and the VPC they are in", async () => {
    const asked: string[][] = [];
    const values = await fleetNetworkParameters(
      specWith(fleet("web", { subnets: ["subnet-a", "subnet-b"] })),
      template(["WebFleetVpc"]),
      {
        defaultNetwork: async () => assert.fail("no default VPC lookup"),
        vpcOf: async (subnets) => {
          asked.push([...subnets]);
          return "vpc-1";
        },
      },
    );
    assert.deepEqual(values, { WebFleetVpc: "vpc-1" });
    assert.deepEqual(asked, [["subnet-a", "subnet-b"]]);
  });

  test("no subnets: the default VPC and its subnets, comma-joined as a List<AWS::EC2::Subnet::Id>", async () => {
    const values = await fleetNetworkParameters(
      specWith(fleet("web")),
      template(["WebFleetVpc", "WebFleetSubnets"]),
      {
        defaultNetwork: async () => ({ vpcId: "vpc-d", subnetIds: ["subnet-1", "subnet-2", "subnet-3"] }),
        vpcOf: async () => assert.fail("no subnet lookup"),
      },
    );
    assert.deepEqual(values, { WebFleetVpc: "vpc-d", WebFleetSubnets: "subnet-1,subnet-2,subnet-3" });
  });

  test("a template that declares no network parameter asks nothing", async () => {
    const values = await fleetNetworkParameters(specWith(fleet("web")), template([]), {
      defaultNetwork: async () => assert.fail("no default VPC lookup"),
      vpcOf: async () => assert.fail("no subnet lookup"),
    });
    assert.deepEqual(values, {});
  });
});

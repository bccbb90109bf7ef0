/**
 * A hybrid app deployed to `sluice cloud` through the real CLI (issue 19): the fleet's resources
 * are accepted, `sluice cloud` runs the fleet as one local `sluice serve` child on its load
 * balancer's port, deploy waits for its target group's healthy targets (DescribeTargetHealth on
 * the cloud's endpoint) and prints the fleet's URL; EC2 answers the fleet's subnets' VPC; that URL answers with the served functions,
 * the consumed queue is processed, and destroying the stack stops the child.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ROOT } from "../support/cli-process.ts";
import { type LocalCloud, run, startCloud, useLocalCredentials } from "../support/deploy.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

useLocalCredentials();
const REGION = "eu-west-1";

/** examples/hybrid's functions, without the custom domain, on a fleet with named subnets. */
const CONFIG = `import { defineApp } from "sluice";

export default defineApp({
  name: "fleetapp",
  defaults: { runtime: "nodejs22.x", memorySize: 256, timeout: "10 seconds" },
  queues: { jobs: { visibilityTimeout: "60 seconds" } },
  tables: { results: { partitionKey: { name: "id", type: "S" } } },
  functions: {
    api: {
      handler: "src/api.handler",
      http: ["GET /hello", "POST /jobs", "GET /jobs/{id}"],
      routes: (error, result: { statusCode: number; body: string }) =>
        error || result.statusCode !== 202 ? [] : [{ to: "jobs", data: JSON.parse(result.body) }],
      routesTo: ["jobs"],
      permissions: [{ actions: ["dynamodb:GetItem"], resources: ["table:results"] }],
    },
    worker: {
      handler: "src/worker.handler",
      consumes: { queue: "jobs", batchSize: 10, reportBatchItemFailures: true },
      permissions: [{ actions: ["dynamodb:PutItem"], resources: ["table:results"] }],
    },
  },
  servers: {
    web: {
      functions: ["api", "worker"],
      minSize: 2,
      maxSize: 2,
      port: 8080,
      // sluice cloud's default subnets (local/ec2/): deploy asks EC2 for their VPC.
      subnets: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
      shutdownSeconds: 5,
    },
  },
});
`;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The fleet-started events `sluice cloud --json` printed so far. */
function fleetStarts(cloud: LocalCloud): { pid: number; port: number; key: string }[] {
  return cloud.lines
    .filter((line) => line.startsWith("{") && line.includes('"fleet-started"'))
    .map((line) => (JSON.parse(line) as { event: { pid: number; port: number; key: string } }).event);
}

describe("a server fleet deployed to `sluice cloud`", () => {
  let cloud: LocalCloud;
  let state = "";
  let app: { dir: string; cleanup(): void };
  let fleetUrl = "";
  let targetGroup = "";
  const at = (...args: string[]) => [...args, "--endpoint-url", cloud.url];

  before(async () => {
    state = mkdtempSync(join(tmpdir(), "sluice-cloud-fleet-"));
    cloud = await startCloud(state);
    app = copyApp(join(ROOT, "examples", "hybrid"), "sluice-fleet-app-");
    writeFileSync(join(app.dir, "sluice.config.ts"), CONFIG);
    const boot = await run(at("bootstrap", "--region", REGION));
    assert.equal(boot.code, 0, boot.stderr);
  });
  after(async () => {
    await cloud?.stop();
    app?.cleanup();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  test("deploy waits for the fleet's healthy targets and prints its URL", async () => {
    const result = await run(at("deploy", app.dir, "--region", REGION));
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}\n${cloud.lines.join("\n")}`);
    assert.match(result.stdout, /fleet web: 2\/2 healthy/);
    const url = /fleet web {2}(http:\/\/127\.0\.0\.1:\d+) {2}2\/2 healthy/.exec(result.stdout)?.[1];
    assert.ok(url, result.stdout);
    fleetUrl = url;
    const status = await run(at("status", app.dir, "--region", REGION, "--json"));
    const [report] = JSON.parse(status.stdout) as { stacks: { outputs: Record<string, string> }[] }[];
    assert.equal(report?.stacks[0]?.outputs.WebFleetUrl, fleetUrl);
    targetGroup = report?.stacks[0]?.outputs.WebFleetTargetGroup ?? "";
    assert.match(targetGroup, /:targetgroup\//);
  });

  test("EC2 answers the default VPC and its default subnets through the SDK; an unknown subnet is not found", async () => {
    const ec2 = new EC2Client({ region: REGION, endpoint: cloud.url });
    try {
      const vpcs = await ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
      );
      assert.deepEqual(
        vpcs.Vpcs?.map((v) => [v.VpcId, v.IsDefault, v.CidrBlock]),
        [["vpc-0000000000000000a", true, "172.31.0.0/16"]],
      );
      const subnets = await ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: "vpc-id", Values: ["vpc-0000000000000000a"] },
            { Name: "default-for-az", Values: ["true"] },
          ],
        }),
      );
      assert.deepEqual(
        subnets.Subnets?.map((s) => [s.SubnetId, s.AvailabilityZone, s.DefaultForAz]),
        [
          ["subnet-0000000000000000a", `${REGION}a`, true],
          ["subnet-0000000000000000b", `${REGION}b`, true],
        ],
      );
      await assert.rejects(
        ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0123456789abcdef0"] })),
        (error: { name?: string; message?: string }) =>
          error.name === "InvalidSubnetID.NotFound" && /subnet-0123456789abcdef0/.test(error.message ?? ""),
      );
      await assert.rejects(
        ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "owner", Values: ["x"] }] })),
        (error: { name?: string }) => error.name === "InvalidParameterValue",
      );
    } finally {
      ec2.destroy();
    }
  });

  test("the fleet's URL answers with the served function, run by `sluice serve`", async () => {
    const response = await fetch(new URL("/hello", fleetUrl));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { servedBy: string };
    assert.equal(body.servedBy, "fleet web");
    const health = await fetch(new URL("/healthz", fleetUrl));
    assert.equal(health.status, 200);
  });

  test("the target group reports each of the group's targets healthy, through the SDK", async () => {
    const elb = new ElasticLoadBalancingV2Client({ region: REGION, endpoint: cloud.url });
    try {
      const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroup }));
      const targets = answer.TargetHealthDescriptions ?? [];
      assert.equal(targets.length, 2);
      for (const t of targets) {
        assert.equal(t.TargetHealth?.State, "healthy");
        assert.equal(t.Target?.Port, 8080);
        assert.match(t.Target?.Id ?? "", /^i-[0-9a-f]{17}$/);
      }
      await assert.rejects(
        elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${targetGroup}x` })),
        (error: { name?: string }) => error.name === "TargetGroupNotFoundException",
      );
    } finally {
      elb.destroy();
    }
  });

  test("a job posted to the fleet is routed to the queue and processed; a message sent to the queue is too", async () => {
    const posted = await fetch(new URL("/jobs", fleetUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "from the fleet" }),
    });
    assert.equal(posted.status, 202);
    const job = (await posted.json()) as { id: string };
    const done = await eventually(async () => {
      const got = await fetch(new URL(`/jobs/${job.id}`, fleetUrl));
      return got.status === 200 ? ((await got.json()) as { result: string; processedBy: string }) : undefined;
    }, "the posted job's result");
    assert.equal(done.result, "FROM THE FLEET");
    assert.match(done.processedBy, /^(lambda|fleet web)$/);

    const sqs = new SQSClient({ region: REGION, endpoint: cloud.url });
    const ddb = new DynamoDBClient({ region: REGION, endpoint: cloud.url });
    try {
      const queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: "fleetapp-dev-jobs" }))).QueueUrl;
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ id: "direct-1", text: "sent to the queue", acceptedBy: "test" }),
        }),
      );
      const item = await eventually(async () => {
        const got = await ddb.send(
          new GetItemCommand({ TableName: "fleetapp-dev-results", Key: { id: { S: "direct-1" } } }),
        );
        return got.Item;
      }, "the queued job's result");
      assert.equal(item.result?.S, "SENT TO THE QUEUE");
    } finally {
      sqs.destroy();
      ddb.destroy();
    }
  });

  test("a new artifact restarts the fleet's process, on the same port, with the new code", async () => {
    const [first] = fleetStarts(cloud);
    assert.ok(first);
    const api = join(app.dir, "src", "api.ts");
    writeFileSync(api, readFileSync(api, "utf8").replace("`hello from", "`hello again from"));
    const result = await run(at("deploy", app.dir, "--region", REGION));
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /fleet web: 2\/2 healthy/);
    const starts = fleetStarts(cloud);
    assert.equal(starts.length, 2, "started once more");
    assert.equal(starts[1]?.port, first.port, "the load balancer's port");
    assert.notEqual(starts[1]?.pid, first.pid);
    await eventually(async () => (pidAlive(first.pid) ? undefined : true), "the old process to exit");
    // The old artifact's folder goes with its process, and no downloaded zip is left: only the
    // running artifact stays in the state folder.
    const fleetDirs = () =>
      readdirSync(join(state, "fleets", REGION)).flatMap((stack) =>
        readdirSync(join(state, "fleets", REGION, stack)).flatMap((fleet) =>
          readdirSync(join(state, "fleets", REGION, stack, fleet)).map(
            (entry) => `${stack}/${fleet}/${entry}`,
          ),
        ),
      );
    await eventually(async () => (fleetDirs().length === 1 ? true : undefined), "one artifact folder", {
      detail: () => fleetDirs().join(", "),
    });
    assert.doesNotMatch(fleetDirs()[0] ?? "", /\.zip$/);
    const body = (await (await fetch(new URL("/hello", fleetUrl))).json()) as { message: string };
    assert.equal(body.message, "hello again from fleet web");
  });

  test("a fleet process that dies is started again, as systemd or ECS would", async () => {
    const before = fleetStarts(cloud);
    const last = before.at(-1);
    assert.ok(last);
    process.kill(last.pid, "SIGKILL");
    // Until it is started again (1 s later), its targets fail their checks as a dead server's do
    // on AWS: unhealthy, not back to "initial".
    await eventually(
      async () =>
        cloud.lines.some((l) => l.includes('"fleet-exited"') && l.includes(`"pid":${last.pid}`))
          ? true
          : undefined,
      "the cloud to see the fleet's process exit",
    );
    const elb = new ElasticLoadBalancingV2Client({ region: REGION, endpoint: cloud.url });
    try {
      const answer = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroup }));
      assert.deepEqual(
        [
          ...new Set(
            answer.TargetHealthDescriptions?.map((t) => `${t.TargetHealth?.State} ${t.TargetHealth?.Reason}`),
          ),
        ],
        ["unhealthy Target.FailedHealthChecks"],
      );
    } finally {
      elb.destroy();
    }
    const again = await eventually(
      async () => fleetStarts(cloud).at(before.length),
      "the fleet's process to start again",
    );
    assert.notEqual(again.pid, last.pid);
    assert.equal(again.port, last.port);
    const hello = await eventually(async () => {
      const response = await fetch(new URL("/hello", fleetUrl)).catch(() => undefined);
      return response?.status === 200 ? response : undefined;
    }, "the restarted fleet to answer");
    assert.equal(((await hello.json()) as { servedBy: string }).servedBy, "fleet web");
  });

  test("destroy stops the fleet's `sluice serve` child", async () => {
    const starts = fleetStarts(cloud);
    const pid = starts.at(-1)?.pid ?? 0;
    assert.ok(pidAlive(pid));
    const result = await run(at("destroy", app.dir, "--region", REGION, "--yes"));
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    await eventually(async () => (pidAlive(pid) ? undefined : true), "the fleet's process to exit");
    await assert.rejects(fetch(new URL("/hello", fleetUrl)));
  });

  test("stopping `sluice cloud` stops a deployed fleet's child", async () => {
    const result = await run(at("deploy", app.dir, "--region", REGION));
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const pid = fleetStarts(cloud).at(-1)?.pid ?? 0;
    assert.ok(pidAlive(pid));
    await cloud.stop();
    await eventually(
      async () => (pidAlive(pid) ? undefined : true),
      "the fleet's process to exit with the cloud",
    );
  });
});

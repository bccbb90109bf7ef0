/**
 * `sluice dev` with several regions: one local cloud per region (its own state, API servers and
 * endpoint scope), global tables replicated on the clock, the domain's health checks, DNS server
 * and front door; and a single-region app exactly as before.
 */
import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ListBucketsCommand, PutBucketCorsCommand, S3Client } from "@aws-sdk/client-s3";
import {
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { ROOT, sluice, startDev } from "../support/cli-process.ts";
import { copyAppWithSdk, SCRIPT_CREDENTIALS } from "../support/endpoint.ts";
import { copyApp } from "../support/temp.ts";

const REGIONS_APP = join(ROOT, "test", "fixtures", "apps", "regions");
const API_APP = join(ROOT, "test", "fixtures", "apps", "api");
const QUEUE = "regions-fixture-jobs";
const TABLE = "regions-fixture-hello";

function client<T>(Client: new (config: object) => T, url: string, region: string): T {
  return new Client({
    endpoint: url,
    region,
    credentials: SCRIPT_CREDENTIALS,
    maxAttempts: 1,
    forcePathStyle: true,
  });
}

async function getJson(
  url: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe("a two-region app", () => {
  let app: { dir: string; cleanup(): void };
  let session: DevSession;
  const clock = new ManualClock();
  const events: DevEvent[] = [];

  before(async () => {
    app = copyAppWithSdk(REGIONS_APP);
    session = await DevSession.start({
      dir: app.dir,
      clock,
      watch: false,
      replicationLagMs: 1000,
      onEvent: (event) => events.push(event),
    });
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  // First in the suite: nothing has invoked the functions yet.
  test("starts with a warm environment of the Route 53-checked function in every region", () => {
    // Route 53 waits two seconds for a status; a cold start on a busy machine may take as long.
    for (const region of session.regions) {
      const api = session
        .cloudOf(region)
        .lambda.functionStates()
        .find((f) => f.functionName === "api");
      assert.ok(api && api.warm >= 1, `${region}: ${JSON.stringify(api)}`);
    }
  });

  test("no event carries the health checker id of a ping", { timeout: 60_000 }, async () => {
    const secret = session.checkerSecret.value;
    const ping = await fetch(`${session.apiUrlsOf("us-west-2").http}/health?healthCheckerId=${secret}&x=1`);
    assert.equal(ping.status, 200, await ping.text());
    const access = () =>
      events.find(
        (e) => e.type === "access" && e.region === "us-west-2" && e.access.request.includes("/health?"),
      );
    for (let turn = 0; turn < 100 && access() === undefined; turn++)
      await new Promise((r) => setImmediate(r));
    assert.ok(access(), "the ping's access event");
    assert.equal(JSON.stringify(events).includes(secret), false, JSON.stringify(access()));
  });

  test("a CORS preflight for a secondary region's bucket is answered by that region's rules", {
    timeout: 60_000,
  }, async () => {
    const bucket = "regions-fixture-files-000000000000-us-west-2";
    const s3West = client(S3Client, session.url, "us-west-2");
    try {
      await s3West.send(
        new PutBucketCorsCommand({
          Bucket: bucket,
          CORSConfiguration: {
            CORSRules: [{ AllowedOrigins: ["http://page.test"], AllowedMethods: ["GET"] }],
          },
        }),
      );
    } finally {
      s3West.destroy();
    }
    const preflight = await fetch(`${session.url}/${bucket}/a.txt`, {
      method: "OPTIONS",
      headers: {
        origin: "http://page.test",
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "cors",
        "access-control-request-method": "GET",
      },
    });
    assert.equal(preflight.status, 200, await preflight.text());
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://page.test");
  });

  test("runs one cloud per region, each with its state under .sluice/regions/<region>/", () => {
    assert.deepEqual(session.regions, ["us-east-1", "us-west-2"]);
    assert.equal(session.cloudOf("us-east-1"), session.localCloud);
    assert.notEqual(session.cloudOf("us-west-2"), session.localCloud);
    assert.equal(session.cloudOf("us-west-2").spec.region, "us-west-2");
    for (const region of session.regions)
      assert.ok(existsSync(join(app.dir, ".sluice", "regions", region, "state.sqlite")), region);
    assert.equal(existsSync(join(app.dir, ".sluice", "state.sqlite")), false);
    // The lock and the control endpoint's state stay one per app.
    assert.ok(existsSync(join(app.dir, ".sluice", "dev.json")));
    const ready = events.find((e) => e.type === "ready");
    assert.deepEqual(ready?.type === "ready" ? ready.regions?.map((r) => r.region) : undefined, [
      "us-east-1",
      "us-west-2",
    ]);
  });

  test("each region's HTTP API runs the function with its own AWS_REGION and its own resources", {
    timeout: 60_000,
  }, async () => {
    const east = session.apiUrlsOf("us-east-1").http;
    const west = session.apiUrlsOf("us-west-2").http;
    assert.ok(east && west && east !== west, `${east} ${west}`);
    const fromEast = await getJson(`${east}/where`);
    const fromWest = await getJson(`${west}/where`);
    assert.equal(fromEast.status, 200);
    assert.equal(fromEast.body.region, "us-east-1");
    assert.equal(fromEast.body.defaultRegion, "us-east-1");
    assert.equal(fromWest.body.region, "us-west-2");
    assert.equal(fromWest.body.defaultRegion, "us-west-2");
    assert.equal(fromWest.body.endpoint, session.url);
    // Discovery names the region's own bucket (physical bucket names carry the region).
    const vars = (b: Record<string, unknown>) => b.variables as Record<string, string>;
    assert.match(vars(fromEast.body).SLUICE_BUCKET_FILES_NAME ?? "", /-us-east-1$/);
    assert.match(vars(fromWest.body).SLUICE_BUCKET_FILES_NAME ?? "", /-us-west-2$/);
    assert.match(vars(fromWest.body).SLUICE_TABLE_HELLO_ARN ?? "", /:us-west-2:/);
    // The session's health checker id is in every region's health function.
    assert.equal(fromEast.body.checkerIdSet, true);
    assert.equal(fromWest.body.checkerIdSet, true);
  });

  test("an SDK client signed for a region sees that region's cloud; one the app does not run in finds nothing", {
    timeout: 60_000,
  }, async () => {
    const west = client(SQSClient, session.url, "us-west-2");
    const east = client(SQSClient, session.url, "us-east-1");
    const elsewhere = client(SQSClient, session.url, "eu-west-1");
    try {
      const { QueueUrl } = await west.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
      await west.send(new SendMessageCommand({ QueueUrl, MessageBody: "to the west" }));
      const inEast = await east.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      assert.equal(inEast.Messages, undefined);
      const inWest = await west.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      assert.equal(inWest.Messages?.[0]?.Body, "to the west");
      await assert.rejects(elsewhere.send(new GetQueueUrlCommand({ QueueName: QUEUE })), (error: Error) =>
        /QueueDoesNotExist|NonExistentQueue/.test(error.name),
      );
    } finally {
      for (const c of [west, east, elsewhere]) c.destroy();
    }
    const s3West = client(S3Client, session.url, "us-west-2");
    try {
      const { Buckets } = await s3West.send(new ListBucketsCommand({}));
      assert.deepEqual(
        Buckets?.map((b) => b.Name),
        ["regions-fixture-files-000000000000-us-west-2"],
      );
    } finally {
      s3West.destroy();
    }
  });

  test("a write to a global table reaches the other region after the replication lag", {
    timeout: 60_000,
  }, async () => {
    assert.ok(session.replication, "a global table starts replication");
    const east = client(DynamoDBClient, session.url, "us-east-1");
    const west = client(DynamoDBClient, session.url, "us-west-2");
    const key = { HelloKey: { S: "from-east" } };
    try {
      await east.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, Greeting: { S: "hi" } } }));
      const before = await west.send(new GetItemCommand({ TableName: TABLE, Key: key }));
      assert.equal(before.Item, undefined);
      await clock.advance(999);
      await session.replication.settled();
      assert.equal((await west.send(new GetItemCommand({ TableName: TABLE, Key: key }))).Item, undefined);
      await clock.advance(1);
      await session.replication.settled();
      const replicated = await west.send(new GetItemCommand({ TableName: TABLE, Key: key }));
      assert.equal(replicated.Item?.Greeting?.S, "hi");
    } finally {
      east.destroy();
      west.destroy();
    }
    assert.ok(events.some((e) => e.type === "replicated" && e.from === "us-east-1" && e.to === "us-west-2"));
  });

  test("the health checks pass with the session's checker id, DNS answers the primary and the front door forwards to it", {
    timeout: 60_000,
  }, async () => {
    const route53 = session.route53;
    assert.ok(route53 && session.frontDoorUrl && session.dnsPort);
    // Two intervals of 10 s: both checks have answered twice (threshold 2).
    await clock.advance(10_000);
    await route53.settled();
    await clock.advance(10_000);
    await route53.settled();
    const status = route53.status();
    assert.deepEqual(
      status.map((s) => [s.region, s.healthy]),
      [
        ["us-east-1", true],
        ["us-west-2", true],
      ],
    );
    for (const check of status) {
      assert.ok(check.lastResults.length > 0, check.region);
      // 200, not 503: the checks send the id every region's function was given.
      assert.ok(
        check.lastResults.every((r) => r.statusCode === 200),
        JSON.stringify(check.lastResults),
      );
      assert.equal(check.endpoint.includes("?"), false);
    }
    assert.equal(route53.resolve("api.example.com")?.region, "us-east-1");
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${session.dnsPort}`]);
    assert.deepEqual(await resolver.resolveCname("api.example.com"), ["us-east-1.api.example.com.localhost"]);
    // The definition's hosted zone: other names in it do not exist, names outside it are refused.
    await assert.rejects(resolver.resolve4("www.example.com"), { code: "ENOTFOUND" });
    await assert.rejects(resolver.resolve4("api.example.org"), { code: "EREFUSED" });
    const through = await getJson(`${session.frontDoorUrl}/where`);
    assert.equal(through.status, 200);
    assert.equal(through.body.region, "us-east-1");
    assert.equal(through.headers.get("x-sluice-region"), "us-east-1");
  });
  test("an outage of the primary fails its check over interval × threshold, and the front door follows DNS", {
    timeout: 60_000,
  }, async () => {
    const route53 = session.route53;
    const drills = session.drills;
    assert.ok(route53 && drills);
    drills.failRegion("us-east-1");
    await clock.advance(10_000);
    await route53.settled();
    // One failure of threshold 2: still the primary.
    assert.equal(route53.resolve("api.example.com")?.region, "us-east-1");
    await clock.advance(10_000);
    await route53.settled();
    assert.equal(route53.resolve("api.example.com")?.region, "us-west-2");
    const through = await getJson(`${session.frontDoorUrl}/where`);
    assert.equal(through.body.region, "us-west-2");
    assert.ok(events.some((e) => e.type === "dns-changed" && e.region === "us-west-2"));
    await drills.heal();
    // Two successes, one interval at a time (each ping finishes before the next falls due).
    for (const _ of [1, 2]) {
      await clock.advance(10_000);
      await route53.settled();
    }
    assert.equal(route53.resolve("api.example.com")?.region, "us-east-1");
  });

  test("new code whose init fails in a secondary region only is a failed reload; the old code serves there", {
    timeout: 60_000,
  }, async () => {
    const file = join(app.dir, "src", "api.ts");
    const original = readFileSync(file, "utf8");
    const outcome = () => events.findLast((e) => e.type === "reloaded" || e.type === "reload-failed");
    writeFileSync(
      file,
      `if (process.env.AWS_REGION === "us-west-2") throw new Error("no west");\n${original}`,
    );
    await session.reload(["src/api.ts"]);
    const failed = outcome();
    assert.ok(failed?.type === "reload-failed", JSON.stringify(failed));
    const west = await getJson(`${session.apiUrlsOf("us-west-2").http}/where`);
    assert.equal(west.status, 200);
    assert.equal(west.body.region, "us-west-2");
    writeFileSync(file, original);
    await session.reload(["src/api.ts"]);
    assert.equal(outcome()?.type, "reloaded");
  });

  test("a definition change restarts every region's cloud; changing the regions asks for a restart of dev", {
    timeout: 60_000,
  }, async () => {
    const config = join(app.dir, "sluice.config.ts");
    const original = readFileSync(config, "utf8");
    const westBefore = session.cloudOf("us-west-2");
    writeFileSync(config, original.replace("queues: { jobs: {} }", "queues: { jobs: {}, more: {} }"));
    await session.reload(["sluice.config.ts"]);
    const reloaded = events.findLast((e) => e.type === "reloaded" || e.type === "reload-failed");
    assert.ok(reloaded?.type === "reloaded" && reloaded.restarted, JSON.stringify(reloaded));
    assert.notEqual(session.cloudOf("us-west-2"), westBefore);
    for (const region of session.regions) {
      assert.ok(session.cloudOf(region).spec.queues.more, region);
      assert.equal(session.cloudOf(region).spec.region, region);
    }
    const west = await getJson(`${session.apiUrlsOf("us-west-2").http}/where`);
    assert.equal(west.body.region, "us-west-2");
    writeFileSync(config, original.replace('secondary: ["us-west-2"]', 'secondary: ["eu-west-1"]'));
    await session.reload(["sluice.config.ts"]);
    const refused = events.at(-1);
    assert.ok(refused?.type === "reload-failed", JSON.stringify(refused));
    assert.match(String((refused.error as Error).message), /regions changed .*stop and start sluice dev/);
    assert.deepEqual(session.regions, ["us-east-1", "us-west-2"]);
  });
});

describe("regions asked for with --regions", () => {
  test("runs each region asked for over an app without regions, and refuses codes that are not AWS Regions", {
    timeout: 60_000,
  }, async () => {
    const app = copyApp(API_APP);
    try {
      await assert.rejects(
        DevSession.start({ dir: app.dir, watch: false, regions: ["us-east-1", "mars-1", "../x"] }),
        (error: Error & { code?: string }) =>
          error.code === "SLUICE_REGIONS" && /"mars-1", "\.\.\/x" are not/.test(error.message),
      );
      assert.equal(existsSync(join(app.dir, ".sluice", "regions")), false);
      const session = await DevSession.start({
        dir: app.dir,
        watch: false,
        regions: ["eu-west-1", "us-east-1"],
      });
      try {
        assert.deepEqual(session.regions, ["eu-west-1", "us-east-1"]);
        assert.equal(session.spec.region, "eu-west-1");
        assert.deepEqual(session.spec.regions, { primary: "eu-west-1", secondary: ["us-east-1"] });
        assert.ok(existsSync(join(app.dir, ".sluice", "regions", "us-east-1", "state.sqlite")));
        const echo = await getJson(`${session.apiUrlsOf("us-east-1").http}/echo`);
        assert.equal(echo.status, 200);
        // One local CA for every region's WebSocket API, in the app's .sluice/tls/.
        assert.ok(existsSync(join(app.dir, ".sluice", "tls", "ca.pem")));
        assert.equal(existsSync(join(app.dir, ".sluice", "regions", "us-east-1", "tls")), false);
        const pem = session.cloudOf("us-east-1").certificateAuthority?.certPem;
        assert.ok(pem !== undefined && pem === session.cloudOf("eu-west-1").certificateAuthority?.certPem);
        assert.equal(session.replication, undefined);
        assert.equal(session.route53, undefined);
      } finally {
        await session.close();
      }
    } finally {
      app.cleanup();
    }
  });
});

describe("a failed start", () => {
  test("a taken --dns-port stops every region's servers and clouds and frees the app", {
    timeout: 120_000,
  }, async () => {
    const app = copyAppWithSdk(REGIONS_APP);
    const taken = createServer();
    const free = createServer();
    try {
      await new Promise<void>((done) => taken.listen(0, "127.0.0.1", done));
      await new Promise<void>((done) => free.listen(0, "127.0.0.1", done));
      const dnsPort = (taken.address() as AddressInfo).port;
      const httpPort = (free.address() as AddressInfo).port;
      await new Promise<void>((done) => free.close(() => done()));
      await assert.rejects(
        DevSession.start({ dir: app.dir, watch: false, dnsPort, httpPort }),
        (error: Error & { code?: string; context?: Record<string, unknown> }) =>
          error.code === "SLUICE_PORT_IN_USE" && error.context?.option === "dnsPort",
      );
      // The primary's HTTP API (and with it every region's servers) stopped: its port is free.
      await new Promise<void>((done, fail) => free.once("error", fail).listen(httpPort, "127.0.0.1", done));
      await new Promise<void>((done) => free.close(() => done()));
      // Every region's state file and the dev lock are free: dev starts again.
      const session = await DevSession.start({ dir: app.dir, watch: false });
      await session.close();
    } finally {
      taken.close();
      app.cleanup();
    }
  });
});

describe("commands without a running dev", () => {
  test("sluice send --region writes to the region's own state, which dev then serves", {
    timeout: 120_000,
  }, async () => {
    const app = copyAppWithSdk(REGIONS_APP);
    try {
      const sent = await sluice([
        "send",
        "jobs",
        "queued offline",
        "--dir",
        app.dir,
        "--region",
        "us-west-2",
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      assert.ok(existsSync(join(app.dir, ".sluice", "regions", "us-west-2", "state.sqlite")));
      assert.equal(existsSync(join(app.dir, ".sluice", "state.sqlite")), false);
      const session = await DevSession.start({ dir: app.dir, watch: false });
      const east = client(SQSClient, session.url, "us-east-1");
      const west = client(SQSClient, session.url, "us-west-2");
      try {
        const { QueueUrl } = await west.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
        assert.equal(
          (await east.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))).Messages,
          undefined,
        );
        const got = await west.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
        assert.equal(got.Messages?.[0]?.Body, "queued offline");
      } finally {
        east.destroy();
        west.destroy();
        await session.close();
      }
    } finally {
      app.cleanup();
    }
  });
});

describe("a single-region app", () => {
  test("keeps one cloud on .sluice/state.sqlite, and nothing of regions", { timeout: 60_000 }, async () => {
    const app = copyApp(API_APP);
    const events: DevEvent[] = [];
    const session = await DevSession.start({ dir: app.dir, watch: false, onEvent: (e) => events.push(e) });
    try {
      assert.deepEqual(session.regions, ["us-east-1"]);
      assert.equal(session.multiRegion, false);
      assert.ok(existsSync(join(app.dir, ".sluice", "state.sqlite")));
      assert.equal(existsSync(join(app.dir, ".sluice", "regions")), false);
      const ready = events.find((e) => e.type === "ready");
      assert.ok(ready?.type === "ready" && ready.regions === undefined && ready.failover === undefined);
      assert.equal(session.frontDoorUrl, undefined);
      await getJson(`${session.apiUrls.http}/echo`);
      const access = events.find((e) => e.type === "access");
      assert.ok(access?.type === "access" && access.region === undefined);
      // As before regions: a changed `region` restarts the one cloud there, on the same state file.
      const config = join(app.dir, "sluice.config.ts");
      writeFileSync(
        config,
        readFileSync(config, "utf8").replace(
          'name: "api-fixture",',
          'name: "api-fixture", region: "eu-west-1",',
        ),
      );
      await session.reload(["sluice.config.ts"]);
      const reloaded = events.findLast((e) => e.type === "reloaded" || e.type === "reload-failed");
      assert.ok(reloaded?.type === "reloaded" && reloaded.restarted, JSON.stringify(reloaded));
      assert.equal(session.localCloud.spec.region, "eu-west-1");
      assert.equal(session.spec.region, "eu-west-1");
      assert.equal(existsSync(join(app.dir, ".sluice", "regions")), false);
      const echo = await getJson(`${session.apiUrls.http}/echo`);
      assert.equal(echo.status, 200);
    } finally {
      await session.close();
      app.cleanup();
    }
  });
});

describe("sluice dev with regions (the CLI)", () => {
  test("prints each region's APIs, the front door, the DNS server and replication, and logs replication", {
    timeout: 120_000,
  }, async () => {
    const app = copyAppWithSdk(REGIONS_APP);
    const dev = await startDev(app.dir, { args: ["--replication-lag", "0", "--latency", "us-east-1=30"] });
    try {
      await dev.waitForLine(/replication\s+regions-fixture-hello/);
      const banner = dev.lines.join("\n");
      assert.match(banner, /regions\s+us-east-1 \(primary\), us-west-2/);
      assert.match(banner, /HTTP API\s+http:\/\/127\.0\.0\.1:\d+\s+us-west-2/);
      assert.match(banner, /front door\s+http:\/\/127\.0\.0\.1:\d+\s+\(api\.example\.com, failover routing/);
      assert.match(banner, /DNS server\s+127\.0\.0\.1:(\d+)\s+\(dig @127\.0\.0\.1 -p \1 api\.example\.com\)/);
      assert.match(banner, /health check\s+us-west-2 \/health every 10 s, threshold 2/);
      assert.match(banner, /lag 0 ms/);
      const url = /control endpoint\s+(\S+)/.exec(banner)?.[1] ?? "";
      const east = client(DynamoDBClient, url, "us-east-1");
      try {
        await east.send(new PutItemCommand({ TableName: TABLE, Item: { HelloKey: { S: "cli" } } }));
      } finally {
        east.destroy();
      }
      await dev.waitForLine(/\[replication\] regions-fixture-hello: 1 write us-east-1 → us-west-2/);
      const west = /HTTP API\s+(http:\/\/127\.0\.0\.1:\d+)\s+us-west-2/.exec(banner)?.[1];
      await fetch(`${west}/where`);
      await dev.waitForLine(/\[http us-west-2\] GET \/where → 200/);
      await dev.waitForLine(/\[api us-west-2\] END RequestId/);
      assert.match(banner, /HTTP API\s+http:\/\/127\.0\.0\.1:\d+\s+us-east-1/);
      // invoke and send act on the primary unless --region names another region dev runs.
      const invoked = await sluice([
        "invoke",
        "api",
        "--dir",
        app.dir,
        "--region",
        "us-west-2",
        "--event",
        '{"rawPath":"/x"}',
      ]);
      assert.equal(invoked.code, 0, invoked.stderr);
      assert.equal(JSON.parse(JSON.parse(invoked.stdout).body).region, "us-west-2");
      const primary = await sluice(["invoke", "api", "--dir", app.dir, "--event", '{"rawPath":"/x"}']);
      assert.equal(JSON.parse(JSON.parse(primary.stdout).body).region, "us-east-1");
      const sent = await sluice(["send", "jobs", "west", "--dir", app.dir, "--region", "us-west-2"]);
      assert.equal(sent.code, 0, sent.stderr);
      const sqsWest = client(SQSClient, url, "us-west-2");
      try {
        const { QueueUrl } = await sqsWest.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
        const got = await sqsWest.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
        assert.equal(got.Messages?.[0]?.Body, "west");
      } finally {
        sqsWest.destroy();
      }
      // Route 53's first pings, one interval (10 s) after the start: the log leaves out the secret.
      await dev.waitForLine(/\[http us-west-2\] GET \/health\?healthCheckerId=… → 200/, 30_000);
      assert.equal(
        dev.lines.some((line) => /healthCheckerId=[^…]/.test(line)),
        false,
      );
      const tables = await sluice(["tables", "--dir", app.dir, "--region", "us-west-2", "--json"]);
      assert.equal(tables.code, 0, tables.stderr);
      assert.deepEqual(
        (JSON.parse(tables.stdout) as { tableName: string; itemCount: number }[]).map((t) => [
          t.tableName,
          t.itemCount,
        ]),
        [[TABLE, 1]],
      );
      const elsewhere = await sluice(["send", "jobs", "x", "--dir", app.dir, "--region", "eu-west-1"]);
      assert.equal(elsewhere.code, 1);
      assert.match(elsewhere.stderr, /not eu-west-1/);
    } finally {
      await dev.stop();
      app.cleanup();
    }
  });

  test("refuses a --regions list with codes that are not AWS Regions, naming them all", {
    timeout: 60_000,
  }, async () => {
    const app = copyApp(API_APP);
    try {
      const result = await sluice(["dev", app.dir, "--no-watch", "--regions", "us-east-1,moon-1,x"]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /"moon-1", "x" are not/);
    } finally {
      app.cleanup();
    }
  });
});

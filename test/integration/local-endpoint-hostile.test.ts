/**
 * Hostile input across every protocol Sluice serves (SQS JSON and query, STS, Lambda, EventBridge,
 * S3 on both endpoints, DynamoDB and its Streams, Step Functions, CloudFormation, CloudWatch Logs,
 * Route 53, EC2, ELBv2, the control API with its trace routes, the console page, HTTP and
 * WebSocket APIs, `sluice serve`), sent over real sockets to a `dev` session, a `sluice cloud`
 * account and a `sluice serve` server in this process, so that a polluted
 * prototype would show here. Zero 500s, zero stack traces in answers, zero prototype changes, zero
 * files outside the state folders, and the data stored before is intact.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { type RunningServer, readServedApp, startServer } from "../../src/serve/index.ts";
import { ROOT } from "../support/cli-process.ts";
import {
  clientConfig,
  copyAppWithSdk,
  type EndpointApp,
  SCRIPT_CREDENTIALS,
  startEndpointApp,
} from "../support/endpoint.ts";
import { type HostileRequest, hostileRequests, type Server } from "../support/hostile-requests.ts";
import { controlHeaders, signedHeaders } from "../support/request-signing.ts";

interface Answer {
  readonly status: number;
  readonly body: string;
}

const ANSWER_TIMEOUT_MS = 15_000;
/** What a stack trace or a source location looks like in an answer. */
const STACK = /\n\s+at\s|node:internal|\.ts:\d+|\.m?js:\d+:\d+|\/work\/|\/src\/local\//;

function send(port: number, req: HostileRequest, extraHeaders: Record<string, string>): Promise<Answer> {
  const headers: Record<string, string> = {
    host: req.host ?? `127.0.0.1:${port}`,
    ...(req.unsigned ? {} : signedHeaders(req.service ?? "sqs", req.region ?? "us-east-1")),
    ...extraHeaders,
    ...req.headers,
  };
  if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const call = request({ host: "127.0.0.1", port, method: req.method, path: req.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        if (chunks.length < 64) chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    call.setTimeout(ANSWER_TIMEOUT_MS, () =>
      call.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
    );
    call.on("error", reject);
    call.end(req.body);
  });
}

/** The own property names of the built-in prototypes, to catch pollution. */
function prototypeSnapshot(): Record<string, string[]> {
  const protos = {
    Object: Object.prototype,
    Array: Array.prototype,
    Function: Function.prototype,
    String: String.prototype,
  };
  return Object.fromEntries(
    Object.entries(protos).map(([name, proto]) => [name, Object.getOwnPropertyNames(proto).sort()]),
  );
}

/** Every file below `root`, except below the named state folders. */
function filesOutside(root: string, stateDirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (stateDirs.includes(path) || entry.name === "node_modules") continue;
      if (entry.isDirectory()) walk(path);
      else found.push(relative(root, path));
    }
  };
  walk(root);
  return found.sort();
}

describe("hostile input on every protocol", () => {
  const clock = new ManualClock(Date.parse("2026-12-05T12:00:00Z"));
  let dev: EndpointApp;
  let api: { session: DevSession; cleanup(): void; dir: string };
  let cloud: CloudHost;
  let cloudRoot: string;
  let served: RunningServer;
  let s3: S3Client;
  let logs: CloudWatchLogsClient;
  let jobsUrl: string;

  before(async () => {
    dev = await startEndpointApp({ clock, iam: "enforce" });
    const apiCopy = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "api"));
    api = { ...apiCopy, session: await DevSession.start({ dir: apiCopy.dir, watch: false, clock }) };
    // `sluice serve` of the api app, against the api session's endpoint.
    const built = await buildApp(await loadApp(api.dir), { outDir: join(api.dir, ".sluice", "serve-build") });
    const app = readServedApp(built.outDir);
    served = await startServer({
      app,
      endpointUrl: api.session.url,
      environment: {
        AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
      },
    });
    cloudRoot = mkdtempSync(join(tmpdir(), "sluice-hostile-"));
    cloud = await CloudHost.start({ stateDir: join(cloudRoot, "state"), clock });
    const config = clientConfig(cloud.url);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    logs = new CloudWatchLogsClient(config);
    // The data that must survive.
    jobsUrl = (await dev.sqs.send(new GetQueueUrlCommand({ QueueName: "endpoint-jobs" }))).QueueUrl ?? "";
    for (const body of ["one", "two", "three"])
      await dev.sqs.send(new SendMessageCommand({ QueueUrl: jobsUrl, MessageBody: body }));
    for (const bucket of ["keep", "scratch"]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: "keep", Key: "data/k", Body: "precious" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/keep" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "/keep", logStreamName: "s" }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: "/keep",
        logStreamName: "s",
        logEvents: [{ timestamp: clock.now(), message: "kept" }],
      }),
    );
  });

  after(async () => {
    s3?.destroy();
    logs?.destroy();
    await cloud?.close();
    await served?.close();
    await api?.session.close();
    api?.cleanup();
    await dev?.close();
    if (cloudRoot) rmSync(cloudRoot, { recursive: true, force: true });
  });

  test("answers 1,200+ malformed requests without a 500, a stack trace, a polluted prototype, a stray file or lost data", async () => {
    const protoBefore = prototypeSnapshot();
    const roots = [dev.dir, api.dir, cloudRoot];
    const stateDirs = [join(dev.dir, ".sluice"), join(api.dir, ".sluice"), join(cloudRoot, "state")];
    const filesBefore = roots.map((root) => filesOutside(root, stateDirs));
    const workUrl =
      (await dev.sqs.send(new GetQueueUrlCommand({ QueueName: "endpoint-work" }))).QueueUrl ?? "";
    const urls = api.session.apiUrls;
    const control = controlHeaders(join(dev.dir, ".sluice"));
    const requests = hostileRequests({
      queueUrl: workUrl,
      httpBase: urls.http ?? "",
      wsStage: new URL(urls.websocket ?? "ws://x/").pathname.replace(/\/$/, ""),
      consoleToken: (control.authorization ?? "").replace(/^Bearer /, ""),
    });
    assert.ok(requests.length >= 1200, `only ${requests.length} hostile requests`);
    // Every server and every protocol family gets its share.
    for (const family of [
      "SQS JSON",
      "SQS query",
      "STS",
      "Lambda",
      "EventBridge",
      "S3 on cloud",
      "S3 on dev",
      "DynamoDB ",
      "DynamoDB Streams",
      "Step Functions",
      "CloudFormation",
      "Logs",
      "Route 53",
      "ec2",
      "elasticloadbalancing",
      "control",
      "trace control",
      "console",
      "api",
      "ws",
      "serve",
      "foreign Host",
    ])
      assert.ok(requests.filter((r) => r.name.startsWith(family)).length >= 4, `few requests for ${family}`);
    const ports: Record<Server, number> = {
      dev: Number(new URL(dev.url).port),
      cloud: Number(new URL(cloud.url).port),
      api: Number(new URL(urls.http ?? "").port),
      ws: Number(new URL(urls.websocketCallback ?? urls.websocket ?? "").port),
      serve: Number(new URL(served.url).port),
    };
    const failures: string[] = [];
    for (const req of requests) {
      try {
        const answer = await send(ports[req.server], req, req.path.startsWith("/_sluice") ? control : {});
        // A foreign Host (DNS rebinding) is refused by every server before anything runs.
        if (req.host !== undefined && answer.status !== 403)
          failures.push(`${req.name}: ${answer.status}, not 403, for a foreign Host`);
        if (answer.status >= 500 && answer.status !== 501 && answer.status !== 503)
          failures.push(`${req.name}: ${answer.status} ${answer.body.slice(0, 200)}`);
        if (STACK.test(answer.body))
          failures.push(`${req.name}: stack trace or source path in ${answer.body.slice(0, 300)}`);
      } catch (error) {
        failures.push(`${req.name}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(prototypeSnapshot(), protoBefore);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(
      roots.map((root) => filesOutside(root, stateDirs)),
      filesBefore,
    );
    // Only real region names became folders of the account.
    const regions = readdirSync(join(cloudRoot, "state"), { withFileTypes: true }).some(
      (e) => e.name === "regions",
    )
      ? readdirSync(join(cloudRoot, "state", "regions"))
      : [];
    for (const region of regions) assert.match(region, /^[a-z]{2}(-[a-z]+)+-\d$/);

    // The data stored before is intact, and a new message is visible at once (no polluted delay).
    const jobs = await dev.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: jobsUrl, AttributeNames: ["All"] }),
    );
    assert.equal(jobs.Attributes?.ApproximateNumberOfMessages, "3");
    const auditUrl =
      (await dev.sqs.send(new GetQueueUrlCommand({ QueueName: "endpoint-audit" }))).QueueUrl ?? "";
    await dev.sqs.send(new SendMessageCommand({ QueueUrl: auditUrl, MessageBody: "after" }));
    const audit = await dev.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: auditUrl, AttributeNames: ["All"] }),
    );
    assert.equal(audit.Attributes?.ApproximateNumberOfMessagesDelayed, "0");
    const object = await s3.send(new GetObjectCommand({ Bucket: "keep", Key: "data/k" }));
    assert.equal(await object.Body?.transformToString(), "precious");
    const keys = await s3.send(new ListObjectsV2Command({ Bucket: "keep" }));
    assert.deepEqual(
      keys.Contents?.map((c) => c.Key),
      ["data/k"],
    );
    const kept = await logs.send(new GetLogEventsCommand({ logGroupName: "/keep", logStreamName: "s" }));
    assert.deepEqual(
      kept.events?.map((e) => e.message),
      ["kept"],
    );
  });
});

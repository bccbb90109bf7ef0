/**
 * `sluice dev` with a fleet whose role is "primary" (issue 19): Lambda stands by. Dev's own SQS
 * poller leaves the served consumer's queue to the fleet, which consumes it through dev's endpoint
 * (real SQS calls, real processes of dev's Lambda emulation not involved); a consumer the fleet
 * does not serve stays Lambda's. The front door answers from the fleet first. Under `--iam enforce`
 * the fleet's calls are held to its role (its functions' grants, and GetQueueUrl on their queues).
 */
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { ROOT } from "../support/cli-process.ts";
import { SCRIPT_CREDENTIALS } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

const REGION = "eu-west-1";

const CONFIG = `import { defineApp } from "sluice";

export default defineApp({
  name: "standby",
  region: "${REGION}",
  domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
  queues: { jobs: {}, audit: {}, done: {} },
  functions: {
    api: { handler: "src/app.api", http: "GET /who", health: { path: "/health" } },
    peek: { handler: "src/app.peek", http: "GET /peek" },
    worker: {
      handler: "src/app.consume",
      consumes: { queue: "jobs", batchSize: 1 },
      routes: (error, result) => (error ? [] : [{ to: "done", data: result }]),
      routesTo: ["done"],
    },
    auditor: {
      handler: "src/app.consume",
      consumes: { queue: "audit", batchSize: 1 },
      routes: (error, result) => (error ? [] : [{ to: "done", data: result }]),
      routesTo: ["done"],
    },
  },
  servers: { web: { functions: ["api", "worker", "peek"], role: "primary" } },
});
`;

/** Both functions say who ran them: only \`sluice serve\` sets SLUICE_FLEET. */
const CODE = `import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";

const by = () => process.env.SLUICE_FLEET ?? "lambda";

/** A call no grant of the fleet's functions allows: audit is auditor's queue. */
export async function peek() {
  try {
    await new SQSClient({ maxAttempts: 1 }).send(new GetQueueUrlCommand({ QueueName: "standby-audit" }));
    return { statusCode: 200, body: by() + " allowed" };
  } catch (error) {
    return { statusCode: 200, body: by() + " " + error.name };
  }
}

export async function api() {
  return { statusCode: 200, body: by() };
}

export async function consume(event) {
  const bodies = event.Records.map((r) => r.body);
  console.log("consumed", bodies.join(","), "on", by());
  return { by: by(), bodies };
}
`;

describe("dev with a primary fleet: Lambda stands by", { timeout: 170_000 }, () => {
  let app: TempDir;
  let session: DevSession;
  let sqs: SQSClient;
  const clock = new ManualClock();
  const events: DevEvent[] = [];

  before(async () => {
    app = tempDir("sluice-standby-");
    mkdirSync(join(app.dir, "src"), { recursive: true });
    writeFileSync(join(app.dir, "sluice.config.ts"), CONFIG);
    writeFileSync(join(app.dir, "src", "app.ts"), CODE);
    // The handlers import the AWS SDK (external in bundles, as on Lambda).
    symlinkSync(join(ROOT, "node_modules"), join(app.dir, "node_modules"), "dir");
    session = await DevSession.start({
      dir: app.dir,
      clock,
      watch: false,
      iam: "enforce",
      onEvent: (event) => events.push(event),
    });
    sqs = new SQSClient({
      endpoint: session.url,
      region: REGION,
      credentials: SCRIPT_CREDENTIALS,
      maxAttempts: 1,
    });
  });

  after(async () => {
    sqs?.destroy();
    await session?.close();
    app?.cleanup();
  });

  const queueUrl = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: `standby-${name}` }))).QueueUrl as string;

  /** The next result routed to `done`, deleted once read. */
  const nextDone = async () => {
    const url = await queueUrl("done");
    return eventually(async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
      const message = Messages?.[0];
      if (message === undefined) return undefined;
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
      return JSON.parse(message.Body ?? "null") as { by: string; bodies: string[] };
    }, "a result on the done queue");
  };

  test("the fleet consumes the served function's queue; dev's Lambda never runs it", async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl("jobs"), MessageBody: "job-1" }));
    assert.deepEqual(await nextDone(), { by: "web", bodies: ["job-1"] });
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl("jobs"), MessageBody: "job-2" }));
    assert.deepEqual(await nextDone(), { by: "web", bodies: ["job-2"] });
    const lambdaRan = events.filter(
      (e) => e.type === "log" && e.line.functionName.includes("worker") && e.line.text.includes("consumed"),
    );
    assert.deepEqual(lambdaRan, [], "Lambda's mapping of worker stands by");
  });

  test("a consumer the fleet does not serve stays Lambda's", async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl("audit"), MessageBody: "audit-1" }));
    assert.deepEqual(await nextDone(), { by: "lambda", bodies: ["audit-1"] });
  });

  test("the front door answers from the fleet, the PRIMARY record", async () => {
    assert.ok(session.frontDoorUrl);
    const response = await fetch(`${session.frontDoorUrl}/who`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-sluice-region"), "fleet web");
    assert.equal(await response.text(), "web");
    // Lambda has no Route 53 check here. The fleet's record follows its target group's health
    // (EvaluateTargetHealth): the group's check on /healthz, every 10 s, 2 failures (synth's).
    assert.deepEqual(
      session.route53
        ?.status()
        .map((c) => [c.region, c.endpoint.endsWith("/healthz"), c.intervalSeconds, c.failureThreshold]),
      [["fleet web", true, 10, 2]],
    );
  });

  test("--iam enforce: the fleet's calls are held to its role, as Lambda's to the function's", async () => {
    const ready = events.find((e) => e.type === "ready");
    const fleet = ready?.type === "ready" ? ready.fleets?.find((f) => f.name === "web")?.url : undefined;
    assert.ok(fleet, "the fleet runs");
    const fromFleet = await (await fetch(`${fleet}/peek`)).text();
    assert.match(fromFleet, /^web AccessDenied/);
    const fromLambda = await (await fetch(`${session.apiUrls.http}/peek`)).text();
    assert.match(fromLambda, /^lambda AccessDenied/);
    const denied = events.flatMap((e) => (e.type === "iam-denied" ? [e] : []));
    assert.ok(
      denied.some((e) => e.fleet !== undefined && e.function === "web" && e.action === "sqs:GetQueueUrl"),
      JSON.stringify(denied),
    );
    // What the fleet itself needs (its queues' URLs, its consumer's and its routes' calls) passes.
    assert.deepEqual(
      denied.filter((e) => e.fleet !== undefined && !e.resource.endsWith(":standby-audit")),
      [],
    );
  });
});

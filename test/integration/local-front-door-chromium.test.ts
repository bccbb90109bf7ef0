/**
 * A web page on another origin, opened in headless Chromium, tries every cross-site action the
 * front door must stop: purge a queue and send to it (query form posts, JSON fetches), invoke a
 * function (Lambda REST), read the control API, delete a stack in `sluice cloud` (form post), and
 * read the control API through a DNS-rebinding stand-in. A second page, which even knows the
 * console's URL (its token), tries the surfaces added since: DynamoDB, Step Functions and S3 on
 * dev's endpoint (scripted calls, no-cors posts, a multipart upload form), the console's actions on
 * the control API (purge, put an event, trigger a schedule, replay a hop, advance time, read
 * traces) and the console page itself (fetch, frame, script). Afterwards the servers show that
 * nothing took effect.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  waitUntilChangeSetCreateComplete,
  waitUntilStackCreateComplete,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import {
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { Browser, Page } from "playwright-core";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { launchChromium } from "../support/chromium.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig, copyAppWithSdk, type EndpointApp, startEndpointApp } from "../support/endpoint.ts";
import { controlHeaders } from "../support/request-signing.ts";

const WAIT = { minDelay: 1, maxDelay: 1, maxWaitTime: 60 };
const PAGE_TIMEOUT_MS = 30_000;

describe("a page on another origin in headless Chromium", () => {
  let browser: Browser;
  let dev: EndpointApp;
  let cloud: CloudHost;
  let cloudState: string;
  let cfn: CloudFormationClient;
  let attacker: Server;
  let attackerUrl = "";
  const jobs = () => `${dev.url}/000000000000/endpoint-jobs`;

  before(async () => {
    dev = await startEndpointApp();
    for (const body of ["one", "two"])
      await dev.sqs.send(new SendMessageCommand({ QueueUrl: jobs(), MessageBody: body }));
    cloudState = mkdtempSync(join(tmpdir(), "sluice-chromium-cloud-"));
    cloud = await CloudHost.start({ stateDir: cloudState });
    cfn = new CloudFormationClient({
      region: "us-east-1",
      endpoint: cloud.url,
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "secret" },
    });
    const created = await cfn.send(
      new CreateChangeSetCommand({
        StackName: "guarded",
        ChangeSetName: "first",
        ChangeSetType: "CREATE",
        TemplateBody: JSON.stringify({
          Resources: { Logs: { Type: "AWS::Logs::LogGroup", Properties: { LogGroupName: "guarded-logs" } } },
        }),
      }),
    );
    await waitUntilChangeSetCreateComplete({ client: cfn, ...WAIT }, { ChangeSetName: created.Id });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
    await waitUntilStackCreateComplete({ client: cfn, ...WAIT }, { StackName: "guarded" });
    attacker = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(attackPage(dev.url, jobs(), cloud.url));
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    browser = await launchChromium(["--host-resolver-rules=MAP rebind.test 127.0.0.1"]);
  });

  after(async () => {
    await browser?.close();
    attacker?.closeAllConnections();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    cfn?.destroy();
    await cloud?.close();
    await dev?.close();
    if (cloudState) rmSync(cloudState, { recursive: true, force: true });
  });

  test("no cross-site action takes effect, and the control API's data never reaches the page", async () => {
    const page = await browser.newPage();
    const results = await attackResults(page, attackerUrl);
    assert.doesNotMatch(results, /endpoint-jobs|"ok":true|"pid"/, "the page read no control data");

    // DNS rebinding: a name the attacker controls, resolved to 127.0.0.1, is a foreign Host.
    const port = new URL(dev.url).port;
    const rebound = await page.goto(`http://rebind.test:${port}/_sluice/queues`);
    assert.equal(rebound?.status(), 403);
    const rebindRead = await page.evaluate(async () => {
      const sent = await fetch("/", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=PurgeQueue&QueueUrl=x",
      });
      return `${sent.status} ${await (await fetch("/_sluice/queues")).text()}`;
    });
    assert.match(rebindRead, /^403 /);
    assert.doesNotMatch(rebindRead, /endpoint-jobs/);
    await page.close();

    const attributes = await dev.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: jobs(), AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    assert.equal(attributes.Attributes?.ApproximateNumberOfMessages, "2", "not purged, nothing sent");
    assert.equal(dev.events.filter((e) => e.type === "log").length, 0, "no function ran");
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: "guarded" }))).Stacks ?? [];
    assert.equal(stack?.StackStatus, "CREATE_COMPLETE", "the stack was not deleted");
    // The check above can see an invocation: one the SDK makes shows up as log lines.
    await dev.lambda.send(new InvokeCommand({ FunctionName: "endpoint-echo", Payload: Buffer.from("{}") }));
    assert.ok(
      dev.events.some((e) => e.type === "log"),
      "an invocation is visible in the events",
    );
  });
});

describe("a page on another origin that knows the console's URL, in headless Chromium", () => {
  let browser: Browser;
  let app: { dir: string; cleanup(): void };
  let session: DevSession;
  const events: DevEvent[] = [];
  let attacker: Server;
  let attackerUrl = "";
  let control: Record<string, string>;
  let sqs: SQSClient;
  let dynamodb: DynamoDBClient;
  let s3: S3Client;
  let sfn: SFNClient;
  const names = { queueUrl: "", table: "", bucket: "", machineArn: "" };

  const controlGet = async (path: string) =>
    (await fetch(`${session.url}/_sluice/${path}`, { headers: control })).json() as Promise<unknown>;

  before(async () => {
    app = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "cross-site"));
    // A manual clock: only an advance (the page's attempt included) moves it.
    const clock = new ManualClock(Date.parse("2026-12-05T12:00:00Z"));
    session = await DevSession.start({ dir: app.dir, watch: false, clock, onEvent: (e) => events.push(e) });
    control = controlHeaders(join(app.dir, ".sluice"));
    const config = clientConfig(session.url);
    sqs = new SQSClient(config);
    dynamodb = new DynamoDBClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sfn = new SFNClient(config);
    names.queueUrl =
      (await sqs.send(new GetQueueUrlCommand({ QueueName: "cross-site-orders" }))).QueueUrl ?? "";
    names.table = (await dynamodb.send(new ListTablesCommand({}))).TableNames?.[0] ?? "";
    names.bucket = (await s3.send(new ListBucketsCommand({}))).Buckets?.[0]?.Name ?? "";
    names.machineArn =
      (await sfn.send(new ListStateMachinesCommand({}))).stateMachines?.[0]?.stateMachineArn ?? "";
    assert.ok(names.queueUrl && names.table && names.bucket && names.machineArn, JSON.stringify(names));
    // The data that must survive.
    await sqs.send(new SendMessageCommand({ QueueUrl: names.queueUrl, MessageBody: "kept" }));
    await dynamodb.send(new PutItemCommand({ TableName: names.table, Item: { pk: { S: "kept" } } }));
    await s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: "k", Body: "kept" }));
    const ready = events.find((e) => e.type === "ready");
    const consoleUrl = ready?.type === "ready" ? (ready.consoleUrl ?? "") : "";
    assert.ok(consoleUrl.includes("/_sluice/console/"), "dev serves the console");
    attacker = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(surfacesPage(session.url, names, consoleUrl));
    });
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    attacker?.closeAllConnections();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    for (const client of [sqs, dynamodb, s3, sfn]) client?.destroy();
    await session?.close();
    app?.cleanup();
  });

  test("no DynamoDB, Step Functions, S3 or console action takes effect, and the page reads nothing", async () => {
    const timeBefore = JSON.stringify(await controlGet("time"));
    const tracesBefore = JSON.stringify(await controlGet("traces"));
    const page = await browser.newPage();
    // What each request the page made to dev's endpoint was answered with (no-cors ones included).
    const answered: string[] = [];
    page.on("response", (response) => {
      if (response.url().startsWith(session.url)) answered.push(`${response.status()} ${response.url()}`);
    });
    const results = await attackResults(page, attackerUrl);
    await page.close();
    assert.doesNotMatch(results, /kept|<html|console\.js|"traces"|"now"|"pk"/i, "the page read nothing");
    assert.ok(answered.length >= 10, `the page's requests reached the endpoint:\n${answered.join("\n")}`);
    for (const line of answered) assert.match(line, /^403 /, "every request from the page is refused");
    for (const reached of [
      "/_sluice/console/",
      "/_sluice/purge",
      "/_sluice/schedules/trigger",
      `/${names.bucket}`,
    ])
      assert.ok(
        answered.some((line) => line.includes(reached)),
        `no request reached ${reached}:\n${answered.join("\n")}`,
      );

    assert.equal(JSON.stringify(await controlGet("time")), timeBefore, "the clock did not move");
    assert.equal(JSON.stringify(await controlGet("traces")), tracesBefore, "no trace was made or replayed");
    const queue = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: names.queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages"],
      }),
    );
    assert.equal(queue.Attributes?.ApproximateNumberOfMessages, "1", "not purged, nothing sent");
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: names.table }));
    assert.equal(table.Table?.TableStatus, "ACTIVE", "the table was not deleted");
    const scan = await dynamodb.send(new ScanCommand({ TableName: names.table }));
    assert.equal(scan.Count, 1, "the table holds its one item");
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: names.table, Key: { pk: { S: "kept" } } }),
    );
    assert.ok(item.Item, "the item was not deleted");
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: names.bucket }));
    assert.deepEqual(
      objects.Contents?.map((o) => o.Key),
      ["k"],
    );
    const object = await s3.send(new GetObjectCommand({ Bucket: names.bucket, Key: "k" }));
    assert.equal(await object.Body?.transformToString(), "kept");
    const executions = await sfn.send(new ListExecutionsCommand({ stateMachineArn: names.machineArn }));
    assert.deepEqual(executions.executions, [], "no execution started");
    assert.equal(events.filter((e) => e.type === "log").length, 0, "no function ran (event, schedule)");
  });
});

/**
 * The second attacker's page: scripted calls with AWS's headers (a preflight first), no-cors posts
 * and a multipart form a browser sends without asking, on each surface, and the console page.
 */
function surfacesPage(
  endpoint: string,
  names: { queueUrl: string; table: string; bucket: string; machineArn: string },
  consoleUrl: string,
): string {
  const j = (value: unknown) => JSON.stringify(value);
  const aws = (target: string, body: unknown, mode: "cors" | "no-cors") =>
    mode === "cors"
      ? `fetch(${j(`${endpoint}/`)}, { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": ${j(target)} }, body: ${j(j(body))} })`
      : `fetch(${j(`${endpoint}/`)}, { method: "POST", mode: "no-cors", headers: { "x-amz-target": ${j(target)} }, body: ${j(j(body))} })`;
  const controlCall = (path: string, body: unknown) =>
    `fetch(${j(`${endpoint}/_sluice/${path}`)}, { method: "POST", mode: "no-cors", body: ${j(j(body))} })`;
  const item = { TableName: names.table, Item: { pk: { S: "from-the-page" } } };
  const attempts: [string, string][] = [
    ["dynamodb put cors", aws("DynamoDB_20120810.PutItem", item, "cors")],
    ["dynamodb put no-cors", aws("DynamoDB_20120810.PutItem", item, "no-cors")],
    [
      "dynamodb delete item cors",
      aws("DynamoDB_20120810.DeleteItem", { TableName: names.table, Key: { pk: { S: "kept" } } }, "cors"),
    ],
    [
      "dynamodb delete table no-cors",
      aws("DynamoDB_20120810.DeleteTable", { TableName: names.table }, "no-cors"),
    ],
    [
      "partiql delete no-cors",
      aws(
        "DynamoDB_20120810.ExecuteStatement",
        { Statement: `DELETE FROM "${names.table}" WHERE pk = 'kept'` },
        "no-cors",
      ),
    ],
    ["sfn start cors", aws("AWSStepFunctions.StartExecution", { stateMachineArn: names.machineArn }, "cors")],
    [
      "sfn start no-cors",
      aws("AWSStepFunctions.StartExecution", { stateMachineArn: names.machineArn }, "no-cors"),
    ],
    ["s3 put cors", `fetch(${j(`${endpoint}/${names.bucket}/k`)}, { method: "PUT", body: "from-the-page" })`],
    ["s3 delete cors", `fetch(${j(`${endpoint}/${names.bucket}/k`)}, { method: "DELETE" })`],
    ["s3 get cors", `fetch(${j(`${endpoint}/${names.bucket}/k`)})`],
    [
      "s3 post upload no-cors",
      `(() => { const f = new FormData(); f.append("key", "uploaded"); f.append("file", new Blob(["from-the-page"]), "x.txt"); return fetch(${j(`${endpoint}/${names.bucket}`)}, { method: "POST", mode: "no-cors", body: f }); })()`,
    ],
    ["purge", controlCall("purge", { queue: "orders" })],
    [
      "put event",
      controlCall("put-event", { bus: "default", source: "shop", detailType: "order", detail: "{}" }),
    ],
    ["trigger schedule", controlCall("schedules/trigger", { schedule: "tick" })],
    [
      "replay",
      controlCall("replay", { traceId: "1-00000000-000000000000000000000000", hopId: "0000000000000000" }),
    ],
    ["advance time", controlCall("time/advance", { ms: 3_600_000 })],
    ["read traces", `fetch(${j(`${endpoint}/_sluice/traces`)})`],
    [
      "read time with a token guess",
      `fetch(${j(`${endpoint}/_sluice/time`)}, { headers: { authorization: "Bearer x" } })`,
    ],
    ["console page", `fetch(${j(consoleUrl)})`],
    ["console page no-cors", `fetch(${j(consoleUrl)}, { mode: "no-cors" })`],
  ];
  const scripts = attempts
    .map(
      ([what, call]) =>
        `attempts.push(${call}.then((r) => r.type === "opaque" ? "opaque" : r.text().then((t) => r.status + " " + t), String).then(record(${j(what)})));`,
    )
    .join("\n");
  // The console as a script and in a frame: a browser loads both without asking the server first.
  return `<!doctype html><html><body>
<script src="${consoleUrl}console.js"></script>
<script>
window.results = [];
const record = (what) => (r) => window.results.push(what + ": " + r);
const attempts = [];
attempts.push(new Promise((done) => { const f = document.createElement("iframe"); f.addEventListener("load", () => done(), { once: true }); setTimeout(done, 10000); f.src = ${j(consoleUrl)}; document.body.appendChild(f); }).then(() => { let seen = "unreadable"; try { seen = String(document.querySelector("iframe").contentDocument?.body?.innerText); } catch {} record("console frame")(seen); }));
${scripts}
Promise.allSettled(attempts).then(() => { window.done = true; });
</script></body></html>`;
}

/** The attacker's page: each attempt settles (load, error or rejection) and is recorded; then `done`. */
function attackPage(endpoint: string, queueUrl: string, cloudUrl: string): string {
  const q = encodeURIComponent(queueUrl);
  const forms = [
    [endpoint, `Action=PurgeQueue&QueueUrl=${q}`],
    [endpoint, `Action=SendMessage&QueueUrl=${q}&MessageBody=from-the-page`],
    [cloudUrl, "Action=DeleteStack&StackName=guarded&Version=2010-05-15"],
  ];
  const formHtml = forms
    .map(([action, body], i) => {
      const inputs = [...new URLSearchParams(body)]
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
        .join("");
      return `<iframe name="sink${i}"></iframe><form id="f${i}" method="POST" action="${action}/" target="sink${i}">${inputs}</form>`;
    })
    .join("\n");
  return `<!doctype html><html><body>${formHtml}<script>
window.results = [];
const record = (what) => (r) => window.results.push(what + ": " + r);
const read = (r) => r.text().then((t) => r.status + " " + t);
const attempts = [
  fetch(${JSON.stringify(endpoint)} + "/", { method: "POST", mode: "no-cors", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.PurgeQueue" }, body: JSON.stringify({ QueueUrl: ${JSON.stringify(queueUrl)} }) }).then(() => "sent", String).then(record("json purge no-cors")),
  fetch(${JSON.stringify(endpoint)} + "/", { method: "POST", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" }, body: JSON.stringify({ QueueUrl: ${JSON.stringify(queueUrl)}, MessageBody: "x" }) }).then(read, String).then(record("json send cors")),
  fetch(${JSON.stringify(endpoint)} + "/2015-03-31/functions/endpoint-echo/invocations", { method: "POST", mode: "no-cors", body: "{}" }).then(() => "sent", String).then(record("invoke no-cors")),
  fetch(${JSON.stringify(endpoint)} + "/2015-03-31/functions/endpoint-echo/invocations", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then(read, String).then(record("invoke cors")),
  fetch(${JSON.stringify(endpoint)} + "/_sluice/queues").then(read, String).then(record("control read")),
  fetch(${JSON.stringify(endpoint)} + "/_sluice/send", { method: "POST", mode: "no-cors", body: JSON.stringify({ queue: "jobs", body: "x" }) }).then(() => "sent", String).then(record("control send")),
  fetch(${JSON.stringify(cloudUrl)} + "/", { method: "POST", mode: "no-cors", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "Action=DeleteStack&StackName=guarded" }).then(() => "sent", String).then(record("delete stack no-cors")),
];
${forms
  .map(
    (_, i) =>
      `attempts.push(new Promise((done) => { const f = document.querySelector('iframe[name="sink${i}"]'); f.addEventListener("load", () => done(), { once: true }); setTimeout(done, 10000); document.getElementById("f${i}").submit(); }).then(() => record("form ${i}")("settled")));`,
  )
  .join("\n")}
Promise.allSettled(attempts).then(() => { window.done = true; });
</script></body></html>`;
}

/** Opens the attacking page and waits until its script says it is done: what each attempt read. */
async function attackResults(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as { done?: boolean }).done === true, undefined, {
    timeout: PAGE_TIMEOUT_MS,
  });
  return (await page.evaluate(() => (globalThis as unknown as { results: string[] }).results)).join("\n");
}

/**
 * A web page on another origin, opened in headless Chromium, tries every cross-site action the
 * front door must stop: purge a queue and send to it (query form posts, JSON fetches), invoke a
 * function (Lambda REST), read the control API, delete a stack in `sluice cloud` (form post), and
 * read the control API through a DNS-rebinding stand-in. Afterwards the servers show that nothing
 * took effect.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
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
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { type Browser, chromium } from "playwright-core";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { type EndpointApp, startEndpointApp } from "../support/endpoint.ts";

const CHROMIUM = "/usr/bin/chromium";
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
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Playwright gives every launch a fresh, temporary profile (--user-data-dir) of its own.
        "--host-resolver-rules=MAP rebind.test 127.0.0.1",
      ],
    });
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
    await page.goto(attackerUrl);
    await page.waitForFunction(() => (globalThis as unknown as { done?: boolean }).done === true, undefined, {
      timeout: PAGE_TIMEOUT_MS,
    });
    const results = (
      await page.evaluate(() => (globalThis as unknown as { results: string[] }).results)
    ).join("\n");
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

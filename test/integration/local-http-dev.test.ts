/** `sluice dev` serving and printing the APIs, and `sluice routes` listing them. */
import assert from "node:assert/strict";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "api");
let app: ReturnType<typeof copyApp>;
let dev: DevProcess;

before(async () => {
  app = copyApp(FIXTURE);
  // The message function loads the AWS SDK, which Lambda provides and bundles leave out.
  symlinkSync(join(ROOT, "node_modules"), join(app.dir, "node_modules"), "dir");
  dev = await startDev(app.dir);
});
after(async () => {
  await dev.stop();
  app.cleanup();
});

test("sluice dev prints every API's URL and serves them", { timeout: 60_000 }, async () => {
  await dev.waitForLine(/→ messages/);
  const http = /HTTP API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.lines.join("\n"))?.[1];
  const ws = /WebSocket API\s+(ws:\/\/127\.0\.0\.1:\d+\/dev)/.exec(dev.lines.join("\n"))?.[1];
  assert.ok(http, dev.lines.join("\n"));
  assert.ok(ws, dev.lines.join("\n"));
  assert.match(dev.lines.join("\n"), /@connections API\s+http:\/\/127\.0\.0\.1:\d+\/dev/);
  assert.match(dev.lines.join("\n"), /GET \/health\s+→ status \(health check\)/);
  const response = await fetch(`${http}/echo`);
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { routeKey: string }).routeKey, "GET /echo");
  await dev.waitForLine(/\[http\] GET \/echo → 200/);
  const opened = await new Promise<boolean>((resolve) => {
    const client = new WebSocket(ws ?? "");
    client.on("open", () => {
      client.close();
      resolve(true);
    });
    client.on("error", () => resolve(false));
  });
  assert.equal(opened, true);
});

test("sluice routes lists the HTTP and WebSocket routes with their functions", {
  timeout: 60_000,
}, async () => {
  const result = await sluice(["routes", "--dir", app.dir]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /http\s+GET \/echo\s+echo/);
  assert.match(result.stdout, /http\s+GET \/health\s+status \(health check\)/);
  assert.match(result.stdout, /websocket\s+\$connect\s+connect/);
  assert.match(result.stdout, /HTTP API: stage \$default, payload format 2\.0/);
  const json = await sluice(["routes", "--dir", app.dir, "--json"]);
  assert.equal(JSON.parse(json.stdout).websocket.routeSelectionExpression, "$request.body.action");
});

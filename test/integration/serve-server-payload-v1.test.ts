/**
 * `startServer` on an app whose HTTP API uses payload format 1.0: the same requests answer the
 * same status, content type and echoed event fields as `sluice dev`'s HTTP API.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { type RunningServer, readServedApp, startServer } from "../../src/serve/index.ts";
import { type DevProcess, ROOT, startDev } from "../support/cli-process.ts";
import { copyAppWithSdk, SCRIPT_CREDENTIALS } from "../support/endpoint.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "serve");

let app: ReturnType<typeof copyAppWithSdk>;
let dev: DevProcess;
let devHttp: string;
let server: RunningServer;

before(async () => {
  app = copyAppWithSdk(FIXTURE);
  const config = join(app.dir, "sluice.config.ts");
  const text = readFileSync(config, "utf8");
  writeFileSync(
    config,
    text.replace('name: "serve-fixture",', 'name: "serve-fixture",\n  api: { payloadFormat: "1.0" },'),
  );
  dev = await startDev(app.dir);
  const banner = dev.lines.join("\n");
  devHttp = /HTTP API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? "";
  const endpoint = /AWS endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? "";
  assert.ok(devHttp && endpoint, banner);
  const built = await buildApp(await loadApp(app.dir), { outDir: join(app.dir, ".sluice", "serve-test") });
  server = await startServer({
    app: readServedApp(built.outDir),
    endpointUrl: endpoint,
    environment: {
      AWS_ACCESS_KEY_ID: SCRIPT_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SCRIPT_CREDENTIALS.secretAccessKey,
    },
  });
});

after(async () => {
  await server?.close();
  await dev?.stop();
  app?.cleanup();
});

async function answer(base: string, path: string, init: RequestInit = {}) {
  const response = await fetch(`${base}${path}`, init);
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.text(),
  };
}

test("an HTTP route answers as dev's HTTP API does (payload format 1.0)", { timeout: 60_000 }, async () => {
  const requests: [string, RequestInit][] = [
    ["/echo?color=blue", {}],
    ["/echo", { method: "POST", body: "hello" }],
    ["/items/7", {}],
    ["/crash", {}],
  ];
  for (const [path, init] of requests) {
    const fromDev = await answer(devHttp, path, init);
    const fromServer = await answer(server.url, path, init);
    assert.deepEqual(fromServer, fromDev, `${init.method ?? "GET"} ${path}`);
  }
  const echoed = JSON.parse((await answer(server.url, "/items/7")).body);
  assert.deepEqual(
    {
      version: echoed.version,
      resource: echoed.resource,
      method: echoed.method,
      id: echoed.pathParameters?.id,
    },
    { version: "1.0", resource: "/items/{id}", method: "GET", id: "7" },
  );
});

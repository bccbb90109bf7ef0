/**
 * `sluice serve` as a process: from an app folder it builds the bundles and serves them against
 * a running `sluice dev`'s endpoint, prints one JSON line per event (never a credential), and on
 * SIGTERM shuts down gracefully and exits 0 with a shutdown line.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { copyAppWithSdk } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "serve");
const SECRET = "serve-test-secret-key-0123456789";

let app: ReturnType<typeof copyAppWithSdk>;
let dev: DevProcess;
let endpoint: string;

before(async () => {
  app = copyAppWithSdk(FIXTURE);
  dev = await startDev(app.dir);
  endpoint = /AWS endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.lines.join("\n"))?.[1] ?? "";
  assert.ok(endpoint, dev.lines.join("\n"));
});

after(async () => {
  await dev?.stop();
  app?.cleanup();
});

function serve(args: readonly string[]): {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [join(ROOT, "bin", "sluice.js"), "serve", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: SECRET },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop() ?? "";
    stdout.push(...parts);
  });
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, stdout, stderr, exit };
}

test("sluice serve builds the app, serves it, and exits 0 after a graceful SIGTERM", {
  timeout: 120_000,
}, async () => {
  const server = serve([app.dir, "--endpoint-url", endpoint]);
  try {
    const detail = () => `stdout:\n${server.stdout.join("\n")}\nstderr:\n${server.stderr.join("")}`;
    const listening = await eventually(
      () => server.stdout.map((line) => JSON.parse(line)).find((entry) => entry.event === "listening"),
      "the listening line",
      { detail },
    );
    assert.match(listening.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(listening.functions.includes("echo"), detail());
    const response = await fetch(`${listening.url}/echo?x=1`);
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(await response.text()).routeKey, "GET /echo");
    assert.equal((await fetch(`${listening.url}/healthz`)).status, 200);
    await eventually(
      () =>
        server.stdout.find((line) => line.includes('"event":"request"') && line.includes('"path":"/echo"')),
      "the request line",
      { detail },
    );
    server.child.kill("SIGTERM");
    assert.equal(await server.exit, 0, detail());
    const entries = server.stdout.map((line) => JSON.parse(line));
    const shutdown = entries.find((entry) => entry.event === "shutdown");
    assert.deepEqual(
      { finished: shutdown?.finished, released: shutdown?.released, abandoned: shutdown?.abandoned },
      { finished: 0, released: 0, abandoned: 0 },
    );
    for (const entry of entries) assert.equal(typeof entry.time, "string");
    assert.ok(!server.stdout.join("\n").includes(SECRET), "no credential is printed");
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("sluice serve --artifact serves a `sluice build` folder and refuses another Region", {
  timeout: 120_000,
}, async () => {
  const built = await sluice(["build", app.dir]);
  assert.equal(built.code, 0, built.stderr);
  const artifact = join(app.dir, ".sluice", "build");
  const wrongRegion = await sluice(["serve", "--artifact", artifact, "--region", "ap-south-1"]);
  assert.equal(wrongRegion.code, 2);
  assert.match(wrongRegion.stderr, /--region must be the artifact's Region, us-east-1/);
  const server = serve(["--artifact", artifact, "--endpoint-url", endpoint, "--shutdown-seconds", "5"]);
  try {
    const detail = () => `stdout:\n${server.stdout.join("\n")}\nstderr:\n${server.stderr.join("")}`;
    const listening = await eventually(
      () => server.stdout.map((line) => JSON.parse(line)).find((entry) => entry.event === "listening"),
      "the listening line",
      { detail },
    );
    const response = await fetch(`${listening.url}/items/3`);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(await response.text()).pathParameters, { id: "3" });
    server.child.kill("SIGINT");
    assert.equal(await server.exit, 0, detail());
    assert.ok(
      server.stdout.some((line) => line.includes('"event":"shutdown"')),
      detail(),
    );
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("sluice serve refuses a bad option with its usage", async () => {
  const result = await sluice(["serve", app.dir, "--port", "http"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--port takes a whole number from 0 to 65535; got "http"/);
  assert.match(result.stderr, /Usage: sluice serve/);
});

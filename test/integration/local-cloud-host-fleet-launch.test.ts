/**
 * How `sluice cloud` launches a fleet's `sluice serve` (local/cloud-host/fleet-launch.ts): the
 * process gets a clean environment (a few host variables, its credentials and Region), and it
 * does not outlive a parent killed with SIGKILL: it closes when its IPC channel disconnects.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { serveSpawnArgs } from "../../src/local/cloud-host/fleet-launch.ts";
import type { FleetPlan } from "../../src/local/cloud-host/translate-servers.ts";
import { ROOT, sluice } from "../support/cli-process.ts";
import { copyAppWithSdk } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { alive } from "../support/process-alive.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "servers-golden");
const LAUNCHER = { command: process.execPath, args: [join(ROOT, "bin", "sluice.js")], unzip() {} };

function plan(region: string): FleetPlan {
  return {
    key: "stack/reports",
    region,
    stackName: "stack",
    fleet: "reports",
    shutdownSeconds: 20,
    artifact: { bucket: "b", key: "servers/x.zip" },
    targetGroups: [],
    desired: 1,
  };
}

test("a fleet's process keeps only PATH, HOME, TMPDIR, LANG, TZ of the host, plus what it is given", () => {
  const { options } = serveSpawnArgs(
    LAUNCHER,
    plan("eu-west-1"),
    {
      dir: "/srv/app",
      endpointUrl: "http://127.0.0.1:4566",
      host: "127.0.0.1",
      port: 8080,
      environment: { AWS_ACCESS_KEY_ID: "AKIDFLEET", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "" },
    },
    {
      PATH: "/usr/bin",
      HOME: "/home/u",
      TMPDIR: "/tmp/x",
      LANG: "C.UTF-8",
      TZ: "UTC",
      SLUICE_TEST_SECRET: "x",
      NODE_OPTIONS: "--inspect",
      AWS_PROFILE: "prod",
      AWS_SESSION_TOKEN: "host-token",
      AWS_ENDPOINT_URL: "https://example.invalid",
    },
  );
  assert.deepEqual(options.env, {
    PATH: "/usr/bin",
    HOME: "/home/u",
    TMPDIR: "/tmp/x",
    LANG: "C.UTF-8",
    TZ: "UTC",
    AWS_ACCESS_KEY_ID: "AKIDFLEET",
    AWS_SECRET_ACCESS_KEY: "s",
    AWS_REGION: "eu-west-1",
  });
  assert.deepEqual(options.stdio, ["ignore", "pipe", "pipe", "ipc"]);
});

let app: ReturnType<typeof copyAppWithSdk>;
let work: string;
let buildDir: string;

before(async () => {
  app = copyAppWithSdk(FIXTURE);
  work = mkdtempSync(join(tmpdir(), "sluice-fleet-launch-"));
  const built = await sluice(["build", app.dir]);
  assert.equal(built.code, 0, built.stderr + built.stdout);
  buildDir = join(app.dir, ".sluice", "build");
});

after(() => {
  app?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("a fleet's sluice serve closes when the process that spawned it is killed with SIGKILL", {
  timeout: 120_000,
}, async () => {
  const region = JSON.parse(readFileSync(join(buildDir, "app.json"), "utf8")).spec.region as string;
  // A small parent that launches the fleet's process exactly as `sluice cloud` does.
  const script = join(work, "parent.ts");
  writeFileSync(
    script,
    [
      `import { spawnServe } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/local/cloud-host/fleet-launch.ts")).href)};`,
      `const launcher = ${JSON.stringify({ command: LAUNCHER.command, args: LAUNCHER.args })};`,
      `const plan = ${JSON.stringify(plan(region))};`,
      `const child = spawnServe({ ...launcher, unzip() {} }, plan, { dir: ${JSON.stringify(buildDir)},`,
      `  endpointUrl: "http://127.0.0.1:9", host: "127.0.0.1", port: 0,`,
      `  environment: { AWS_ACCESS_KEY_ID: "AKIDFLEET", AWS_SECRET_ACCESS_KEY: "s" } });`,
      `console.log(JSON.stringify({ child: child.pid }));`,
      `child.stdout.on("data", (d) => process.stdout.write(d));`,
      `child.stderr.on("data", (d) => process.stderr.write(d));`,
    ].join("\n"),
  );
  const parent: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  parent.stdout?.on("data", (chunk: Buffer) => lines.push(...chunk.toString("utf8").split("\n")));
  parent.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const detail = () => `stdout:\n${lines.join("\n")}\nstderr:\n${stderr}`;
  let childPid: number | undefined;
  try {
    const pid: number = await eventually(
      () => lines.map((l) => /^\{"child":(\d+)\}$/.exec(l)?.[1]).find((p) => p !== undefined),
      "the child's PID",
      { detail },
    ).then(Number);
    childPid = pid;
    await eventually(() => lines.find((l) => l.includes('"event":"listening"')), "serve listening", {
      detail,
    });
    const exited = new Promise((resolve) => parent.once("exit", resolve));
    parent.kill("SIGKILL");
    await exited;
    await eventually(() => (alive(pid) ? undefined : true), "the fleet's process to exit", {
      timeoutMs: 30_000,
      detail,
    });
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
    if (childPid !== undefined && alive(childPid)) process.kill(childPid, "SIGKILL");
  }
});

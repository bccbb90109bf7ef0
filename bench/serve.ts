/**
 * `sluice serve` (issue 19): one HTTP route, warm, 10 keep-alive connections, through three
 * servers in the same run: `sluice serve` (its own process, the bundles `sluice build` makes, its
 * JSON log lines redirected to serve.log, as an instance's systemd unit appends them to a file),
 * `sluice dev`'s HTTP API (its own process, --no-watch, its log redirected to dev.log) and the floor: a
 * bare `node:http` server calling the same handler module in-process (no gateway, no worker hop,
 * no log). Rounds alternate between the three so a change in the machine's load meets all of them.
 * Each is driven by the same load generator in its own process (bench/http-load.ts); the CPU
 * column is the serving process's CPU time, all threads, per request. BENCH_SECONDS sets the
 * seconds per server (default 10); the server uses dev's endpoint as its AWS (STS, discovery).
 */
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeHelloApp } from "./bench-app.ts";
import { freePort, spawnUntilAnswering } from "./child-process.ts";
import { GENERATOR_NAME } from "./http-load.ts";
import { inRounds, type RoundsResult } from "./load-rounds.ts";
import { fmt, percentile } from "./stats.ts";

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? process.argv[3] ?? 10);
const ROUNDS = 5;
const WARMUP_SECONDS = 1;

interface Target {
  readonly label: string;
  readonly url: string;
  /** The serving process, when not this one (its CPU is read from /proc). */
  readonly pid?: number;
  close(): Promise<void>;
}

/** The floor: node:http calling the handler module directly, with the event's bare minimum. */
async function floor(dir: string): Promise<Target> {
  const module = (await import(pathToFileURL(join(dir, "src", "hello.ts")).href)) as {
    handler: (
      event: unknown,
    ) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
  };
  const server = createServer((req, res) => {
    module.handler({ rawPath: req.url, requestContext: { http: { method: req.method } } }).then((result) => {
      res.writeHead(result.statusCode, {
        ...result.headers,
        "content-length": String(Buffer.byteLength(result.body)),
      });
      res.end(result.body);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    label: "floor         node:http + the handler, in-process  ",
    url: `http://127.0.0.1:${port}/hello`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** A `sluice` command as a user runs it, its output redirected to a file in the app folder. */
async function spawned(
  label: string,
  dir: string,
  args: readonly string[],
  log: string,
  port: number,
): Promise<Target> {
  const url = `http://127.0.0.1:${port}/hello`;
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the dev and serve processes.
  const child = await spawnUntilAnswering({
    dir,
    args,
    log: join(dir, log),
    url,
    timeoutMs: 60_000,
    nodeArgsVariable: "BENCH_NODE_ARGS",
  });
  return {
    label,
    url,
    pid: child.pid,
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

type Measured = RoundsResult;

/** Every target SECONDS in all, in ROUNDS rounds taking turns, after a warm-up of each. */
function measure(targets: readonly Target[]): Promise<Measured[]> {
  return inRounds(targets, {
    rounds: ROUNDS,
    seconds: SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    connections: CONNECTIONS,
  });
}

function line(label: string, result: Measured, baseline?: Measured, versus?: Measured): string {
  const rate = (m: Measured) => m.requests / m.seconds;
  const of = (m: Measured | undefined, name: string) =>
    m ? `  ${((rate(result) / rate(m)) * 100).toFixed(1)}% of ${name}` : "";
  return `${label}  ${rate(result).toFixed(0).padStart(6)} req/s  p50 ${fmt(percentile(result.latenciesMs, 50))}  p99 ${fmt(percentile(result.latenciesMs, 99))}  server CPU ${result.cpuUsPerRequest.toFixed(0).padStart(3)} µs/req${of(baseline, "the floor")}${of(versus, "dev")}`;
}

export async function run(): Promise<void> {
  const devDir = writeHelloApp("sluice-bench-serve-");
  // Its own copy: dev holds its app's state alone, and serve builds into its own .sluice.
  const serveDir = writeHelloApp("sluice-bench-serve-");
  const targets: Target[] = [];
  try {
    targets.push(await floor(serveDir));
    const devPort = await freePort();
    // dev's endpoint is also the server's AWS: serve asks it for the account (STS), as it would AWS.
    const endpointPort = await freePort();
    targets.push(
      await spawned(
        "sluice dev    HTTP API → Lambda emulation, own process",
        devDir,
        ["dev", ".", "--no-watch", "--port", String(endpointPort), "--http-port", String(devPort)],
        "dev.log",
        devPort,
      ),
    );
    const servePort = await freePort();
    targets.push(
      await spawned(
        "sluice serve  own process, JSON log lines to a file    ",
        serveDir,
        ["serve", ".", "--port", String(servePort), "--endpoint-url", `http://127.0.0.1:${endpointPort}`],
        "serve.log",
        servePort,
      ),
    );
    const [floorResult, devResult, serveResult] = await measure(targets);
    if (!floorResult || !devResult || !serveResult) throw new Error("a server was not measured");
    console.log(
      `one route (GET /hello, payload 2.0), warm, ${CONNECTIONS} keep-alive connections, ${SECONDS} s each in ${ROUNDS} alternating rounds (load generator: ${GENERATOR_NAME === "net" ? "raw sockets" : "Node's http client"}, in its own process)`,
    );
    console.log(line(targets[0]?.label ?? "", floorResult));
    console.log(line(targets[1]?.label ?? "", devResult, floorResult));
    console.log(line(targets[2]?.label ?? "", serveResult, floorResult, devResult));
    const non200 = devResult.non200 + serveResult.non200 + floorResult.non200;
    console.log(`non-200 answers: ${non200}`);
  } finally {
    for (const target of targets.reverse()) await target.close();
    rmSync(devDir, { recursive: true, force: true });
    rmSync(serveDir, { recursive: true, force: true });
  }
}

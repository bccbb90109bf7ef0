/**
 * `npm run bench -- failover` (issue 17): what a user of examples/failover feels, against
 * `sluice dev` in its own process as a user runs it (two regions, Route 53's checkers, the front
 * door, replication). (1) Requests per second of `GET /hello` through the front door against
 * straight to us-east-1's HTTP API server, 10 keep-alive connections, in alternating rounds, and
 * the ratio. (2) PutItem into the global table in us-east-1 while replication is paused
 * (`sluice fail replication`), then `sluice heal`: replicated writes per second as us-west-2 drains
 * the backlog, against plain PutItem into a regional table of one region, in the same run.
 */

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { stopChild } from "./child-process.ts";
import { type LoadResult, runLoad } from "./http-load.ts";
import { percentile } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "sluice.js");
const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
const WRITES = Number(process.env.BENCH_FAILOVER_WRITES ?? 2000);
const WRITERS = 10;
/** The example's global table, and the regional one the bench adds beside it (physical names). */
const GLOBAL_TABLE = "failover-hello";
const PLAIN_TABLE = "failover-plain";

/** A copy of examples/failover with a regional table beside the global one: the PutItem baseline. */
function benchApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-failover-"));
  cpSync(join(ROOT, "examples", "failover"), dir, { recursive: true, filter: (p) => !p.includes(".sluice") });
  const config = join(dir, "sluice.config.ts");
  const text = readFileSync(config, "utf8");
  const withPlain = text.replace(
    "tables: {",
    'tables: {\n    plain: { partitionKey: { name: "HelloKey", type: "S" } },',
  );
  if (withPlain === text) throw new Error("examples/failover/sluice.config.ts has no `tables: {` to add to");
  writeFileSync(config, withPlain);
  return dir;
}

/** Runs a `sluice` command to its end; resolves with how long it took, in ms. */
function sluice(args: readonly string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT }, (error, _stdout, stderr) =>
      error ? reject(new Error(`sluice ${args.join(" ")}: ${stderr}`)) : resolve(performance.now() - started),
    );
  });
}

interface Dev {
  readonly child: ChildProcess;
  readonly banner: string;
  /** Resolves with the time (performance.now()) at which a line matching `pattern` arrived after `since`. */
  lineAfter(pattern: RegExp, since: number): Promise<number>;
}

/** `sluice dev` in its own process, until its banner is printed (the AWS endpoint line is last). */
function startDev(dir: string): Promise<Dev> {
  const lines: { readonly at: number; readonly text: string }[] = [];
  const waiters = new Set<() => void>();
  const lineAfter = (pattern: RegExp, since: number) =>
    new Promise<number>((resolve) => {
      const check = () => {
        const found = lines.find((l) => l.at >= since && pattern.test(l.text));
        if (!found) return;
        waiters.delete(check);
        resolve(found.at);
      };
      waiters.add(check);
      check();
    });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "dev", dir, "--no-watch"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let rest = "";
    const onData = (chunk: Buffer) => {
      const at = performance.now();
      const text = chunk.toString();
      out += text;
      const parts = (rest + text).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) lines.push({ at, text: line });
      for (const wake of waiters) wake();
      if (/^\s*AWS endpoint\s+http\S+.*\n/m.test(out)) resolve({ child, banner: out, lineAfter });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`dev exited (${code}) before ready:\n${out}`)));
  });
}

/** The URL on the banner line that starts with `label` (after optional spaces). */
function urlAfter(banner: string, label: RegExp): string {
  const found = new RegExp(`${label.source}\\s+(http://\\S+)`, "i").exec(banner)?.[1];
  if (!found) throw new Error(`dev's banner has no ${label} URL:\n${banner}`);
  return found;
}

function client(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
}

/** `count` PutItems from `WRITERS` concurrent callers; returns writes per second. */
async function putMany(ddb: DynamoDBClient, table: string, prefix: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let i = next++; i < count; i = next++) {
        await ddb.send(
          new PutItemCommand({
            TableName: table,
            Item: { HelloKey: { S: `${prefix}${i}` }, Hello: { S: "bench" } },
          }),
        );
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function countItems(ddb: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, { S: string }> | undefined;
  do {
    const page = await ddb.send(
      new ScanCommand({ TableName: table, Select: "COUNT", ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as Record<string, { S: string }> | undefined;
  } while (start);
  return count;
}

const rps = (r: LoadResult) => r.requests / r.seconds;
const row = (name: string, r: LoadResult) =>
  `${name.padEnd(34)} ${rps(r).toFixed(0).padStart(7)} req/s  p50 ${percentile(r.latenciesMs, 50).toFixed(2)} ms  p99 ${percentile(r.latenciesMs, 99).toFixed(2)} ms${r.non200 ? `  (${r.non200} non-200)` : ""}`;

function best(results: readonly LoadResult[]): LoadResult {
  return [...results].sort((a, b) => rps(b) - rps(a))[0] as LoadResult;
}

export async function run(): Promise<void> {
  const dir = benchApp();
  const dev = await startDev(dir);
  const { child, banner } = dev;
  try {
    const endpoint = urlAfter(banner, /AWS endpoint/);
    const frontDoor = urlAfter(banner, /front door/);
    const direct = urlAfter(banner, /HTTP API/); // the primary's comes first
    console.log(`front door ${frontDoor}, us-east-1 HTTP API ${direct}, endpoint ${endpoint}`);

    // (1) The front door's hop, warm, rounds alternating so load changes meet both.
    const viaDoor: LoadResult[] = [];
    const straight: LoadResult[] = [];
    await runLoad({ url: `${frontDoor}/hello`, connections: CONNECTIONS, seconds: 1 });
    await runLoad({ url: `${direct}/hello`, connections: CONNECTIONS, seconds: 1 });
    for (let round = 0; round < ROUNDS; round++) {
      viaDoor.push(await runLoad({ url: `${frontDoor}/hello`, connections: CONNECTIONS, seconds: SECONDS }));
      straight.push(await runLoad({ url: `${direct}/hello`, connections: CONNECTIONS, seconds: SECONDS }));
    }
    const door = best(viaDoor);
    const base = best(straight);
    console.log(`GET /hello, ${CONNECTIONS} connections, best of ${ROUNDS} × ${SECONDS} s:`);
    console.log(row("through the front door", door));
    console.log(row("straight to us-east-1's API server", base));
    console.log(`front door / straight: ${(rps(door) / rps(base)).toFixed(2)}`);

    // (2) Replication: a backlog of WRITES drained after heal, against plain PutItem.
    const east = client(endpoint, "us-east-1");
    const west = client(endpoint, "us-west-2");
    try {
      const plain = await putMany(east, PLAIN_TABLE, "plain-", WRITES);
      await sluice(["fail", "replication", "--dir", dir]);
      const globalWrites = await putMany(east, GLOBAL_TABLE, "global-", WRITES);
      const waiting = await countItems(west, GLOBAL_TABLE);
      if (waiting !== 0) throw new Error(`${waiting} writes reached us-west-2 while replication was paused`);
      // The drain starts when dev resumes replication (its log line), not when the CLI starts.
      const healStarted = performance.now();
      const resumed = dev.lineAfter(/\[replication\] resumed/, healStarted);
      await sluice(["heal", "--dir", dir]);
      let arrived = 0;
      while (arrived < WRITES) {
        if (performance.now() - healStarted > 120_000)
          throw new Error(`only ${arrived} of ${WRITES} replicated in 2 minutes`);
        arrived = await countItems(west, GLOBAL_TABLE);
      }
      const drainMs = performance.now() - (await resumed);
      const replicated = WRITES / (drainMs / 1000);
      console.log(
        `\n${WRITES} PutItems, ${WRITERS} concurrent callers (AWS SDK v3, SigV4, through dev's endpoint):`,
      );
      console.log(`plain PutItem, one region              ${plain.toFixed(0).padStart(7)} writes/s`);
      console.log(`PutItem into the global table          ${globalWrites.toFixed(0).padStart(7)} writes/s`);
      console.log(
        `replicated us-east-1 → us-west-2       ${replicated.toFixed(0).padStart(7)} writes/s (a backlog: ${drainMs.toFixed(0)} ms from dev's "resumed" line to the last item counted in us-west-2)`,
      );
      console.log(`replicated / plain PutItem: ${(replicated / plain).toFixed(2)}`);
    } finally {
      east.destroy();
      west.destroy();
    }
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

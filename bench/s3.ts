/**
 * `npm run bench -- s3` (issue 16 §5). One `@aws-sdk/client-s3` client, calls one at a time:
 * PutObject and GetObject of 1 KB and 1 MB objects against `sluice dev` in its own process, beside
 * a server answering canned S3 responses (the most the SDK itself allows), in rounds that
 * alternate between the two so a change in the machine's load meets both. Then PutObject → the
 * function its event notification invokes (p50 of PutObject sent → handler running), in
 * `sluice dev`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startProcess, stopChild } from "./child-process.ts";
import { type HandlerArrivals, latencyFigures, startHandlerArrivals } from "./handler-arrivals.ts";
import { processCpuUs } from "./process-cpu.ts";

const ROUNDS = 10;
const ROOT = join(import.meta.dirname, "..");
const SIZES = [
  { label: "1 KB", bytes: 1024, ops: Number(process.env.BENCH_S3_OPS ?? 2000), warmup: 200 },
  { label: "1 MB", bytes: 1024 * 1024, ops: Number(process.env.BENCH_S3_LARGE_OPS ?? 200), warmup: 20 },
] as const;
const EVENT_PUTS = Number(process.env.BENCH_S3_EVENTS ?? 200);

/**
 * A server process answering PutObject (200, an ETag) and GetObject (the object's bytes, its
 * length from the key: `/<bucket>/<bytes>/<n>`), reading every request body in full.
 */
const CANNED_SERVER = `
const bodies = new Map();
const server = require("node:http").createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.method === "GET") {
      const bytes = Number(req.url.split("?")[0].split("/")[2]) || 0;
      let body = bodies.get(bytes);
      if (!body) bodies.set(bytes, (body = Buffer.alloc(bytes, 120)));
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": body.length,
        etag: '"0123456789abcdef0123456789abcdef"',
        "last-modified": "Sun, 06 Dec 2026 00:00:00 GMT",
      });
      res.end(body);
    } else {
      res.writeHead(200, { etag: '"0123456789abcdef0123456789abcdef"', "content-length": 0 });
      res.end();
    }
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => console.log("listening http://127.0.0.1:" + server.address().port));
`;

interface Target {
  readonly name: string;
  readonly pid: number | undefined;
  readonly client: S3Client;
  /** The bucket the throughput runs use. */
  bucket: string;
}

function client(url: string): S3Client {
  return new S3Client({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

/**
 * The bench app: `objects`, the bucket the throughput runs use (no notification), and `events`,
 * whose every created object invokes `onPut`; the handler tells the bench (an HTTP server of this
 * process) the key of every record it receives, at once.
 */
function writeBucketApp(notifyUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-s3-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(
    join(dir, "src", "on-put.ts"),
    `export async function handler(event: { Records: { s3: { object: { key: string } } }[] }) {
  const keys = event.Records.map((r) => r.s3.object.key);
  await fetch(${JSON.stringify(notifyUrl)}, { method: "POST", body: JSON.stringify(keys) });
}
`,
  );
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";
export default defineApp({
  name: "bench",
  buckets: {
    objects: {},
    events: { events: [{ function: "onPut", on: ["s3:ObjectCreated:*"] }] },
  },
  functions: { onPut: { handler: "src/on-put.handler" } },
});
`,
  );
  return dir;
}

interface Side {
  ms: number;
  serverCpuUs: number;
}

async function throughput(targets: readonly Target[]): Promise<void> {
  console.log(
    `1 client, calls one at a time, in ${ROUNDS} rounds alternating between the targets; GetObject reads the whole body`,
  );
  for (const size of SIZES) {
    const body = Buffer.alloc(size.bytes, 120);
    const key = (i: number) => `${size.bytes}/${i % 100}`;
    const operations = {
      PutObject: (t: Target, i: number) =>
        t.client.send(new PutObjectCommand({ Bucket: t.bucket, Key: key(i), Body: body })),
      GetObject: async (t: Target, i: number) => {
        const got = await t.client.send(new GetObjectCommand({ Bucket: t.bucket, Key: key(i) }));
        const bytes = await got.Body?.transformToByteArray();
        if (bytes?.length !== size.bytes) throw new Error(`${t.name}: got ${bytes?.length} bytes`);
      },
    } as const;
    for (const [op, run] of Object.entries(operations)) {
      const sides = new Map<Target, Side>(targets.map((t) => [t, { ms: 0, serverCpuUs: 0 }]));
      // PutObject runs first: its calls write every key (i % 100) that GetObject then reads.
      for (const t of targets) for (let i = 0; i < size.warmup; i++) await run(t, i);
      for (let r = 0; r < ROUNDS; r++) {
        for (const t of targets) {
          const side = sides.get(t) as Side;
          const cpu = processCpuUs(t.pid) ?? Number.NaN;
          const started = performance.now();
          for (let i = r * (size.ops / ROUNDS); i < (r + 1) * (size.ops / ROUNDS); i++) await run(t, i);
          side.ms += performance.now() - started;
          side.serverCpuUs += (processCpuUs(t.pid) ?? Number.NaN) - cpu;
        }
      }
      const rate = (t: Target) => size.ops / ((sides.get(t) as Side).ms / 1000);
      const ceiling = rate(targets[0] as Target);
      console.log(`  ${op} ${size.label} (${size.ops} calls after ${size.warmup} warm-up)`);
      for (const t of targets) {
        const cpu = (sides.get(t) as Side).serverCpuUs / size.ops;
        const share =
          t === targets[0] ? "" : `  ${((rate(t) / ceiling) * 100).toFixed(0).padStart(3)}% of the ceiling`;
        const mb =
          size.bytes >= 1024 * 1024 ? ` (${((rate(t) * size.bytes) / 2 ** 20).toFixed(0)} MiB/s)` : "";
        const cpuText = Number.isNaN(cpu) ? "" : `, server CPU ${cpu.toFixed(0)} µs/call`;
        console.log(
          `    ${t.name.padEnd(12)} ${rate(t).toFixed(0).padStart(6)} ops/s${mb}${share}${cpuText}`,
        );
      }
    }
  }
}

/** PutObject sent → the function its notification invokes running with that key, in `sluice dev`. */
async function eventLatency(sluice: Target, bucket: string, arrivals: HandlerArrivals): Promise<void> {
  const samples = await arrivals.measure("PutObject → function", EVENT_PUTS, async (i) => {
    const key = `event-${i}`;
    await sluice.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x".repeat(100) }));
    return key;
  });
  if (samples === undefined) return;
  console.log(
    `PutObject → function invoked by its notification (sluice dev, ${EVENT_PUTS} puts of 100 bytes one after another): ${latencyFigures(samples)}`,
  );
}

export async function run(): Promise<void> {
  const arrivals = await startHandlerArrivals();
  const dir = writeBucketApp(arrivals.url);
  const children: Awaited<ReturnType<typeof startProcess>>["child"][] = [];
  const targets: Target[] = [];
  try {
    const canned = await startProcess(["-e", CANNED_SERVER], /listening (http:\/\/\S+)/);
    children.push(canned.child);
    targets.push({ name: "SDK ceiling", pid: canned.child.pid, client: client(canned.url), bucket: "bench" });
    // BENCH_DEV_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the dev process.
    const nodeArgs = process.env.BENCH_DEV_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const dev = await startProcess(
      [...nodeArgs, join(ROOT, "bin", "sluice.js"), "dev", dir, "--no-watch"],
      /AWS endpoint\s+(http:\/\/\S+)/,
    );
    children.push(dev.child);
    const sluice: Target = { name: "sluice dev", pid: dev.child.pid, client: client(dev.url), bucket: "" };
    targets.push(sluice);
    const buckets = (await sluice.client.send(new ListBucketsCommand({}))).Buckets ?? [];
    const named = (stem: string) => buckets.find((b) => b.Name?.startsWith(stem))?.Name ?? "";
    sluice.bucket = named("bench-objects-");
    const events = named("bench-events-");
    if (!sluice.bucket || !events)
      throw new Error(`the bench app's buckets are missing: ${JSON.stringify(buckets)}`);
    await throughput(targets);
    await eventLatency(sluice, events, arrivals);
  } finally {
    for (const t of targets) t.client.destroy();
    for (const child of children) await stopChild(child);
    arrivals.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The AWS endpoint under @aws-sdk/client-sqs, against a real `sluice dev` in its own process, as a
 * user's script meets it. First (issue 14; BENCH_ENDPOINT=queues runs it alone): one client sending
 * 1 KB messages to a queue of the definition and to one made by CreateQueue, `--iam enforce`, in
 * rounds alternating with the same client against a server answering canned SQS responses (the
 * most the SDK itself allows). Then SendMessage, ReceiveMessage and DeleteMessage per second with
 * 1 and 10 concurrent clients beside that ceiling, and raw Node.js HTTP round trips (keep-alive) to
 * a server process that does no work. BENCH_ENDPOINT_A_ROOT=<another checkout, built> adds its
 * `sluice dev` to the first part's alternating rounds ("sluice A", its own app folder), so a change
 * is judged against the tree before it under one load.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { writeBenchApp } from "./bench-app.ts";
import { startProcess, stopChild } from "./child-process.ts";
import { processCpuUs } from "./process-cpu.ts";

const OPS = 3000;
const WARMUP = 300;
const BODY = "x".repeat(256);
const KB_BODY = "k".repeat(1024);
const ROOT = join(import.meta.dirname, "..");

/** A server process that answers every SQS call with a canned, valid JSON response. */
const CANNED_SERVER = `
const { createHash } = require("node:crypto");
const md5 = createHash("md5").update(${JSON.stringify(BODY)}).digest("hex");
const answers = {
  "AmazonSQS.CreateQueue": { QueueUrl: "http://127.0.0.1/000000000000/q" },
  "AmazonSQS.SendMessage": { MD5OfMessageBody: md5, MessageId: "00000000-0000-0000-0000-000000000000" },
  "AmazonSQS.ReceiveMessage": { Messages: [{ MessageId: "m", ReceiptHandle: "h", MD5OfBody: md5, Body: ${JSON.stringify(BODY)} }] },
  "AmazonSQS.DeleteMessage": {},
};
const server = require("node:http").createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const target = req.headers["x-amz-target"];
    let answer = answers[target] ?? {};
    // The SDK checks MD5OfMessageBody, so a body other than the 256-byte one gets its own digest.
    const text = Buffer.concat(chunks).toString();
    if (target === "AmazonSQS.SendMessage" && text.startsWith("{")) {
      const sent = JSON.parse(text).MessageBody;
      if (sent !== ${JSON.stringify(BODY)}) answer = { ...answer, MD5OfMessageBody: createHash("md5").update(sent).digest("hex") };
    }
    const body = JSON.stringify(answer);
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => console.log("listening http://127.0.0.1:" + server.address().port));
`;

async function rate(
  total: number,
  clients: number,
  op: (client: number, i: number) => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; i < total; i += clients) await op(c, i);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/**
 * Keep-alive POSTs without an SDK. With `sendTo`, each is an SQS JSON SendMessage to that queue,
 * which shows what the endpoint itself sustains when the client costs nothing.
 */
async function rawHttp(url: string, clients: number, sendTo?: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const body = sendTo === undefined ? BODY : JSON.stringify({ QueueUrl: sendTo, MessageBody: BODY });
  // Shaped as a signed call (the endpoint refuses unsigned ones); it checks who signed, not the signature.
  const headers = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "AmazonSQS.SendMessage",
    "x-amz-date": "20260101T000000Z",
    authorization:
      "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
  };
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: hostname, port, method: "POST", path: "/", agent, headers }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  await rate(WARMUP, clients, post);
  const result = await rate(OPS, clients, post);
  agent.destroy();
  return result;
}

interface Rates {
  readonly send: number;
  readonly receive: number;
  readonly remove: number;
}

async function sqsRates(url: string, clients: number, queue: string): Promise<Rates> {
  const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
  const sqs = Array.from(
    { length: clients },
    () => new SQSClient({ endpoint: url, region: "us-east-1", credentials }),
  );
  const client = (c: number) => sqs[c] as SQSClient;
  const created = await client(0).send(new CreateQueueCommand({ QueueName: queue }));
  const QueueUrl = created.QueueUrl?.replace(/^http:\/\/127\.0\.0\.1\//, `${url}/`);
  const send = (c: number) => client(c).send(new SendMessageCommand({ QueueUrl, MessageBody: BODY }));
  await rate(WARMUP, clients, send);
  const sendRate = await rate(OPS, clients, send);
  const handles: string[] = [];
  const receive = async (c: number) => {
    const { Messages } = await client(c).send(
      new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 600 }),
    );
    for (const m of Messages ?? []) if (m.ReceiptHandle) handles.push(m.ReceiptHandle);
  };
  await rate(WARMUP, clients, receive);
  const receiveRate = await rate(OPS, clients, receive);
  const remove = (c: number, i: number) =>
    client(c).send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handles[i] }));
  const removeRate = await rate(Math.min(OPS, handles.length), clients, remove);
  for (const c of sqs) c.destroy();
  return { send: sendRate, receive: receiveRate, remove: removeRate };
}

/** An app with one queue in its definition, nothing consuming it. */
function writeQueueApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-endpoint-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "handler.ts"), "export async function handler() {}\n");
  writeFileSync(
    join(dir, "sluice.config.ts"),
    'import { defineApp } from "sluice";\nexport default defineApp({\n  name: "bench",\n  queues: { defined: {} },\n  functions: { f: { handler: "src/handler.handler" } },\n});\n',
  );
  return dir;
}

/** Rounds each side of a comparison runs, alternating, so that a change in the machine's load meets both. */
const ROUNDS = 10;
/** SendMessage calls each server gets, over both queues, before the first measured round. */
const SERVER_WARMUP = 3000;

/** One SDK client sending KB_BODY to `queueName` (created first when `create`). */
async function kbSender(url: string, queueName: string, create: boolean): Promise<() => Promise<unknown>> {
  const sqs = new SQSClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const found = create
    ? await sqs.send(new CreateQueueCommand({ QueueName: queueName }))
    : await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  // The canned server answers a fixed URL; Sluice's is used as it comes, as a user's script would.
  const QueueUrl = found.QueueUrl?.replace(/^http:\/\/127\.0\.0\.1\//, `${url}/`);
  const send = () => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: KB_BODY }));
  await rate(WARMUP, 1, send);
  return send;
}

interface Side {
  ms: number;
  cpuUs: number;
  /** The serving process's CPU time (all threads): what a call costs the server, whatever the load. */
  serverCpuUs: number;
  /** Each call's round trip (ms): the p99 shows the stalls an average hides (a checkpoint's fsyncs). */
  readonly callMs: number[];
}

/** OPS sends in ROUNDS rounds on one side (CPU time is this process's: the SDK's share). */
async function round(send: () => Promise<unknown>, side: Side, serverPid: number | undefined): Promise<void> {
  const cpu = process.cpuUsage();
  const serverBefore = processCpuUs(serverPid) ?? Number.NaN;
  const started = performance.now();
  for (let i = 0; i < OPS / ROUNDS; i++) {
    const callStarted = performance.now();
    await send();
    side.callMs.push(performance.now() - callStarted);
  }
  side.ms += performance.now() - started;
  const used = process.cpuUsage(cpu);
  side.cpuUs += used.user + used.system;
  side.serverCpuUs += (processCpuUs(serverPid) ?? Number.NaN) - serverBefore;
}

/**
 * Issue 14: one client, 1 KB messages, `sluice dev --iam enforce`, to a queue of the definition
 * and to one made by CreateQueue, each beside the SDK's ceiling in alternating rounds.
 */
async function queueKinds(canned: { url: string; child: ChildProcess }): Promise<void> {
  const dir = writeQueueApp();
  const aRoot = process.env.BENCH_ENDPOINT_A_ROOT;
  const dirA = aRoot === undefined ? undefined : writeQueueApp();
  // BENCH_DEV_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the dev process.
  const nodeOptions = process.env.BENCH_DEV_NODE_OPTIONS?.split(" ").filter(Boolean) ?? [];
  const startDev = (root: string, appDir: string) =>
    startProcess(
      [...nodeOptions, join(root, "bin", "sluice.js"), "dev", appDir, "--no-watch", "--iam", "enforce"],
      /AWS endpoint\s+(http:\/\/\S+)/,
    );
  const dev = await startDev(ROOT, dir);
  const devA = aRoot === undefined || dirA === undefined ? undefined : await startDev(aRoot, dirA);
  try {
    console.log(
      `1 client, ${OPS} SendMessage after ${WARMUP} warm-up per queue and ${SERVER_WARMUP} over both queues on each server, 1 KB bodies, sluice dev --iam enforce, in ${ROUNDS} rounds alternating with the ceiling (target ≥ 85% of the ceiling)`,
    );
    const cases = [
      ["definition queue", "bench-defined", false],
      ["CreateQueue queue", "made-by-api", true],
    ] as const;
    const senders = [];
    for (const [label, name, create] of cases) {
      senders.push({
        label,
        toCeiling: await kbSender(canned.url, name, true),
        toSluice: await kbSender(dev.url, name, create),
        toA: devA === undefined ? undefined : await kbSender(devA.url, name, create),
      });
    }
    // Each server's JIT warms up on whichever case runs first: without this, the first case paid
    // 150–450 µs more per call in dev (and the canned server ~100 µs) than the same case run second.
    for (let i = 0; i < SERVER_WARMUP; i++) {
      const sender = senders[i % senders.length];
      await sender?.toCeiling();
      await sender?.toSluice();
      await sender?.toA?.();
    }
    for (const { label, toCeiling, toSluice, toA } of senders) {
      const ceiling: Side = { ms: 0, cpuUs: 0, serverCpuUs: 0, callMs: [] };
      const sluice: Side = { ms: 0, cpuUs: 0, serverCpuUs: 0, callMs: [] };
      const sluiceA: Side = { ms: 0, cpuUs: 0, serverCpuUs: 0, callMs: [] };
      for (let r = 0; r < ROUNDS; r++) {
        await round(toCeiling, ceiling, canned.child.pid);
        await round(toSluice, sluice, dev.child.pid);
        if (toA !== undefined) await round(toA, sluiceA, devA?.child.pid);
      }
      const perSecond = (side: Side) => OPS / (side.ms / 1000);
      const wait = (side: Side) => ((side.ms * 1000 - side.cpuUs) / OPS).toFixed(0);
      const serverCpu = (side: Side) => (side.serverCpuUs / OPS).toFixed(0);
      const p99 = (side: Side) => {
        const sorted = [...side.callMs].sort((a, b) => a - b);
        return (sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN).toFixed(2);
      };
      console.log(
        `  ${label.padEnd(18)} SDK ceiling ${perSecond(ceiling).toFixed(0).padStart(5)} ops/s   sluice ${perSecond(sluice).toFixed(0).padStart(5)} ops/s  (${((perSecond(sluice) / perSecond(ceiling)) * 100).toFixed(0)}% of the ceiling; client waits ${wait(ceiling)} vs ${wait(sluice)} µs per call; server CPU ${serverCpu(ceiling)} vs ${serverCpu(sluice)} µs per call; p99 ${p99(ceiling)} vs ${p99(sluice)} ms)`,
      );
      if (toA !== undefined) {
        console.log(
          `  ${"".padEnd(18)} sluice A ${perSecond(sluiceA).toFixed(0).padStart(5)} ops/s  (${((perSecond(sluiceA) / perSecond(ceiling)) * 100).toFixed(0)}% of the ceiling; server CPU ${serverCpu(sluiceA)} µs per call; p99 ${p99(sluiceA)} ms)`,
        );
      }
    }
  } finally {
    await stopChild(dev.child);
    if (devA !== undefined) await stopChild(devA.child);
    rmSync(dir, { recursive: true, force: true });
    if (dirA !== undefined) rmSync(dirA, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const dir = writeBenchApp(1);
  const canned = await startProcess(["-e", CANNED_SERVER], /listening (http:\/\/\S+)/);
  const dev = await startProcess(
    [join(ROOT, "bin", "sluice.js"), "dev", dir, "--no-watch"],
    /AWS endpoint\s+(http:\/\/\S+)/,
  );
  try {
    await queueKinds(canned);
    if (process.env.BENCH_ENDPOINT === "queues") return;
    console.log(
      `${OPS} operations each after ${WARMUP} warm-up, 256-byte bodies; sluice dev in its own process`,
    );
    for (const clients of [1, 10]) {
      const raw = await rawHttp(canned.url, clients);
      const ceiling = await sqsRates(canned.url, clients, `ceiling-${clients}`);
      const sluice = await sqsRates(dev.url, clients, `bench-${clients}`);
      const direct = await rawHttp(dev.url, clients, `${dev.url}/000000000000/bench-${clients}`);
      const line = (name: string, key: keyof Rates, note = "") =>
        console.log(
          `  ${name.padEnd(15)} SDK ceiling ${ceiling[key].toFixed(0).padStart(5)} ops/s   sluice ${sluice[key].toFixed(0).padStart(5)} ops/s  (${((sluice[key] / ceiling[key]) * 100).toFixed(0)}% of the ceiling${note})`,
        );
      console.log(
        `${clients} client${clients === 1 ? "" : "s"}: raw Node.js HTTP round trips (keep-alive) ${raw.toFixed(0)} req/s`,
      );
      line("SendMessage", "send", clients === 1 ? "; target ≥ 3000" : "");
      line("ReceiveMessage", "receive");
      line("DeleteMessage", "remove");
      console.log(
        `  SendMessage as raw JSON over keep-alive HTTP, no SDK: sluice ${direct.toFixed(0)} ops/s`,
      );
    }
  } finally {
    await stopChild(dev.child);
    await stopChild(canned.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

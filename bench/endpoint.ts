/**
 * The AWS endpoint under @aws-sdk/client-sqs: SendMessage, ReceiveMessage and DeleteMessage
 * operations per second with 1 and with 10 concurrent clients, against a real `sluice dev` in
 * its own process, as a user's script meets it. Two baselines from the same run: raw Node.js
 * HTTP round trips (keep-alive) to a server process that does no work, and the same SDK calls
 * against that server answering canned SQS responses, which is the most the SDK itself allows.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { writeBenchApp } from "./bench-app.ts";

const OPS = 3000;
const WARMUP = 300;
const BODY = "x".repeat(256);
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
  req.resume();
  req.on("end", () => {
    const body = JSON.stringify(answers[req.headers["x-amz-target"]] ?? {});
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, "127.0.0.1", () => console.log("listening http://127.0.0.1:" + server.address().port));
`;

function startProcess(args: string[], ready: RegExp): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = ready.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.once("exit", (code) => reject(new Error(`exited (${code}) before ready:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
}

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
  const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" };
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

export async function run(): Promise<void> {
  const dir = writeBenchApp(1);
  const canned = await startProcess(["-e", CANNED_SERVER], /listening (http:\/\/\S+)/);
  const dev = await startProcess(
    [join(ROOT, "bin", "sluice.js"), "dev", dir, "--no-watch"],
    /AWS endpoint\s+(http:\/\/\S+)/,
  );
  try {
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
    await stop(dev.child);
    await stop(canned.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

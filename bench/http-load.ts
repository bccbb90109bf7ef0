/**
 * A small closed-loop load generator: `connections` keep-alive connections, each sending the next
 * request as soon as the last answered, for `seconds`. Runs in its own process, so it shares
 * neither an event loop nor a heap with the server it measures, whichever server that is.
 */
import { spawn } from "node:child_process";

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly non200: number;
}

interface LoadInput {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
}

// Plain CommonJS, so the process needs no TypeScript loader. Raw sockets and a prebuilt request:
// Node's http client cost ~22-45 µs of CPU per request, which capped the raw baseline near the
// generator's own limit (on 2 cores it competes with the server it measures); this costs a few µs.
const GENERATOR = `
const net = require("node:net");
const { url, connections, seconds } = JSON.parse(process.argv[1]);
const target = new URL(url);
const request = Buffer.from("GET " + target.pathname + target.search + " HTTP/1.1\\r\\nHost: " + target.host + "\\r\\nUser-Agent: sluice-bench\\r\\nAccept: */*\\r\\n\\r\\n");
const latenciesMs = [];
let non200 = 0;
let open = connections;
const started = performance.now();
const end = started + seconds * 1000;
const finish = () => {
  if (--open > 0) return;
  process.stdout.write(JSON.stringify({ requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, non200 }));
};
for (let i = 0; i < connections; i++) {
  const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
  let buffered = Buffer.alloc(0);
  let sent = 0;
  const send = () => {
    if (performance.now() >= end) { socket.end(); finish(); return; }
    sent = performance.now();
    socket.write(request);
  };
  socket.on("connect", send);
  socket.on("error", (error) => { console.error(error.message); process.exit(1); });
  socket.on("data", (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    // One response at a time per connection: status line, headers, then Content-Length bytes.
    const head = buffered.indexOf("\\r\\n\\r\\n");
    if (head < 0) return;
    const headers = buffered.toString("latin1", 0, head);
    const length = /\\r\\ncontent-length: *(\\d+)/i.exec(headers);
    if (!length) { console.error("a response without Content-Length:\\n" + headers); process.exit(1); }
    const total = head + 4 + Number(length[1]);
    if (buffered.length < total) return;
    if (buffered.length > total) { console.error("more bytes than one response"); process.exit(1); }
    buffered = Buffer.alloc(0);
    latenciesMs.push(performance.now() - sent);
    if (!headers.startsWith("HTTP/1.1 200 ")) non200++;
    send();
  });
}
`;

// Node's own client, for comparison with earlier figures (BENCH_GENERATOR=http).
const HTTP_CLIENT_GENERATOR = `
const { Agent, request } = require("node:http");
const { url, connections, seconds } = JSON.parse(process.argv[1]);
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const target = new URL(url);
const latenciesMs = [];
let non200 = 0;
const started = performance.now();
const end = started + seconds * 1000;
const one = () => new Promise((resolve, reject) => {
  const sent = performance.now();
  const req = request({ agent, host: target.hostname, port: target.port, path: target.pathname }, (res) => {
    if (res.statusCode !== 200) non200++;
    res.resume();
    res.on("end", () => { latenciesMs.push(performance.now() - sent); resolve(); });
  });
  req.on("error", reject);
  req.end();
});
const loop = async () => { while (performance.now() < end) await one(); };
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  agent.destroy();
  process.stdout.write(JSON.stringify({ requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, non200 }));
});
`;

/** Which generator `runLoad` uses: `net` (raw sockets, the default) or `http` (Node's client). */
export const GENERATOR_NAME = process.env.BENCH_GENERATOR === "http" ? "http" : "net";

export function runLoad(input: LoadInput): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const source = GENERATOR_NAME === "http" ? HTTP_CLIENT_GENERATOR : GENERATOR;
    const child = spawn(process.execPath, ["-e", source, JSON.stringify(input)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`the load generator exited with code ${code}`));
      resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as LoadResult);
    });
  });
}

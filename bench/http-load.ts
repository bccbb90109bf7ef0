/**
 * A small closed-loop load generator: `connections` keep-alive connections, each sending the next
 * request as soon as the last answered, for `seconds`. Runs in its own worker thread so it does
 * not share an event loop with the server it measures.
 */
import { Worker } from "node:worker_threads";

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

// Plain CommonJS, so the worker needs no TypeScript loader.
const GENERATOR = `
const { Agent, request } = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const { url, connections, seconds } = workerData;
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
  parentPort.postMessage({ requests: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs, non200 });
});
`;

export function runLoad(input: LoadInput): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(GENERATOR, { eval: true, workerData: input });
    worker.once("message", (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

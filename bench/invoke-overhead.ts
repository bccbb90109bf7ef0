import { rmSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { writeBenchApp } from "./bench-app.ts";
import { openCloud } from "./cloud.ts";
import { fmt, percentile } from "./stats.ts";

const WARMUP = 500;
const ITERATIONS = 5000;
const PAYLOAD = JSON.stringify({ hello: "world", n: 42 });

/** A bare worker-thread round trip: the floor any in-process environment pays. */
async function bareWorkerRoundTrips(): Promise<number[]> {
  const worker = new Worker(
    "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));",
    { eval: true },
  );
  const roundTrip = () =>
    new Promise<number>((resolve) => {
      const started = performance.now();
      worker.once("message", () => resolve(performance.now() - started));
      worker.postMessage({ requestId: "x", payload: PAYLOAD });
    });
  for (let i = 0; i < WARMUP; i++) await roundTrip();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) samples.push(await roundTrip());
  await worker.terminate();
  return samples;
}

export async function run(): Promise<void> {
  const dir = writeBenchApp(1);
  try {
    const baseline = await bareWorkerRoundTrips();
    const cloud = await openCloud(dir, { background: false });
    for (let i = 0; i < WARMUP; i++) await cloud.lambda.invoke("f0", { payload: PAYLOAD });
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const started = performance.now();
      await cloud.lambda.invoke("f0", { payload: PAYLOAD });
      samples.push(performance.now() - started);
    }
    await cloud.close();
    const [b50, b99, s50, s99] = [
      percentile(baseline, 50),
      percentile(baseline, 99),
      percentile(samples, 50),
      percentile(samples, 99),
    ];
    console.log(`${ITERATIONS} sequential warm invokes of a handler that returns its event`);
    console.log(`baseline  bare worker-thread round trip   p50 ${fmt(b50)}  p99 ${fmt(b99)}`);
    console.log(`sluice    warm invoke (Lambda surface)     p50 ${fmt(s50)}  p99 ${fmt(s99)}`);
    console.log(
      `overhead above the handler's own time (~0): p50 ${fmt(s50)} (target ≤ 0.300 ms); above the bare round trip: p50 ${fmt(s50 - b50)}; ratio ${(s50 / b50).toFixed(2)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- NAME`: runs one benchmark (or all without a name). Each prints its figures
 * beside a baseline measured in the same run and the ratio between them.
 */
import { machine } from "./stats.ts";

const BENCHMARKS: Record<string, () => Promise<void>> = {
  invoke: async () => (await import("./invoke-overhead.ts")).run(),
  queue: async () => (await import("./queue-pipeline.ts")).run(),
  "sqs-engine": async () => (await import("./sqs-engine.ts")).run(),
  "sqlite-drivers": async () => (await import("./sqlite-drivers.ts")).run(),
  "queue-attributes": async () => (await import("./queue-attributes.ts")).run(),
  "dev-start": async () => (await import("./dev-start.ts")).run(),
  endpoint: async () => (await import("./endpoint.ts")).run(),
  http: async () => (await import("./http-api.ts")).run(),
  patterns: async () => (await import("./event-patterns.ts")).run(),
  "event-bus": async () => (await import("./event-bus.ts")).run(),
  synth: async () => (await import("./synth.ts")).run(),
  deploy: async () => (await import("./deploy.ts")).run(),
  dynamodb: async () => (await import("./dynamodb.ts")).run(),
  s3: async () => (await import("./s3.ts")).run(),
  failover: async () => (await import("./failover.ts")).run(),
  stepfunctions: async () => (await import("./stepfunctions.ts")).run(),
  serve: async () => (await import("./serve.ts")).run(),
  traces: async () => (await import("./traces.ts")).run(),
  testing: async () => (await import("./testing.ts")).run(),
  console: async () => (await import("./console.ts")).run(),
};

const name = process.argv[2];
const selected = name ? [name] : Object.keys(BENCHMARKS);
const unknown = selected.filter((n) => !BENCHMARKS[n]);
if (unknown.length) {
  console.error(
    `unknown benchmark ${unknown.join(", ")}; choose from: ${Object.keys(BENCHMARKS).join(", ")}`,
  );
  process.exit(2);
}
console.log(`machine: ${await machine()}`);
for (const n of selected) {
  console.log(`\n== ${n}`);
  await BENCHMARKS[n]?.();
}
process.exit(0);

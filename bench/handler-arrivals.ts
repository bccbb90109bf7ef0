/**
 * Latency from an AWS call to the handler it causes: the benchmark's function POSTs the keys it
 * ran with to this server, which notes when each arrived. Used by `bench dynamodb` (write → stream
 * handler) and `bench s3` (PutObject → notified function).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { median, percentile } from "./stats.ts";

/** How long one call's handler may take to report before the measurement stops. */
const REPORT_TIMEOUT_MS = 10_000;

export interface HandlerArrivals {
  /** Where the handler POSTs a JSON array of keys. */
  readonly url: string;
  /**
   * Sends `count` calls one after another (`send(i)` resolves with the key the handler will
   * report) and returns the latencies in ms; undefined, having said so with `label`, when a
   * handler does not report within 10 s.
   */
  measure(label: string, count: number, send: (i: number) => Promise<string>): Promise<number[] | undefined>;
  close(): void;
}

export async function startHandlerArrivals(): Promise<HandlerArrivals> {
  const handled = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      for (const key of JSON.parse(Buffer.concat(chunks).toString() || "[]") as string[])
        handled.set(key, at);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async measure(label, count, send) {
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const key = await send(i);
        const deadline = started + REPORT_TIMEOUT_MS;
        while (!handled.has(key) && performance.now() < deadline) await new Promise((r) => setImmediate(r));
        const at = handled.get(key);
        if (at === undefined) {
          console.log(`  ${label}: no handler call within 10 s for call ${i}; stopped`);
          return undefined;
        }
        samples.push(at - started);
      }
      return samples;
    },
    close: () => server.close(),
  };
}

/** `p50 …, p90 …, p99 …` in ms. */
export function latencyFigures(samples: readonly number[]): string {
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  return `p50 ${ms(median(samples))}, p90 ${ms(percentile(samples, 90))}, p99 ${ms(percentile(samples, 99))}`;
}

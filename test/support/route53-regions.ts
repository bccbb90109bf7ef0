/**
 * Real HTTP servers standing in for regional APIs in the local Route 53 tests: each answers its
 * health path with the status the test sets (200 until told otherwise), echoes every other
 * request (method, path, query, headers, body), and remembers what it was asked.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInRegion {
  readonly region: string;
  readonly url: string;
  /** Request targets (path and query) of the health pings received. */
  readonly pings: string[];
  /** What the health path answers from now on. */
  healthStatus: number;
  /** Milliseconds before the health path answers. */
  healthDelayMs: number;
  close(): Promise<void>;
}

export async function standInRegion(region: string, healthPath = "/health"): Promise<StandInRegion> {
  const state = { healthStatus: 200, healthDelayMs: 0 };
  const pings: string[] = [];
  const server: Server = createServer((req, res) => {
    const target = req.url ?? "/";
    if (target.split("?")[0] === healthPath) {
      pings.push(target);
      setTimeout(() => {
        res.writeHead(state.healthStatus, { "content-type": "text/plain" });
        res.end(state.healthStatus < 400 ? `Shallow hello from ${region}` : "Unhealthy");
      }, state.healthDelayMs);
      return;
    }
    if (target.startsWith("/redirect")) {
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
      return;
    }
    void echo(region, req).then((body) => {
      res.writeHead(200, { "content-type": "application/json", "x-region-server": region });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    region,
    url: `http://127.0.0.1:${port}`,
    pings,
    get healthStatus() {
      return state.healthStatus;
    },
    set healthStatus(value: number) {
      state.healthStatus = value;
    },
    get healthDelayMs() {
      return state.healthDelayMs;
    },
    set healthDelayMs(value: number) {
      state.healthDelayMs = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function echo(region: string, req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return JSON.stringify({
    region,
    method: req.method,
    url: req.url,
    headers: req.headers,
    bodyLength: body.length,
    bodySha: createHash("sha256").update(body).digest("hex"),
  });
}

/**
 * The front door: one local URL for the app's domain that forwards each request to the region
 * DNS would answer with now, so `curl` and a browser see a failover happen without touching the
 * machine's resolver. Method, path, query, headers and body pass through, streamed both ways;
 * redirects are passed back, not followed. Each answer says which region served it
 * (`x-sluice-region`). When no record resolves it answers 503 with a JSON message.
 * Like every local server it checks Host first (DNS rebinding, docs/security.md); the domain name
 * itself is allowed, for clients that send it (`curl --resolve`). Cross-site browser requests are
 * the API's business (API Gateway's CORS), as on the regional API servers.
 */
import {
  Agent,
  type ClientRequest,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { pipeline } from "node:stream";
import {
  closeServer,
  type FrontDoorOptions,
  HostGuard,
  listenOn,
  timeoutOptions,
  urlHostOf,
} from "../front-door/index.ts";
import type { RecordConfig } from "./route53-config.ts";

export interface FailoverProxyOptions extends FrontDoorOptions {
  /** Where the proxy asks which record answers for `name`. */
  readonly engine: { resolve(name: string): RecordConfig | undefined };
  /** The domain the front door stands for. @example "api.example.com" */
  readonly name: string;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

export interface FailoverProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The header that tells which region answered. */
export const REGION_HEADER = "x-sluice-region";

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export async function startFailoverProxy(options: FailoverProxyOptions): Promise<FailoverProxy> {
  const host = options.host ?? "127.0.0.1";
  const agent = new Agent({ keepAlive: true });
  let guard: HostGuard | undefined;
  const server: Server = createServer(timeoutOptions(options.timeouts), (req, res) => {
    if (!guard?.allows(req.headers.host)) {
      res.setHeader("connection", "close");
      json(res, 403, { message: "Forbidden" });
      return;
    }
    forward(options, agent, req, res);
  });
  server.keepAliveTimeout = 5000;
  const port = await listenOn(server, host, options.port);
  guard = new HostGuard(port, host, [...(options.allowedHosts ?? []), options.name]);
  return {
    url: `http://${urlHostOf(host)}:${port}`,
    port,
    close: () => {
      const closed = closeServer(server);
      agent.destroy();
      return closed;
    },
  };
}

function forward(
  options: FailoverProxyOptions,
  agent: Agent,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const record = options.engine.resolve(options.name);
  if (record === undefined) {
    json(res, 503, { message: `No Route 53 record answers for ${options.name} now.` });
    req.resume();
    return;
  }
  const incoming = req.url ?? "/";
  let base: URL;
  try {
    base = new URL(record.target.url);
  } catch {
    json(res, 502, { message: `The ${record.region} record has no usable URL.` }, record.region);
    req.resume();
    return;
  }
  // The request target goes after the region URL's own path (a stage, say), byte for byte: no
  // dot-segment or percent-encoding normalisation on the way.
  const path = `${base.pathname.replace(/\/$/, "")}${incoming.startsWith("/") ? incoming : `/${incoming}`}`;
  let upstream: ClientRequest;
  try {
    upstream = httpRequest(
      {
        host: base.hostname,
        port: base.port === "" ? 80 : Number(base.port),
        method: req.method,
        path,
        headers: forwardedHeaders(req.headers, base.host),
        agent,
      },
      (answer) => {
        const headers = endToEndHeaders(answer.headers);
        headers[REGION_HEADER] = record.region;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        pipeline(answer, res, () => {});
      },
    );
  } catch {
    json(res, 400, { message: "Bad request target." }, record.region);
    req.resume();
    return;
  }
  upstream.on("error", () => {
    if (res.headersSent) res.destroy();
    else json(res, 502, { message: `The ${record.region} API did not answer.` }, record.region);
  });
  pipeline(req, upstream, () => {});
}

function forwardedHeaders(
  headers: IncomingHttpHeaders,
  targetHost: string,
): Record<string, string | string[]> {
  const out = endToEndHeaders(headers);
  // The regional server answers its own Host only (its DNS-rebinding check); say where the
  // request was sent, as a proxy does.
  if (headers.host !== undefined) out["x-forwarded-host"] = headers.host;
  out.host = targetHost;
  // A chunked body arrives de-chunked; it leaves chunked again. Without a framing header Node
  // sends a GET's (DELETE's, OPTIONS's) body bare, and the region would read it as the next
  // request on the pooled connection (request smuggling).
  if (headers["transfer-encoding"] !== undefined && headers["content-length"] === undefined) {
    out["transfer-encoding"] = "chunked";
  }
  return out;
}

/** The end-to-end headers of a message, hop-by-hop ones (and those `Connection` names) left out. */
function endToEndHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  const dropped = connectionTokens(headers.connection);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Headers the `Connection` header names are hop-by-hop too. */
function connectionTokens(value: string | undefined): Set<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== ""),
  );
}

function json(res: ServerResponse, status: number, body: object, region?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...(region === undefined ? {} : { [REGION_HEADER]: region }),
  });
  res.end(text);
}

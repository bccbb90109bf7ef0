/**
 * The local HTTP API: a Node HTTP server that routes requests as API Gateway HTTP APIs do and
 * invokes the route's function through the local cloud. It reads the current app on every
 * request, so it keeps serving (on the same port) when `dev` restarts its cloud.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import { API_GATEWAY_LIMITS } from "../../model/api-gateway-limits.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import { DEFAULT_STAGE, type HttpApiSpec } from "../../model/http-api.ts";
import {
  type ApiAccess,
  type ApiBackend,
  type ApiServer,
  type ApiServerOptions,
  apiId,
  type BodyResult,
  clientHeaders,
  gatewayId,
  headerValue,
  readBody,
  traceId,
} from "../apigateway/index.ts";
import { closeServer, HostGuard, listenOn, timeoutOptions, urlHostOf } from "../front-door/index.ts";
import type { Tracer } from "../traces/index.ts";
import { preflight, withCors } from "./cors.ts";
import type { GatewayRequest } from "./gateway-request.ts";
import { GATEWAY, type GatewayResponse } from "./gateway-responses.ts";
import { integrate } from "./http-integration.ts";
import { type RouteMatch, RouteTable } from "./route-table.ts";

export interface HttpApiServerOptions extends ApiServerOptions {
  readonly backend: () => ApiBackend;
  readonly onAccess?: (access: ApiAccess) => void;
  /**
   * Answers a request after the Host check and before routing (`sluice serve`'s `/healthz`, which
   * a load balancer polls); undefined lets it through to the routes. Runs for every request.
   * @default none
   * @example preRoute: (req) => (req.url === "/healthz" ? healthy : undefined)
   */
  readonly preRoute?: (req: IncomingMessage) => GatewayResponse | undefined;
  /**
   * Whether this server runs a route's function: a matched route whose function it does not run
   * answers 404, as API Gateway answers a route it does not have (`sluice serve` runs some).
   * @default every function
   * @example serves: (fn) => fn === "api"
   */
  readonly serves?: (functionName: string) => boolean;
  /**
   * Accept every Host: a server behind a load balancer (`sluice serve --host 0.0.0.0` on an
   * instance), which is its front door, sees the balancer's name or the instance's address.
   * @default false (HostGuard: loopback, the bound address and allowedHosts only)
   */
  readonly anyHost?: boolean;
  /**
   * How long an idle keep-alive connection stays open. Behind a load balancer it must outlast the
   * balancer's idle timeout, or the balancer may send a request on a connection being closed and
   * answer 502 (`sluice serve`: model/fleet-load-balancer.ts).
   * @default 5000
   */
  readonly keepAliveMs?: number;
  /**
   * Routes at the root whatever the API's stage, as its custom domain's API mapping serves them
   * (`sluice serve`: the domain's failover record and the load balancer pass paths unchanged).
   * Events still carry the stage in requestContext. @default false (a named stage prefixes paths)
   */
  readonly atRoot?: boolean;
  /**
   * The peer is a load balancer that appends the client's address to X-Forwarded-For (ALB's
   * default `append` mode): an event's sourceIp is that last entry, as API Gateway's is the
   * client's. Only behind such a balancer: a client reaching the server directly could name any
   * address there.
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/x-forwarded-headers.html
   * @default false (the socket's peer address)
   */
  readonly forwardedFor?: boolean;
}

/** How a server that runs only some functions (`sluice serve`) differs from dev's gateway. */
interface Edge {
  readonly serves: ((functionName: string) => boolean) | undefined;
  readonly tracer: Tracer | undefined;
  readonly atRoot: boolean;
  readonly forwardedFor: boolean;
}

const PAYLOAD_LIMIT = API_GATEWAY_LIMITS.http.payload.max;
/** A Host the API does not answer (DNS rebinding): refused before any route or function runs. */
const FOREIGN_HOST: GatewayResponse = {
  status: 403,
  headers: [["content-type", "application/json"]],
  body: Buffer.from('{"message":"Forbidden"}'),
};

export async function startHttpApi(options: HttpApiServerOptions): Promise<ApiServer> {
  const tables = new WeakMap<AppSpec, RouteTable>();
  const tableFor = (spec: AppSpec, api: HttpApiSpec): RouteTable => {
    let table = tables.get(spec);
    if (!table) {
      table = new RouteTable(api.routes);
      tables.set(spec, table);
    }
    return table;
  };
  let port = 0;
  let guard: HostGuard | undefined;
  const { preRoute } = options;
  const edge: Edge = {
    serves: options.serves,
    tracer: options.tracer,
    atRoot: options.atRoot === true,
    forwardedFor: options.forwardedFor === true,
  };
  const anyHost = options.anyHost === true;
  // One async function per request, no closures: this runs for every request.
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = gatewayId();
    let response: GatewayResponse;
    try {
      if (!anyHost && !guard?.allows(req.headers.host)) response = FOREIGN_HOST;
      else {
        const early = preRoute?.(req);
        if (early !== undefined) response = early;
        else if (options.unavailable?.() === true) response = GATEWAY.unavailable();
        else {
          const answer = respond(options.backend(), req, port, requestId, tableFor, edge);
          response = answer instanceof Promise ? await answer : answer;
        }
      }
    } catch {
      response = GATEWAY.internalError();
    }
    write(res, response, requestId);
    options.onAccess?.({
      api: "http",
      request: `${req.method} ${req.url}`,
      status: response.status,
      ms: performance.now() - started,
    });
  };
  const server: Server = createServer(timeoutOptions(options.timeouts), serve);
  server.keepAliveTimeout = options.keepAliveMs ?? 5000;
  const host = options.host ?? "127.0.0.1";
  port = await listenOn(server, host, options.port);
  guard = new HostGuard(port, host, options.allowedHosts);
  const stage = edge.atRoot ? DEFAULT_STAGE : (options.backend().spec.http?.stage ?? DEFAULT_STAGE);
  return {
    url: `http://${urlHostOf(host)}:${port}${stage === DEFAULT_STAGE ? "" : `/${stage}`}`,
    port,
    close: () => closeServer(server),
  };
}

/** What the gateway knows once it has matched a route, before it reads the body. */
interface Routed {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: [string, string][];
  readonly match: RouteMatch;
  /** The client's address: the socket's peer, or behind a balancer its X-Forwarded-For entry. */
  readonly sourceIp: string;
}

/**
 * The gateway's own answers come back as values; the function's as a promise. Not an async
 * function: a GET's way to the integration stays synchronous, one promise fewer per request.
 */
function respond(
  backend: ApiBackend,
  req: IncomingMessage,
  port: number,
  requestId: string,
  tableFor: (spec: AppSpec, api: HttpApiSpec) => RouteTable,
  edge: Edge,
): GatewayResponse | Promise<GatewayResponse> {
  const api = backend.spec.http;
  if (api === undefined) return GATEWAY.notFound();
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const routePath = edge.atRoot ? rawPath : withoutStage(rawPath, api.stage);
  const method = req.method ?? "GET";
  const headers = clientHeaders(req.rawHeaders);
  if (api.cors) {
    const answer = preflight(api.cors, method, headers);
    if (answer) return answer;
  }
  const match = routePath === undefined ? undefined : tableFor(backend.spec, api).match(method, routePath);
  if (match === undefined || edge.serves?.(match.route.function) === false) return GATEWAY.notFound();
  const routed: Routed = {
    method,
    rawPath,
    rawQueryString: q < 0 ? "" : url.slice(q + 1),
    headers,
    match,
    sourceIp: (edge.forwardedFor ? forwardedClient(headers) : undefined) ?? sourceIp(req),
  };
  const reading = readBody(req, PAYLOAD_LIMIT);
  return reading instanceof Promise
    ? reading.then((read) => forward(backend, api, req, port, requestId, routed, read, edge.tracer))
    : forward(backend, api, req, port, requestId, routed, reading, edge.tracer);
}

/** Builds the request the event formats read and hands it to the route's integration. */
function forward(
  backend: ApiBackend,
  api: HttpApiSpec,
  req: IncomingMessage,
  port: number,
  requestId: string,
  routed: Routed,
  read: BodyResult,
  tracer: Tracer | undefined,
): GatewayResponse | Promise<GatewayResponse> {
  if ("tooLarge" in read) return GATEWAY.bodyTooLarge(PAYLOAD_LIMIT);
  const { spec, clock } = backend;
  const { headers } = routed;
  const now = clock.now();
  const request: GatewayRequest = {
    method: routed.method,
    rawPath: routed.rawPath,
    rawQueryString: routed.rawQueryString,
    headers,
    body: read.body,
    sourceIp: routed.sourceIp,
    userAgent: headerValue(headers, "user-agent") ?? "",
    protocol: `HTTP/${req.httpVersion}`,
    domainName: headerValue(headers, "host") ?? `127.0.0.1:${port}`,
    port,
    timeEpoch: now,
    requestId,
    // API Gateway adds a trace header to a request that has none; one the client sent goes on.
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
    traceId: headerValue(headers, "x-amzn-trace-id") ?? traceId(now),
  };
  const context = { accountId: spec.accountId, apiId: apiId(spec.name, "http"), stage: api.stage };
  const response = integrate(backend, api, { request, context, match: routed.match, tracer });
  const cors = api.cors;
  return cors ? response.then((answer) => withCors(cors, headers, answer)) : response;
}

/** The path below the stage, or undefined when a named stage's prefix is missing. */
function withoutStage(rawPath: string, stage: string): string | undefined {
  if (stage === DEFAULT_STAGE) return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return "/";
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : undefined;
}

/** The last X-Forwarded-For entry, the address the balancer saw, when it is an IP address. */
function forwardedClient(headers: readonly [string, string][]): string | undefined {
  let last: string | undefined;
  for (const [name, value] of headers) if (name.toLowerCase() === "x-forwarded-for") last = value;
  const entry = last?.slice(last.lastIndexOf(",") + 1).trim();
  return entry !== undefined && isIP(entry) !== 0 ? entry : undefined;
}

function sourceIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function write(res: ServerResponse, response: GatewayResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const headers: string[] = [];
  for (const [name, value] of response.headers) if (!isFramingHeader(name)) headers.push(name, value);
  headers.push("content-length", String(response.body.length), "apigw-requestid", requestId);
  // The rest of a body over the limit (or a refused one) is not read: the connection cannot carry another request.
  if (response.status === 413 || response === FOREIGN_HOST) headers.push("connection", "close");
  res.writeHead(response.status, headers);
  // A small body goes as latin1 text (byte for byte the same): Node then joins it to the head in
  // one chunk, where a Buffer is queued as a chunk of its own behind the head (_http_outgoing's _send).
  const body = response.body;
  if (body.length <= SMALL_BODY) res.end(body.toString("latin1"), "latin1");
  else res.end(body);
}

/** Up to this many bytes, copying the body into the head's chunk costs less than a chunk of its own. */
const SMALL_BODY = 4096;

/** Headers the gateway sets itself; lower-cased only when the length could match. */
function isFramingHeader(name: string): boolean {
  const length = name.length;
  if (length !== 14 && length !== 17 && length !== 10) return false;
  const lower = name.toLowerCase();
  return lower === "content-length" || lower === "transfer-encoding" || lower === "connection";
}

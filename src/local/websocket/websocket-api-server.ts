/**
 * The local WebSocket API: one HTTP server that takes WebSocket handshakes at `/<stage>` (running
 * `$connect`, which may refuse them), dispatches each message to the route its selection
 * expression picks, runs `$disconnect` when a connection ends, enforces API Gateway's frame,
 * message, idle and duration limits on the clock, and serves the `@connections` management API.
 */
import { isUtf8 } from "node:buffer";
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { SecureContext } from "node:tls";
import { type WebSocket, WebSocketServer } from "ws";
import {
  type ApiAccess,
  type ApiBackend,
  type ApiServer,
  type ApiServerOptions,
  apiId,
  clientHeaders,
  gatewayId,
  headerValue,
  traceId,
} from "../apigateway/index.ts";
import { HostGuard, listenOn, timeoutOptions, urlHostOf } from "../front-door/index.ts";
import { ServerIdentity, type SharedPortListener, sharedPortListener } from "../tls/index.ts";
import { type Connection, ConnectionRegistry } from "./connection.ts";
import { manage } from "./connections-api.ts";
import { FrameGuard } from "./frame-guard.ts";
import { invokeRoute, type Outcome, routeOf } from "./websocket-dispatch.ts";
import {
  type ConnectionFacts,
  connectEvent,
  disconnectEvent,
  messageEvent,
  type WebSocketApiContext,
} from "./websocket-events.ts";
import { CLOSE, WEBSOCKET_LIMITS } from "./websocket-limits.ts";
import { selectedRoute } from "./websocket-routing.ts";

export interface WebSocketApiServerOptions extends ApiServerOptions {
  readonly backend: () => ApiBackend;
  readonly onAccess?: (access: ApiAccess) => void;
}

export interface WebSocketApiServer extends ApiServer {
  /** Where the management API answers over plain HTTP: `http://${domainName}/${stage}`. */
  readonly callbackUrl: string;
  /**
   * The same over TLS, `https://${domainName}/${stage}`, as AWS's samples build it; present when
   * the backend has a local CA (its functions trust it).
   */
  readonly secureCallbackUrl: string | undefined;
  /** Open connections. */
  readonly connections: number;
}

export async function startWebSocketApi(options: WebSocketApiServerOptions): Promise<WebSocketApiServer> {
  const gateway = new WebSocketGateway(options);
  return gateway.listen();
}

class WebSocketGateway {
  private readonly registry = new ConnectionRegistry();
  private readonly server: Server;
  /** Listens on the port and hands plain and TLS connections alike to `server`. */
  private listener: SharedPortListener | undefined;
  private identity: ServerIdentity | undefined;
  private readonly wss: WebSocketServer;
  /** Headers `$connect` returned, to add to the handshake's 101 response. */
  private readonly handshakeHeaders = new WeakMap<IncomingMessage, [string, string][]>();
  private readonly pending = new Set<Promise<unknown>>();
  private domainName = "";
  private port = 0;
  /** Refuses a foreign Host (DNS rebinding) on handshakes and @connections alike; set on listen. */
  private guard: HostGuard | undefined;
  private closing = false;

  constructor(private readonly options: WebSocketApiServerOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: WEBSOCKET_LIMITS.messageBytes,
      perMessageDeflate: false,
      // API Gateway agrees to a subprotocol only when $connect returns Sec-WebSocket-Protocol.
      handleProtocols: (protocols, req) => {
        const chosen = this.handshakeHeaders
          .get(req)
          ?.find(([n]) => n.toLowerCase() === "sec-websocket-protocol")?.[1];
        return chosen !== undefined && protocols.has(chosen) ? chosen : false;
      },
    });
    this.wss.on("headers", (headers, req) => {
      for (const [name, value] of this.handshakeHeaders.get(req) ?? []) {
        if (!/^(sec-websocket-|connection$|upgrade$|content-length$)/i.test(name))
          headers.push(`${name}: ${value}`);
      }
    });
    this.server = createServer(timeoutOptions(options.timeouts), (req, res) => {
      if (!this.guard?.allows(req.headers.host)) {
        res.writeHead(403, { "content-type": "application/json", connection: "close" });
        res.end('{"message":"Forbidden"}');
        return;
      }
      if (this.options.unavailable?.() === true) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end('{"message":"Service Unavailable"}');
        return;
      }
      manage(req, {
        stage: this.backend().spec.websocket?.stage ?? "",
        registry: this.registry,
        send: (connection, data) => this.send(connection, data),
        disconnect: (connection) => this.end(connection, CLOSE.normal, ""),
      })
        .then(
          (answer) =>
            answer ?? {
              status: 403,
              headers: { "content-type": "application/json" },
              body: '{"message":"Forbidden"}',
            },
        )
        .catch(() => ({ status: 500, headers: {}, body: '{"message":"Internal server error"}' }))
        .then((answer) => {
          res.writeHead(answer.status, {
            ...answer.headers,
            "content-length": Buffer.byteLength(answer.body),
          });
          res.end(answer.body);
        });
    });
    this.server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on("error", () => undefined);
      this.track(this.upgrade(req, socket, head));
    });
  }

  async listen(): Promise<WebSocketApiServer> {
    const host = this.options.host ?? "127.0.0.1";
    this.identity = new ServerIdentity([host, ...(this.options.allowedHosts ?? [])]);
    const listener = sharedPortListener(this.server, { secureContext: () => this.secureContext() });
    this.port = await listenOn(listener.server, host, this.options.port);
    this.listener = listener;
    // `server` never listens itself; Node starts its request timeouts and connection tracking on
    // its "listening" event, so it hears one when the shared listener is up.
    this.server.emit("listening");
    // The certificate is made now, off the event loop, so the first https call does not wait for it.
    this.secureContext().catch(() => undefined);
    this.guard = new HostGuard(this.port, host, this.options.allowedHosts);
    this.domainName = `${urlHostOf(host)}:${this.port}`;
    const stage = this.backend().spec.websocket?.stage ?? "";
    const registry = this.registry;
    return {
      url: `ws://${this.domainName}/${stage}`,
      callbackUrl: `http://${this.domainName}/${stage}`,
      secureCallbackUrl:
        this.backend().certificateAuthority === undefined ? undefined : `https://${this.domainName}/${stage}`,
      port: this.port,
      get connections() {
        return registry.size;
      },
      close: () => this.close(),
    };
  }

  private backend(): ApiBackend {
    return this.options.backend();
  }

  /** The current app's CA signs what TLS connections see; without one, TLS is refused. */
  private secureContext(): Promise<SecureContext> {
    const ca = this.backend().certificateAuthority;
    if (ca === undefined || this.identity === undefined)
      return Promise.reject(new Error("no local CA: TLS is not served"));
    return this.identity.context(ca);
  }

  private context(stage: string): WebSocketApiContext {
    return {
      apiId: apiId(this.backend().spec.name, "websocket"),
      stage,
      domainName: this.domainName,
      port: this.port,
    };
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const started = performance.now();
    const backend = this.backend();
    const api = backend.spec.websocket;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    if (
      api === undefined ||
      (path !== `/${api.stage}` && path !== `/${api.stage}/`) ||
      this.closing ||
      !this.guard?.allows(req.headers.host)
    ) {
      refuse(socket, 403);
      return;
    }
    // A regional outage (`sluice fail region`): the gateway takes no handshake.
    if (this.options.unavailable?.() === true) {
      refuse(socket, 503);
      this.access("$connect", 503, started);
      return;
    }
    const headers = clientHeaders(req.rawHeaders);
    const address = req.socket.remoteAddress ?? "127.0.0.1";
    const facts: ConnectionFacts = {
      connectionId: gatewayId(),
      connectedAt: backend.clock.now(),
      sourceIp: address.startsWith("::ffff:") ? address.slice(7) : address,
      userAgent: headerValue(headers, "user-agent"),
    };
    const route = routeOf(api, "$connect");
    if (route !== undefined) {
      // The client's X-Amzn-Trace-Id goes on; API Gateway adds one to a request without.
      // https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
      const trace = headerValue(headers, "x-amzn-trace-id") ?? traceId(facts.connectedAt);
      const event = connectEvent(
        this.context(api.stage),
        facts,
        "$connect",
        {
          headers,
          rawQueryString: q < 0 ? "" : url.slice(q + 1),
          traceId: trace,
        },
        facts.connectedAt,
      );
      const outcome = await invokeRoute(backend, route.function, event, {
        routeKey: "$connect",
        traceId: trace,
        requestId: requestIdOf(event),
        tracer: this.options.tracer,
      });
      const answer = connectAnswer(outcome);
      if (answer.status < 200 || answer.status > 299) {
        this.access("$connect", answer.status, started);
        refuse(socket, answer.status);
        return;
      }
      this.handshakeHeaders.set(req, answer.headers);
    }
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.accept(ws, req, facts, headerValue(headers, "host") ?? this.domainName);
      this.access("$connect", 101, started);
    });
  }

  private accept(ws: WebSocket, req: IncomingMessage, facts: ConnectionFacts, host: string): void {
    const connection: Connection = {
      ...facts,
      socket: ws,
      lastActiveAt: facts.connectedAt,
      host,
      closing: false,
      oversized: false,
      idleTimer: undefined,
      durationTimer: undefined,
    };
    this.registry.add(connection);
    const guard = new FrameGuard(WEBSOCKET_LIMITS.frameBytes);
    req.socket.prependListener("data", (chunk: Buffer) => {
      if (connection.oversized || !guard.feed(chunk)) return;
      connection.oversized = true;
      this.end(connection, CLOSE.tooBig, "Message too big");
    });
    ws.on("message", (data: Buffer, isBinary: boolean) =>
      this.track(this.onMessage(connection, data, isBinary)),
    );
    ws.on("close", (code: number, reason: Buffer) =>
      this.track(this.onClose(connection, code, reason.toString())),
    );
    ws.on("error", () => undefined);
    const { clock } = this.backend();
    connection.durationTimer = clock.at(facts.connectedAt + WEBSOCKET_LIMITS.connectionMs, () =>
      this.end(connection, CLOSE.goingAway, "Going away"),
    );
    this.armIdle(connection);
  }

  /** One timer per connection, re-armed from the last activity when it fires early. */
  private armIdle(connection: Connection): void {
    const { clock } = this.backend();
    connection.idleTimer = clock.at(connection.lastActiveAt + WEBSOCKET_LIMITS.idleMs, () => {
      if (clock.now() - connection.lastActiveAt >= WEBSOCKET_LIMITS.idleMs)
        this.end(connection, CLOSE.goingAway, "Going away");
      else this.armIdle(connection);
    });
  }

  private async onMessage(connection: Connection, data: Buffer, isBinary: boolean): Promise<void> {
    if (connection.oversized || connection.closing) return;
    // A regional outage: the region's gateway is gone, so is the connection (no route runs).
    if (this.options.unavailable?.() === true) {
      connection.lostToOutage = true;
      this.end(connection, CLOSE.goingAway, "Going away");
      return;
    }
    const started = performance.now();
    const backend = this.backend();
    const api = backend.spec.websocket;
    if (api === undefined) return;
    const now = backend.clock.now();
    connection.lastActiveAt = now;
    const body = data.toString(isBinary ? "base64" : "utf8");
    const route = selectedRoute(api, isBinary ? undefined : body);
    if (route === undefined) {
      this.sendError(connection, "Forbidden", gatewayId());
      this.access("(no route)", 403, started);
      return;
    }
    const event = messageEvent(this.context(api.stage), connection, route.routeKey, body, isBinary, now);
    const requestId = requestIdOf(event);
    const outcome = await invokeRoute(backend, route.function, event, {
      routeKey: route.routeKey,
      requestId,
      tracer: this.options.tracer,
    });
    if (outcome.kind === "timeout") this.sendError(connection, "Endpoint request timed out", requestId);
    else if (outcome.kind === "error") this.sendError(connection, "Internal server error", requestId);
    this.access(
      route.routeKey,
      outcome.kind === "ok" ? 200 : outcome.kind === "timeout" ? 504 : 500,
      started,
    );
  }

  private async onClose(connection: Connection, code: number, reason: string): Promise<void> {
    connection.closing = true;
    connection.idleTimer?.cancel();
    connection.durationTimer?.cancel();
    this.registry.remove(connection.connectionId);
    // $disconnect is best-effort: a gateway in an outage (`sluice fail region`) runs none
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html).
    if (this.closing || connection.lostToOutage === true || this.options.unavailable?.() === true) return;
    const backend = this.backend();
    const api = backend.spec.websocket;
    const route = api === undefined ? undefined : routeOf(api, "$disconnect");
    if (api === undefined || route === undefined) return;
    const started = performance.now();
    const event = disconnectEvent(
      this.context(api.stage),
      connection,
      "$disconnect",
      { code, reason },
      backend.clock.now(),
    );
    const outcome = await invokeRoute(backend, route.function, event, {
      routeKey: "$disconnect",
      requestId: requestIdOf(event),
      tracer: this.options.tracer,
    });
    this.access("$disconnect", outcome.kind === "ok" ? 200 : 500, started);
  }

  private send(connection: Connection, data: Buffer): void {
    connection.lastActiveAt = this.backend().clock.now();
    connection.socket.send(data, { binary: !isUtf8(data) });
  }

  private sendError(connection: Connection, message: string, requestId: string): void {
    if (connection.closing) return;
    // API Gateway's own spacing, which clients sometimes match on.
    connection.socket.send(
      `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connection.connectionId)}, "requestId":${JSON.stringify(requestId)}}`,
    );
  }

  /** The gateway ends a connection: it is gone at once, and $disconnect runs when the socket closes. */
  private end(connection: Connection, code: number, reason: string): void {
    if (connection.closing) return;
    connection.closing = true;
    connection.idleTimer?.cancel();
    connection.durationTimer?.cancel();
    connection.socket.close(code, reason);
  }

  private access(request: string, status: number, started: number): void {
    this.options.onAccess?.({ api: "websocket", request, status, ms: performance.now() - started });
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined);
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  private async close(): Promise<void> {
    this.closing = true;
    for (const connection of this.registry.all()) {
      connection.idleTimer?.cancel();
      connection.durationTimer?.cancel();
      connection.socket.terminate();
    }
    await Promise.all([...this.pending]);
    // Stop accepting first, then end what `server` holds; `close` also stops its timeout checks.
    const closed = this.listener?.close();
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }
}

/** What `$connect`'s result says about the handshake: a failure refuses it with 500. */
function connectAnswer(outcome: Outcome): { status: number; headers: [string, string][] } {
  if (outcome.kind !== "ok") return { status: 500, headers: [] };
  let result: unknown;
  try {
    result = JSON.parse(outcome.payload);
  } catch {
    return { status: 500, headers: [] };
  }
  if (typeof result !== "object" || result === null) return { status: 200, headers: [] };
  const { statusCode, headers } = result as { statusCode?: unknown; headers?: unknown };
  const status = typeof statusCode === "number" ? statusCode : 200;
  const pairs: [string, string][] = [];
  if (typeof headers === "object" && headers !== null) {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === "string" || typeof value === "number") pairs.push([name, String(value)]);
    }
  }
  return { status, headers: pairs };
}

function refuse(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** The API Gateway request id an event carries in its requestContext. */
function requestIdOf(event: Record<string, unknown>): string {
  return (event.requestContext as { requestId: string }).requestId;
}

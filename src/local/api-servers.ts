/**
 * The app's API servers, one per API its definition has: the HTTP API and the WebSocket API. They
 * read the current app through `backend`, so they outlive a cloud that `dev` replaces; `sync`
 * starts or stops servers when the definition gains or loses an API.
 */

import type { ApiAccess, ApiBackend, ApiServer } from "./apigateway/index.ts";
import type { FrontDoorOptions } from "./front-door/index.ts";
import { startHttpApi } from "./http/index.ts";
import type { Tracer } from "./traces/index.ts";
import type { WebSocketApiServer } from "./websocket/index.ts";

export interface ApiServersOptions extends FrontDoorOptions {
  readonly backend: () => ApiBackend;
  /** Address both servers bind. @default "127.0.0.1" */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly httpPort?: number;
  /** @default 0 (a free port) */
  readonly websocketPort?: number;
  readonly onAccess?: (access: ApiAccess) => void;
  /** True while both APIs answer as a regional outage (ApiServerOptions.unavailable). @default never */
  readonly unavailable?: () => boolean;
  /**
   * Records both APIs' `request` hops (ApiServerOptions.tracer). The servers outlive a cloud `dev`
   * replaces: give a tracer that records into the current cloud's store.
   * @default none
   * @example tracer: { record: (hop) => current().traces.record(hop) }
   */
  readonly tracer?: Tracer;
}

export interface ApiUrls {
  /** The HTTP API's base URL, stage included. */
  readonly http?: string;
  /** Where WebSocket clients connect, `ws://…/<stage>`. */
  readonly websocket?: string;
  /** The management API (`@connections`) base URL the WebSocket events point to, over plain HTTP. */
  readonly websocketCallback?: string;
  /**
   * The same over TLS, `https://${domainName}/${stage}` as AWS's samples build it, when the app has
   * a local CA (its functions trust it; other clients pass `.sluice/tls/ca.pem`).
   */
  readonly websocketSecureCallback?: string;
}

export class ApiServers {
  private http: ApiServer | undefined;
  private websocket: WebSocketApiServer | undefined;
  private httpStage: string | undefined;
  private websocketStage: string | undefined;
  /** Ports a restarted server keeps (0 until a first start picks one). */
  private httpPort = 0;
  private websocketPort = 0;

  private constructor(private readonly options: ApiServersOptions) {}

  static async start(options: ApiServersOptions): Promise<ApiServers> {
    const servers = new ApiServers(options);
    try {
      await servers.sync();
    } catch (error) {
      // One server failed to listen (its port is taken): the other must not keep the process alive.
      await servers.close();
      throw error;
    }
    return servers;
  }

  get urls(): ApiUrls {
    return {
      ...(this.http ? { http: this.http.url } : {}),
      ...(this.websocket
        ? {
            websocket: this.websocket.url,
            websocketCallback: this.websocket.callbackUrl,
            ...(this.websocket.secureCallbackUrl === undefined
              ? {}
              : { websocketSecureCallback: this.websocket.secureCallbackUrl }),
          }
        : {}),
    };
  }

  /** Starts the servers the current app needs and stops the ones it no longer has. */
  async sync(): Promise<void> {
    const { spec } = this.options.backend();
    const common = {
      backend: this.options.backend,
      ...(this.options.host === undefined ? {} : { host: this.options.host }),
      ...(this.options.onAccess === undefined ? {} : { onAccess: this.options.onAccess }),
      ...(this.options.allowedHosts === undefined ? {} : { allowedHosts: this.options.allowedHosts }),
      ...(this.options.timeouts === undefined ? {} : { timeouts: this.options.timeouts }),
      ...(this.options.unavailable === undefined ? {} : { unavailable: this.options.unavailable }),
      ...(this.options.tracer === undefined ? {} : { tracer: this.options.tracer }),
    };
    // A changed stage changes the URL: restart on the same port.
    if (this.http && spec.http?.stage !== this.httpStage) {
      await this.http.close();
      this.http = undefined;
    }
    if (spec.http && !this.http) {
      this.http = await startHttpApi({ ...common, port: this.options.httpPort ?? this.httpPort });
      this.httpStage = spec.http.stage;
      this.httpPort = this.http.port;
    }
    if (this.websocket && spec.websocket?.stage !== this.websocketStage) {
      await this.websocket.close();
      this.websocket = undefined;
    }
    if (spec.websocket && !this.websocket) {
      // The WebSocket server (and `ws`) loads with the first WebSocket API, not with every cloud.
      const { startWebSocketApi } = await import("./websocket/index.ts");
      this.websocket = await startWebSocketApi({
        ...common,
        port: this.options.websocketPort ?? this.websocketPort,
      });
      this.websocketStage = spec.websocket.stage;
      this.websocketPort = this.websocket.port;
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.http?.close(), this.websocket?.close()]);
    this.http = undefined;
    this.websocket = undefined;
  }
}

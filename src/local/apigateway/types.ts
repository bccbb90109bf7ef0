/**
 * The HTTP and WebSocket API surfaces' one dependency on the rest of the local cloud: the current
 * app and a synchronous invoke whose routing is delivered. LocalCloud satisfies it; `dev` passes a
 * getter, because it replaces its cloud when the definition changes while the servers keep running.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { Clock } from "../clock/index.ts";
import type { FrontDoorOptions } from "../front-door/index.ts";
import type { InvokeResult } from "../lambda/index.ts";
import type { LocalCa } from "../tls/index.ts";
import type { Tracer } from "../traces/index.ts";

export interface ApiBackend {
  readonly spec: AppSpec;
  readonly clock: Clock;
  /**
   * `serialized`: the payload is JSON.stringify's output, so Lambda need not parse it again.
   * `traceHeader`: the request's trace, which the invocation continues; `source`: the route
   * (`api:GET /pages`, `websocket:$connect`) for its invoke hop (issue 20).
   */
  invoke(
    functionName: string,
    payload: string,
    options?: { serialized?: boolean; traceHeader?: string; source?: string },
  ): Promise<InvokeResult>;
  /**
   * The local CA the app's functions trust: with it, the WebSocket API also answers https on its
   * port, so `https://${domainName}/${stage}` reaches `@connections` as on AWS.
   * @default none (plain HTTP only)
   */
  readonly certificateAuthority?: LocalCa | undefined;
}

export interface ApiServerOptions extends FrontDoorOptions {
  /**
   * Records a `request` hop per request that reached a route (issue 20): source `client`, target
   * `api:<route key>` or `websocket:<route key>`, an error when the answer is a 5xx.
   * @default none (nothing recorded)
   * @example tracer: cloud.traces
   */
  readonly tracer?: Tracer;
  /** Address to bind. @default "127.0.0.1" */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number;
  /**
   * True while the API answers as a regional outage (`sluice fail region`): every request gets
   * API Gateway's own 5xx, `503 {"message":"Service Unavailable"}`, and no function runs
   * (https://repost.aws/knowledge-center/api-gateway-5xx-error). Read on every request.
   * @default never
   */
  readonly unavailable?: () => boolean;
}

/** A running API server. */
export interface ApiServer {
  /** Base URL clients call, stage included when the stage is not `$default`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** One request or message an API served, for `dev`'s output. */
export interface ApiAccess {
  readonly api: "http" | "websocket";
  /** `GET /items/1`, or `$connect`, a route key, `$disconnect`. */
  readonly request: string;
  readonly status: number;
  readonly ms: number;
}

/**
 * The app's HTTP API (API Gateway HTTP API with Lambda proxy integrations): route keys on
 * functions, the `api` section, and built-in health check routes, as written and as normalised.
 */
import type { Duration } from "./duration.ts";
import type { Route53HealthDefinition } from "./failover.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * A route key as API Gateway writes it: a method and a path, or `$default` for requests no other
 * route matches. Paths may hold `{param}` segments and end in a greedy `{proxy+}`.
 * @example "GET /items/{id}"
 */
export type HttpRouteKey = `${HttpMethod} /${string}` | "$default";

export const PAYLOAD_FORMATS = ["2.0", "1.0"] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

export interface CorsDefinition {
  /** Origins allowed to call, or `"*"`. @default ["*"] @example allowOrigins: ["https://example.com"] */
  allowOrigins?: readonly string[];
  /** @default ["*"] @example allowMethods: ["GET", "POST"] */
  allowMethods?: readonly (Exclude<HttpMethod, "ANY"> | "*")[];
  /** Request headers a browser may send. @default ["*"] */
  allowHeaders?: readonly string[];
  /** Response headers a browser may read. @default [] */
  exposeHeaders?: readonly string[];
  /** How long a browser caches a preflight answer, up to 1 day. @default no Access-Control-Max-Age */
  maxAge?: Duration;
  /** Send Access-Control-Allow-Credentials. Not with the `"*"` origin. @default false */
  allowCredentials?: boolean;
}

export interface ApiDefinition {
  /**
   * The stage. `$default` is served at the root of the URL; any other name prefixes every path
   * (`/prod/items`), and API Gateway then includes it in the event's paths.
   * @default "$default"
   * @example stage: "prod"
   */
  stage?: string;
  /**
   * The Lambda event and response format: `2.0` (HTTP APIs' own) or `1.0` (the REST-style format).
   * @default "2.0"
   */
  payloadFormat?: PayloadFormat;
  /**
   * Cross-origin resource sharing, answered by the gateway as HTTP APIs do (preflights included).
   * `true` allows every origin, method and header.
   * @default no CORS
   * @example cors: { allowOrigins: ["http://localhost:5173"], allowCredentials: true }
   */
  cors?: true | CorsDefinition;
}

/**
 * A health check route answered by the function itself, for DNS failover health checks: a
 * shallow ping answers from the function; a deep ping also runs a dependency check.
 */
export interface HealthDefinition {
  /** The path of the `GET` route. @default "/health" */
  path?: `/${string}`;
  /**
   * The export of the function's handler module that checks dependencies (reads an item, pings
   * a database). It fails the ping by throwing or returning `false`.
   * @default no deep pings
   * @example deepCheck: "checkDependencies"
   */
  deepCheck?: string;
  /** Percentage of pings, 0–100, that run the deep check. @default 10 with deepCheck, else 0 */
  deepPercent?: number;
  /**
   * The environment variable holding the health checker's shared secret; pings must send it as
   * `?healthCheckerId=`. Without it set, every ping fails.
   * @default "HEALTH_CHECKER_ID"
   */
  checkerIdVariable?: string;
  /** The environment variable that, set to `true`, makes every ping fail. @default "HEALTH_FORCE_FAIL" */
  forceFailVariable?: string;
  /**
   * A Route 53 health check per region that calls this route (with the checker id), on which the
   * domain's records fail over; needs the app's `domain` and `regions`. `true` takes every default.
   * @default no Route 53 health check
   * @example route53: { interval: "30 seconds", failureThreshold: 3, alarmEmail: "ops@example.com" }
   */
  route53?: true | Route53HealthDefinition;
}

/** The normalised HTTP API; present when any function has routes. */
export interface HttpApiSpec {
  readonly stage: string;
  readonly payloadFormat: PayloadFormat;
  readonly cors?: CorsSpec;
  readonly routes: readonly HttpRouteSpec[];
}

export interface HttpRouteSpec {
  /** As API Gateway reports it in events: `GET /items/{id}`, `ANY /{proxy+}` or `$default`. */
  readonly routeKey: string;
  readonly method: HttpMethod | "$default";
  /** The route's path, absent for `$default`. */
  readonly path?: string;
  /** Name in the definition of the function the route invokes. */
  readonly function: string;
  /** True for the built-in health check route. */
  readonly health?: boolean;
}

export interface CorsSpec {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
  readonly allowCredentials: boolean;
}

export interface HealthSpec {
  readonly path: string;
  readonly deepCheck?: string;
  readonly deepPercent: number;
  readonly checkerIdVariable: string;
  readonly forceFailVariable: string;
  /** The Route 53 health check on this route, when the definition asks for one. */
  readonly route53?: Route53HealthSpec;
}

/** A Route 53 health check, Route 53's defaults applied. */
export interface Route53HealthSpec {
  /** Route 53's RequestInterval: 10 or 30 seconds. */
  readonly intervalSeconds: 10 | 30;
  /** Route 53's FailureThreshold: 1–10 consecutive results. */
  readonly failureThreshold: number;
  /** The address an SNS email subscription notifies when the check alarms; absent when none. */
  readonly alarmEmail?: string;
}

export const DEFAULT_STAGE = "$default";
export const HEALTH_DEFAULTS = {
  path: "/health",
  deepPercent: 10,
  checkerIdVariable: "HEALTH_CHECKER_ID",
  forceFailVariable: "HEALTH_FORCE_FAIL",
} as const;

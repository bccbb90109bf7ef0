/**
 * What feeds the local Route 53: health checks and record sets, as plain data. `sluice dev` builds
 * them from the definition, `sluice cloud` from deployed AWS::Route53::HealthCheck and
 * AWS::Route53::RecordSet resources, so both drive the same engine.
 */

/** One endpoint health check (AWS::Route53::HealthCheck of type HTTP or HTTPS). */
export interface HealthCheckConfig {
  /** Locally any stable id; in `sluice cloud` the HealthCheck's id. */
  readonly id: string;
  /**
   * The full URL each ping requests: scheme, host, port, path and query. The query carries the
   * health checker's secret, so it is never logged nor reported.
   * @example "http://127.0.0.1:4011/health?healthCheckerId=…"
   */
  readonly url: string;
  /** RequestInterval: seconds between pings. */
  readonly intervalSeconds: 10 | 30;
  /** FailureThreshold: consecutive results that change the status (1–10). */
  readonly failureThreshold: number;
  /** The region whose endpoint it checks, for reports. */
  readonly region: string;
}

/** One record of the domain's record set group (failover or latency routing). */
export interface RecordConfig {
  /** The record name, lowercase, without the trailing dot. @example "api.example.com" */
  readonly name: string;
  readonly setIdentifier: string;
  readonly region: string;
  /** Failover routing: which of the pair this record is. */
  readonly failover?: "PRIMARY" | "SECONDARY";
  /** Latency routing: the AWS Region the record's resource is in. */
  readonly latencyRegion?: string;
  /** The health check whose status decides whether the record is healthy; none means always healthy. */
  readonly healthCheckId?: string;
  /**
   * `host`: the regional name DNS points the domain to (the API's regional domain name);
   * `url`: where the front door forwards requests for this region.
   */
  readonly target: { readonly host: string; readonly url: string };
}

/** One ping's outcome, as `sluice health` shows it. */
export interface PingResult {
  /** When the ping was sent, on the Sluice clock. */
  readonly atMs: number;
  /** A 2xx or 3xx status within the timeouts. */
  readonly ok: boolean;
  /** The HTTP status, when one arrived. */
  readonly statusCode?: number;
  /** Why no status arrived (connection refused, a timeout). */
  readonly error?: string;
}

/** A check as its (single, local) checker sees it now. */
export interface HealthCheckStatus {
  readonly id: string;
  readonly region: string;
  /** The URL pinged without its query string (the query holds the checker's secret). */
  readonly endpoint: string;
  readonly intervalSeconds: 10 | 30;
  readonly failureThreshold: number;
  readonly healthy: boolean;
  /** Results in a row that agree with the last one: successes when it passed, else failures. */
  readonly consecutive: number;
  /** The most recent results, oldest first. */
  readonly lastResults: readonly PingResult[];
}

/** What `dev`'s log shows; never a ping's query string. */
export type Route53Event =
  | {
      readonly type: "health-changed";
      readonly checkId: string;
      readonly region: string;
      readonly healthy: boolean;
    }
  | { readonly type: "dns-changed"; readonly name: string; readonly region: string | undefined };

/** The URL without its query and fragment: what may be shown of a ping URL. */
export function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

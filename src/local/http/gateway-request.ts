/** What the gateway knows about one HTTP request once it has read it, for either event format. */
import type { Tracer } from "../traces/index.ts";
import type { RouteMatch } from "./route-table.ts";

export interface GatewayRequest {
  readonly method: string;
  /** The path as requested, stage prefix included, still percent-encoded. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** The client's headers, less hop-by-hop ones. */
  readonly headers: [string, string][];
  readonly body: Buffer | undefined;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly protocol: string;
  /** The Host the client called, e.g. `127.0.0.1:3000`. */
  readonly domainName: string;
  readonly port: number;
  readonly timeEpoch: number;
  readonly requestId: string;
  /**
   * The X-Amzn-Trace-Id the event shows: the client's when it sent one, else the one API Gateway
   * adds (`Root=…`). https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
   */
  readonly traceId: string;
}

export interface GatewayContext {
  readonly accountId: string;
  readonly apiId: string;
  readonly stage: string;
}

export interface EventInput {
  readonly request: GatewayRequest;
  readonly context: GatewayContext;
  readonly match: RouteMatch;
  /** Records the `request` hop when the server has a tracer (issue 20). */
  readonly tracer?: Tracer | undefined;
}

/**
 * HTTP APIs pass a body on as text only for text types (`text/*`, JSON, XML, JavaScript) that are
 * not content-encoded; anything else, a missing Content-Type included, arrives base64-encoded.
 */
export function isTextBody(contentType: string | undefined, contentEncoding: string | undefined): boolean {
  if (contentEncoding !== undefined && contentEncoding.trim() !== "" && contentEncoding.trim() !== "identity")
    return false;
  if (contentType === undefined) return false;
  const media = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  return (
    media.startsWith("text/") ||
    media === "application/json" ||
    media === "application/xml" ||
    media === "application/javascript"
  );
}

// Clients call one or two host names: keep the last answer.
let lastDomainName = "";
let lastDomainPrefix = "";

export function domainPrefix(domainName: string): string {
  if (domainName === lastDomainName) return lastDomainPrefix;
  const host = domainName.startsWith("[") ? domainName : (domainName.split(":")[0] ?? domainName);
  lastDomainPrefix = host.split(".")[0] ?? host;
  lastDomainName = domainName;
  return lastDomainPrefix;
}

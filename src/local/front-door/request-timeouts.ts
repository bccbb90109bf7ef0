/**
 * How long a client may take to send a request, as AWS's front ends bound it: a connection whose
 * headers or body stop arriving is closed (408) rather than held open forever. Node measures only
 * the receipt of the request, so a long poll whose request has arrived waits as long as it must.
 */
import type { ServerOptions } from "node:http";

export interface RequestTimeouts {
  /** Time to receive the request's headers. @default 20 000 ms @example { headersMs: 5000 } */
  readonly headersMs: number;
  /** Time to receive the whole request, body included. @default 120 000 ms */
  readonly requestMs: number;
}

/** Generous for loopback (a 512 MB S3 PutObject takes seconds), short enough to shed idle sockets. */
export const REQUEST_TIMEOUTS: RequestTimeouts = { headersMs: 20_000, requestMs: 120_000 };

/** What a server Sluice starts needs at creation for these bounds (Node checks them periodically). */
export function timeoutOptions(timeouts: RequestTimeouts = REQUEST_TIMEOUTS): ServerOptions {
  const requestMs = Math.max(1, Math.floor(timeouts.requestMs));
  // Node refuses a headers bound longer than the whole-request bound.
  const headersMs = Math.max(1, Math.min(Math.floor(timeouts.headersMs), requestMs));
  return {
    headersTimeout: headersMs,
    requestTimeout: requestMs,
    // Node checks every 30 s by default; a bound is only as sharp as this interval.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersMs / 4))),
  };
}

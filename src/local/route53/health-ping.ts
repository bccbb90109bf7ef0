/**
 * One health checker request, as Route 53 sends it for an HTTP or HTTPS check
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
 * a TCP connection within four seconds, then an HTTP status of 2xx or 3xx within two seconds of
 * connecting; HTTPS certificates are not validated. Redirects are not followed (a 3xx passes).
 * These are network timeouts, so they run on real time; only the pings' schedule is on the
 * Sluice clock. A new connection per ping, as each checker's request is its own.
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { LIMITS } from "../../model/limits.ts";

export interface PingTimeouts {
  /** Real milliseconds to establish the TCP connection. */
  readonly connectMs: number;
  /** Real milliseconds from the connection to the response's status. */
  readonly responseMs: number;
}

export const PING_TIMEOUTS: PingTimeouts = {
  connectMs: LIMITS.route53.connectTimeout.default * 1000,
  responseMs: LIMITS.route53.responseTimeout.default * 1000,
};

export interface PingOutcome {
  readonly ok: boolean;
  readonly statusCode?: number;
  readonly error?: string;
}

/** A ping under way; `abort` ends it at once (the engine is closing). */
export interface Ping {
  readonly outcome: Promise<PingOutcome>;
  abort(): void;
}

export function ping(url: string, timeouts: PingTimeouts = PING_TIMEOUTS): Ping {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return settled({ ok: false, error: "the health check's URL is not a URL" });
  }
  const https = parsed.protocol === "https:";
  if (!https && parsed.protocol !== "http:") {
    return settled({ ok: false, error: `unsupported scheme ${parsed.protocol}` });
  }
  let req: ClientRequest | undefined;
  const outcome = new Promise<PingOutcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: PingOutcome): void => {
      clearTimeout(timer);
      resolve(result);
      req?.destroy();
    };
    const options = {
      method: "GET",
      agent: false as const,
      headers: { accept: "*/*" },
      // Route 53's HTTPS checks do not validate the certificate.
      ...(https ? { rejectUnauthorized: false } : {}),
    };
    const onResponse = (res: IncomingMessage): void => {
      const statusCode = res.statusCode ?? 0;
      res.resume();
      finish({ ok: statusCode >= 200 && statusCode < 400, statusCode });
    };
    req = https ? httpsRequest(parsed, options, onResponse) : httpRequest(parsed, options, onResponse);
    timer = setTimeout(
      () => finish({ ok: false, error: `no TCP connection within ${timeouts.connectMs} ms` }),
      timeouts.connectMs,
    );
    req.on("socket", (socket) => {
      socket.once("connect", () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => finish({ ok: false, error: `no HTTP status within ${timeouts.responseMs} ms of connecting` }),
          timeouts.responseMs,
        );
      });
    });
    req.on("error", (error: NodeJS.ErrnoException) => finish({ ok: false, error: describe(error) }));
    req.end();
  });
  return { outcome, abort: () => req?.destroy(new Error("the health checker stopped")) };
}

function settled(outcome: PingOutcome): Ping {
  return { outcome: Promise.resolve(outcome), abort: () => {} };
}

/** The failure reason without the URL (its query holds the checker's secret). */
function describe(error: NodeJS.ErrnoException): string {
  return error.code ?? error.message.replace(/https?:\/\/\S*/g, "<url>");
}

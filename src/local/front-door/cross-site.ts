/**
 * Browsers let any page send "simple" requests (form posts, `fetch` with `no-cors`) to any
 * origin, loopback included; the page cannot read the answer, but the request takes effect. The
 * AWS endpoint and the control API are for SDKs, the CLI and functions, never for web pages, so
 * a request a browser marks as coming from another origin is refused before anything runs.
 * (API Gateway URLs keep API Gateway's own CORS behaviour and do not use this.)
 */
import type { IncomingMessage } from "node:http";

/** Why the request came from another site's page, or undefined when it did not. */
export function crossSiteReason(req: IncomingMessage): string | undefined {
  // Sent by browsers on every request to a potentially trustworthy URL (loopback is one);
  // `same-site` too: another port on 127.0.0.1 is the same site, and just as foreign.
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") {
    return `a web page on another origin sent this request (Sec-Fetch-Site: ${site})`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${(req.headers.host ?? "").toLowerCase()}`) {
    return `a web page on another origin (${origin.slice(0, 200)}) sent this request`;
  }
  // A preflight asks leave for a cross-origin call; the answer carries no Access-Control-Allow-*.
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined) {
    return "cross-origin requests are not allowed (CORS preflight refused)";
  }
  return undefined;
}

/**
 * The console's page on `dev`'s endpoint: `GET /_sluice/console/<token>/` and its files. The
 * session's control token is in the path (the page reads it from its own URL and sends it to the
 * control API as `Authorization: Bearer`), compared in constant time; without it the answer is the
 * same 404 as for any unknown path, so a scan learns nothing of a page being there. The endpoint's
 * front door has already refused a foreign Host and a request from another site's page.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CONSOLE_FILES, type ConsoleAssets, type ConsoleFile } from "./console-assets.ts";

/** Where the console lives, followed by the token and a `/`. */
export const CONSOLE_PATH = "/_sluice/console/";

/**
 * Only this origin's own files, no inline script or style, no framing, no form posts, nothing
 * sent anywhere but back to this server (the control API).
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers on every answer of the page: its URL holds the token, so it is never cached or referred. */
const PAGE_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
} as const;

export interface ConsoleSite {
  readonly assets: ConsoleAssets;
  /** The app's drawing as SVG (`describe`'s), for the definition now running; undefined: none. */
  graph(): string | undefined;
}

/** The page's address on the endpoint at `endpointUrl` (what `dev` prints). */
export function consoleUrl(endpointUrl: string, token: string): string {
  return `${endpointUrl}${CONSOLE_PATH}${token}/`;
}

/** True when the request's path is the console's (the endpoint hands it to `serveConsole`). */
export function isConsolePath(url: string | undefined): boolean {
  return (url ?? "").startsWith(CONSOLE_PATH);
}

/** Answers one request under CONSOLE_PATH. */
export function serveConsole(
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
  site: ConsoleSite,
): void {
  const answer = consoleAnswer(req, token, site);
  res.writeHead(answer.status, answer.headers);
  res.end(req.method === "HEAD" ? undefined : answer.body);
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | number>;
  readonly body?: Buffer;
}

function consoleAnswer(req: IncomingMessage, token: string, site: ConsoleSite): Answer {
  const path = new URL(req.url ?? "/", "http://local").pathname.slice(CONSOLE_PATH.length);
  const slash = path.indexOf("/");
  const given = slash < 0 ? path : path.slice(0, slash);
  if (!sameToken(given, token)) return notFound(req);
  if (slash < 0) {
    // The page's files are relative to the folder: `/_sluice/console/<token>` is sent to it.
    return {
      status: 308,
      headers: { ...PAGE_HEADERS, location: `${CONSOLE_PATH}${token}/`, "content-length": 0 },
    };
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return { status: 405, headers: { ...PAGE_HEADERS, allow: "GET, HEAD", "content-length": 0 } };
  }
  const name = path.slice(slash + 1);
  const file = name === "" ? "console.html" : name;
  if (file === "graph.svg") {
    let svg: string | undefined;
    try {
      svg = site.graph();
    } catch {
      // Drawn inside the endpoint's request handler: a throw there would end `dev`. The page
      // says it has no graph; the drawing's error is `sluice describe`'s to report.
      return page("text/plain; charset=utf-8", Buffer.from("the app's drawing failed"), 500);
    }
    return svg === undefined ? notFound(req) : page("image/svg+xml; charset=utf-8", Buffer.from(svg));
  }
  if (!Object.hasOwn(CONSOLE_FILES, file)) return notFound(req);
  const known = file as ConsoleFile;
  return page(CONSOLE_FILES[known], site.assets[known]);
}

function page(type: string, body: Buffer, status = 200): Answer {
  return {
    status,
    headers: { ...PAGE_HEADERS, "content-type": type, "content-length": body.length },
    body,
  };
}

/** The control API's own answer to a path it does not know (control-api.ts): nothing says a page is here. */
function notFound(req: IncomingMessage): Answer {
  const key = `${req.method} ${new URL(req.url ?? "/", "http://local").pathname}`;
  const body = Buffer.from(
    JSON.stringify({ code: "NotFound", message: `no such control operation: ${key.slice(0, 200)}` }),
  );
  return {
    status: 404,
    headers: { "content-type": "application/json", "content-length": body.length },
    body,
  };
}

/** Compares digests, so neither the time taken nor a length check tells how much of a guess was right. */
function sameToken(given: string, token: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type ConsoleSite,
  type HopSource,
  isConsolePath,
  loadConsoleAssets,
  serveConsole,
} from "../console/index.ts";
import {
  CONTROL_PREFIX,
  type ControlErrorSink,
  handleControl,
  hasControlToken,
  newControlToken,
  sendError,
  sendJson,
} from "../control/index.ts";
import {
  closeServer,
  crossSiteReason,
  type FrontDoorOptions,
  HostGuard,
  listenOn,
  timeoutOptions,
  urlHostOf,
} from "../front-door/index.ts";
import type { Operations } from "../operations.ts";
import type { AwsHandler } from "./aws-endpoint.ts";
import { refuseAws } from "./aws-refusal.ts";
import type { CrossOrigin } from "./s3-cross-origin.ts";

export interface EndpointServer {
  readonly url: string;
  /** The control API's token for this session: write it where only the user can read it. */
  readonly controlToken: string;
  close(): Promise<void>;
}

export interface EndpointOptions extends FrontDoorOptions {
  /** The control API under /_sluice, for the CLI. */
  readonly ops: Operations;
  /** AWS's wire protocols on every other path. @default none: only the control API */
  readonly aws?: AwsHandler;
  /**
   * Cross-site browser requests the AWS side takes after all (S3's CORS preflights and presigned
   * URLs, `s3-cross-origin.ts`); every other one is refused. @default none: all are refused
   */
  readonly crossOrigin?: CrossOrigin;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** @default a free port */
  readonly port?: number;
  /** The token control calls must carry. @default 32 new random bytes */
  readonly controlToken?: string;
  /** Where an unexpected error's detail goes; the caller gets only `InternalError`. */
  readonly onError?: ControlErrorSink;
  /**
   * `dev`'s console: the page under `/_sluice/console/<controlToken>/` (local/console). Its files
   * are read when the server starts (SLUICE_CONSOLE_ASSETS_MISSING without them).
   * @default no console: those paths answer as unknown control paths
   */
  readonly console?: ConsoleOptions;
  /** The trace store `GET /_sluice/changes` waits on (the console's live updates). @default none */
  readonly changes?: () => HopSource | undefined;
}

export interface ConsoleOptions {
  /** The app's drawing (SVG) served as `graph.svg`, for the definition now running. @default none */
  readonly graph?: () => string | undefined;
  /** Where the page's files are. @default local/console/assets beside the module */
  readonly assetsDir?: string;
}

/**
 * The local endpoint: one HTTP server on loopback serving Sluice's control API under /_sluice
 * and AWS's wire protocols everywhere else, so `AWS_ENDPOINT_URL` and the CLI use one URL.
 * Before either sees a request, the front door refuses a foreign Host (DNS rebinding) and a
 * request a browser sent from another origin; control calls also need the session's token.
 */
export async function startEndpoint(options: EndpointOptions): Promise<EndpointServer> {
  const token = options.controlToken ?? newControlToken();
  const host = options.host ?? "127.0.0.1";
  const site = consoleSite(options.console);
  let guard: HostGuard | undefined;
  const server: Server = createServer(timeoutOptions(options.timeouts), (req, res) => {
    const control = (req.url ?? "/").startsWith(CONTROL_PREFIX) || !options.aws;
    const refused = refusal(req, guard);
    if (refused !== undefined) {
      // A foreign Host is never let through; a cross-site request only where S3 allows it.
      const verdict =
        control || !guard?.allows(req.headers.host) ? undefined : options.crossOrigin?.(req, res);
      if (verdict === "answered") return;
      if (verdict !== "allowed") return refuse(req, res, control, refused);
    }
    if (control) {
      // The page carries the token in its path, as a browser's navigation can (console-routes.ts).
      if (site && isConsolePath(req.url)) return serveConsole(req, res, token, site);
      if (!hasControlToken(req, token)) {
        return sendJson(res, 401, {
          code: "MissingControlToken",
          message:
            "control calls need this session's token (Authorization: Bearer <token>); the sluice CLI reads it from the state folder (.sluice/dev.json, .sluice-cloud/control.json)",
        });
      }
      return void handleControl(options.ops, req, res, options.onError, options.changes);
    }
    options.aws?.(req, res).catch((error: unknown) => sendError(res, error, req, options.onError));
  });
  // Long polls hold a request for up to 20 s; SDK clients keep connections alive between calls.
  server.keepAliveTimeout = 65_000;
  const port = await listenOn(server, host, options.port);
  guard = new HostGuard(port, host, options.allowedHosts);
  return {
    url: `http://${urlHostOf(host)}:${port}`,
    controlToken: token,
    close: () => closeServer(server),
  };
}

function consoleSite(options: ConsoleOptions | undefined): ConsoleSite | undefined {
  if (options === undefined) return undefined;
  const assets = loadConsoleAssets(options.assetsDir);
  return { assets, graph: () => options.graph?.() };
}

/** Why the front door turns the request away, or undefined. */
function refusal(req: IncomingMessage, guard: HostGuard | undefined): string | undefined {
  if (!guard?.allows(req.headers.host)) {
    return `Host "${String(req.headers.host ?? "").slice(0, 200)}" is not a name this server answers (loopback names, or those given with --allow-host)`;
  }
  return crossSiteReason(req);
}

function refuse(req: IncomingMessage, res: ServerResponse, control: boolean, message: string): void {
  if (control) {
    res.setHeader("connection", "close");
    sendJson(res, 403, { code: "Forbidden", message });
  } else
    refuseAws(req, res, { status: 403, code: "AccessDenied", jsonCode: "AccessDeniedException", message });
}

import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Operations } from "../operations.ts";
import type { AwsHandler } from "./aws-endpoint.ts";
import { CONTROL_PREFIX, handleControl, sendError } from "./control-api.ts";

export interface EndpointServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface EndpointOptions {
  /** The control API under /_sluice, for the CLI. */
  readonly ops: Operations;
  /** AWS's wire protocols on every other path. @default none: only the control API */
  readonly aws?: AwsHandler;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** @default a free port */
  readonly port?: number;
}

/**
 * The local endpoint: one HTTP server on loopback serving Sluice's control API under /_sluice
 * and AWS's wire protocols everywhere else, so `AWS_ENDPOINT_URL` and the CLI use one URL.
 */
export async function startEndpoint(options: EndpointOptions): Promise<EndpointServer> {
  const server: Server = createServer((req, res) => {
    const control = (req.url ?? "/").startsWith(CONTROL_PREFIX);
    const handled = control || !options.aws ? handleControl(options.ops, req, res) : options.aws(req, res);
    handled.catch((error: unknown) => sendError(res, error));
  });
  // Long polls hold a request for up to 20 s; SDK clients keep connections alive between calls.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

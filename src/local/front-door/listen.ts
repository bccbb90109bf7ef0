/**
 * How every local server starts listening and says where it is: the same three steps for the
 * endpoint, the API servers, website buckets and Route 53's front door, written once.
 */
import type { Server } from "node:http";
import type { AddressInfo, Server as NetServer } from "node:net";
import { isWildcardBind } from "./host-guard.ts";

/**
 * Listens on `host` and `port` (0: a free one); resolves with the port it got. Any net server: an
 * HTTP server, or the plain TCP listener that shares a port between http and https (local/tls).
 */
export async function listenOn(server: NetServer, host: string, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * The host a URL names for a server bound to `host`: a wildcard address (0.0.0.0, ::) is reached
 * on 127.0.0.1, an IPv6 address goes in brackets.
 */
export function urlHostOf(host: string): string {
  if (isWildcardBind(host)) return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** Stops accepting, ends every open connection (keep-alive ones too), resolves once closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

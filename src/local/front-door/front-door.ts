/**
 * What every server Sluice starts (the AWS endpoint and control API, HTTP and WebSocket APIs, in
 * `dev` and `sluice cloud`) is told about who may reach it: the Host names it answers besides
 * loopback, and how long a client may take to send a request.
 */
import type { RequestTimeouts } from "./request-timeouts.ts";

export interface FrontDoorOptions {
  /**
   * Host names the server answers besides loopback ones (`localhost`, `*.localhost`, 127.x,
   * `[::1]`) and the address it binds; a leading `*.` allows subdomains. Needed when clients
   * reach it by a name, e.g. after `--host 0.0.0.0`.
   * @default none
   * @example ["devbox.lan", "*.devbox.lan"]
   */
  readonly allowedHosts?: readonly string[];
  /** @default REQUEST_TIMEOUTS */
  readonly timeouts?: RequestTimeouts;
}

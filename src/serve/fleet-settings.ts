/**
 * What a server serves and how, from its options and the fleet it runs for: the functions (the
 * fleet's, else every function), the port, whether schedules run, and the shutdown deadline.
 * Pure, so the defaults are read in one place.
 */

import { isWildcardBind } from "../local/front-door/index.ts";
import type { AppSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { serverKeepAliveMs } from "../model/fleet-load-balancer.ts";
import type { ServerSpec } from "../model/servers.ts";
import { SERVER_DEFAULTS } from "../model/validate/servers.ts";
import type { ServeOptions } from "./serve-contract.ts";

/** SIGTERM's wait for in-flight work without a fleet: a fleet's own default. */
export const DEFAULT_SHUTDOWN_MS = SERVER_DEFAULTS.shutdownSeconds * 1000;

export interface FleetSettings {
  /** Definition names of the functions served, in the definition's order. */
  readonly functions: readonly string[];
  readonly port: number;
  readonly schedules: boolean;
  readonly shutdownMs: number;
}

export function fleetSettings(spec: AppSpec, options: Omit<ServeOptions, "app">): FleetSettings {
  const fleet = ownFleet(spec, options.fleet);
  if (options.fleet !== undefined && fleet === undefined) {
    const known = Object.keys(spec.servers ?? {});
    throw new SluiceError(
      "SLUICE_SERVE_UNKNOWN_FLEET",
      `the app ${spec.name} has no server fleet "${options.fleet}" (it has: ${known.map((n) => `"${n}"`).join(", ") || "none"}); ` +
        "name one of its `servers`, or leave --fleet out to serve every function",
      { context: { fleet: options.fleet } },
    );
  }
  const functions = fleet
    ? Object.keys(spec.functions).filter((name) => fleet.functions.includes(name))
    : Object.keys(spec.functions);
  return {
    functions,
    port: options.port ?? fleet?.port ?? 0,
    schedules: options.schedules ?? fleet?.schedules ?? false,
    shutdownMs: options.shutdownMs ?? (fleet ? fleet.shutdownSeconds * 1000 : DEFAULT_SHUTDOWN_MS),
  };
}

/** How the HTTP server meets its clients: loopback, or a load balancer in front of it. */
export interface FrontDoorSettings {
  readonly host: string;
  /** Every Host header passes (a load balancer is the front door), else only HostGuard's. */
  readonly anyHost: boolean;
  /** Idle keep-alive behind a load balancer, past its idle timeout; absent: local/http's own. */
  readonly keepAliveMs?: number;
}

/**
 * A wildcard address means a load balancer in front (an instance or task binds 0.0.0.0 behind
 * it), as does a fleet with one (`sluice cloud` and dev run it on loopback with the same
 * settings): then the keep-alive outlasts the balancer's idle timeout that synth sets.
 */
export function frontDoorSettings(
  spec: AppSpec,
  settings: FleetSettings,
  options: Pick<ServeOptions, "host" | "allowAnyHost" | "fleet">,
): FrontDoorSettings {
  const host = options.host ?? "127.0.0.1";
  const wildcard = isWildcardBind(host);
  const balanced = wildcard || ownFleet(spec, options.fleet)?.loadBalancer === true;
  return {
    host,
    anyHost: options.allowAnyHost ?? wildcard,
    ...(balanced ? { keepAliveMs: serverKeepAliveMs(spec, settings.functions) } : {}),
  };
}

/** The fleet of that name: own keys only, as the spec may be parsed JSON (app.json). */
function ownFleet(spec: AppSpec, name: string | undefined): ServerSpec | undefined {
  const servers = spec.servers ?? {};
  return name !== undefined && Object.hasOwn(servers, name) ? servers[name] : undefined;
}

/**
 * What every local server checks before it reads a request: Host, cross-site origin, timeouts.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { crossSiteReason } from "./cross-site.ts";
export type { FrontDoorOptions } from "./front-door.ts";
export { HostGuard, isWildcardBind } from "./host-guard.ts";
export { closeServer, listenOn, urlHostOf } from "./listen.ts";
export type { RequestTimeouts } from "./request-timeouts.ts";
export { timeoutOptions } from "./request-timeouts.ts";

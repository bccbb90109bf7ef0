/**
 * `sluice serve` (issue 19): the app's functions served by one long-running process.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export { callerAccount } from "./caller-account.ts";
export { DEFAULT_SHUTDOWN_MS } from "./fleet-settings.ts";
export type {
  RunningServer,
  ServeContext,
  ServedApp,
  ServeInvokeResult,
  ServeLogEntry,
  ServeOptions,
  ServeWork,
  ShutdownReport,
} from "./serve-contract.ts";
export { readServedApp, unzipServerArtifact } from "./served-app.ts";
export { startServer } from "./server.ts";

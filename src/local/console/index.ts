/**
 * The console (issue 20): the page `dev` serves on its endpoint behind the session's token, and
 * the long poll of the trace store that keeps it live (`GET /_sluice/changes`).
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { ChangesAnswer, ChangesWaitOptions, HopSource } from "./changes.ts";
export {
  CHANGES_MAX_HOPS,
  CHANGES_WAIT_MS,
  changesAfter,
  changesRequest,
  changesSince,
  waitForChanges,
} from "./changes.ts";
export type { ConsoleAssets, ConsoleFile } from "./console-assets.ts";
export { CONSOLE_FILES, consoleAssetsDir, loadConsoleAssets } from "./console-assets.ts";
export type { ConsoleSite } from "./console-routes.ts";
export { CONSOLE_CSP, CONSOLE_PATH, consoleUrl, isConsolePath, serveConsole } from "./console-routes.ts";

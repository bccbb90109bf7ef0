/**
 * `sluice/testing`: start an app's local cloud in a test, on a manual clock (issue 20).
 * docs/testing.md shows it in node:test, Vitest and Jest.
 */

export type { HopKind, HopOutcome, TraceHop, TraceSummary, TraceTimeline } from "../local/traces/index.ts";
export { startApp } from "./start-app.ts";
export type {
  DurationInput,
  HopMatch,
  QueueView,
  SendOptions,
  StartAppOptions,
  TestApp,
  TestClock,
  TestInvokeResult,
  WaitOptions,
} from "./types.ts";

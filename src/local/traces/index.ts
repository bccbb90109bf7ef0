/**
 * Traces across hops (issue 20): the trace store on the app's SQLite file, the tracer every
 * surface records its hops with, and the queries the CLI, the console and the test kit make.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export type {
  HopInput,
  HopKind,
  HopOutcome,
  ResourceCounters,
  TraceHop,
  TraceLogLine,
  TraceQuery,
  TraceRef,
  TraceSummary,
  TraceTimeline,
  Tracer,
} from "./types.ts";
export { NO_TRACER } from "./types.ts";

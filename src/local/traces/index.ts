/**
 * Traces across hops (issue 20): the trace store (its own SQLite file, written by a worker
 * thread), the tracer every surface records its hops with, and the queries the CLI, the console
 * and the test kit make.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { Trace } from "./trace-header.ts";
export {
  childHeader,
  continueTrace,
  newTraceHeader,
  newTraceRoot,
  parentOf,
  traceRootOf,
  withoutLineage,
} from "./trace-header.ts";
export {
  TRACE_DETAIL_MAX_BYTES,
  TRACE_LIST_DEFAULT_LIMIT,
  TRACE_LIST_MAX_LIMIT,
  TRACE_LOG_BYTES_PER_REQUEST,
  TRACE_LOG_LINES_PER_REQUEST,
  TRACE_MAX_HOPS,
  TRACE_PAYLOAD_MAX_BYTES,
} from "./trace-limits.ts";
export { dropStateTraces } from "./trace-schema.ts";
export type { InvocationCount, TraceLogInput, TraceStoreOptions } from "./trace-store.ts";
export { TRACES_FILE, TraceStore } from "./trace-store.ts";
export type {
  HopInput,
  HopKind,
  HopOutcome,
  ResourceCounters,
  TraceHop,
  TraceLogLine,
  TraceQuery,
  TraceRef,
  Tracer,
  TraceSummary,
  TraceTimeline,
} from "./types.ts";
export { NO_TRACER } from "./types.ts";

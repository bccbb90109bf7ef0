import { childHeader, type HopInput } from "../traces/index.ts";

/** An asynchronous event Lambda discarded with nowhere to go (no destination took it). */
export interface DroppedEvent {
  readonly functionName: string;
  readonly requestId: string;
  readonly payload: string;
  /** The header of its last invocation (else the event's own): the drop is that hop's child. */
  readonly parentHeader: string;
  /** Why: retries exhausted, or older than its maximum age. */
  readonly why: string;
  readonly invokeCount: number;
  readonly nowMs: number;
}

/** The `drop` hop of a discarded event, in its trace (issue 20). */
export function dropHop(event: DroppedEvent): HopInput {
  const ref = `function:${event.functionName}`;
  return {
    header: childHeader(event.parentHeader, event.nowMs),
    parentHeader: event.parentHeader,
    kind: "drop",
    source: ref,
    target: ref,
    startMs: event.nowMs,
    durationMs: 0,
    outcome: "dropped",
    attempt: Math.max(event.invokeCount, 1),
    payload: event.payload,
    detail: event.why,
    requestId: event.requestId,
  };
}

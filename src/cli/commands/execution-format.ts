/**
 * How `sluice executions` and `sluice execution` show an execution: its status in colour (each
 * status gets one, so a table's padding stays even), durations, and one history event as a
 * timeline line: time offset, state, event, short details, errors highlighted.
 */
import type { ExecutionStatus, HistoryEvent } from "../../local/stepfunctions/index.ts";
import type { Output } from "../output.ts";

const COLOURS: Record<ExecutionStatus, number> = {
  RUNNING: 36,
  SUCCEEDED: 32,
  FAILED: 31,
  TIMED_OUT: 31,
  ABORTED: 33,
  PENDING_REDRIVE: 33,
};

export function statusText(output: Output, status: ExecutionStatus): string {
  const colour = Object.hasOwn(COLOURS, status) ? COLOURS[status] : undefined;
  return output.color && colour !== undefined ? `\x1b[${colour}m${status}\x1b[0m` : status;
}

export function red(output: Output, text: string): string {
  return output.color ? `\x1b[31m${text}\x1b[0m` : text;
}

/** 850 ms, 12.3 s, 4 min 5 s, 2 h 3 min, 3 d 4 h. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const total = Math.floor(s);
  const [d, h, m, sec] = [
    Math.floor(total / 86400),
    Math.floor((total % 86400) / 3600),
    Math.floor((total % 3600) / 60),
    total % 60,
  ];
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${sec} s`;
}

/** `+1.234s`, or `+2h03m04.5s` for a long run: the offset of an event from the execution's start. */
export function offset(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `+${s.toFixed(3)}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(1).padStart(4, "0");
  return h > 0 ? `+${h}h${String(m).padStart(2, "0")}m${rest}s` : `+${m}m${rest}s`;
}

/** The event's details object (`<type>EventDetails`), whatever its key. */
export function detailsOf(event: HistoryEvent): Record<string, unknown> | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith("EventDetails") && typeof value === "object" && value !== null)
      return value as Record<string, unknown>;
  }
  return undefined;
}

/**
 * The state each event belongs to: a state's Entered and Exited events name it, and every other
 * event belongs to the state of the event it follows (previousEventId), as AWS's console groups
 * them. Execution-level events belong to none.
 */
export function statesOf(events: readonly HistoryEvent[]): Map<number, string> {
  const states = new Map<number, string>();
  for (const event of events) {
    const named = detailsOf(event)?.name;
    if (
      (event.type.endsWith("StateEntered") || event.type.endsWith("StateExited")) &&
      typeof named === "string"
    ) {
      states.set(event.id, named);
      continue;
    }
    if (event.type.startsWith("Execution")) continue;
    const previous = states.get(event.previousEventId);
    if (previous !== undefined) states.set(event.id, previous);
  }
  return states;
}

/** A failure's event: its type says so (TaskFailed, ExecutionTimedOut, MapRunFailed, ...). */
export function isFailure(event: HistoryEvent): boolean {
  return /(Failed|TimedOut|Aborted)$/.test(event.type);
}

/** A few words of what the event carries: the error and cause of a failure, else its resource, output or input. */
export function shortDetails(event: HistoryEvent, width = 80): string {
  const details = detailsOf(event);
  if (!details) return "";
  const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  if (details.error !== undefined || details.cause !== undefined) {
    const parts = [details.error, details.cause].filter((p) => p !== undefined && p !== "").map(text);
    return clip(parts.join(": "), width);
  }
  if (typeof details.resource === "string") {
    const kind = typeof details.resourceType === "string" ? `${details.resourceType}:` : "";
    return clip(`${kind}${details.resource}`, width);
  }
  for (const key of ["output", "input"]) {
    if (details[key] !== undefined) return clip(`${key} ${text(details[key])}`, width);
  }
  return "";
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

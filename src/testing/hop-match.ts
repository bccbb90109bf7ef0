/** Which recorded hops a `HopMatch` names, and a hop in one line for error messages. */
import type { TraceHop } from "../local/traces/index.ts";
import type { HopMatch } from "./types.ts";

/** True when every field given in `match` matches the hop. */
export function hopMatches(hop: TraceHop, match: HopMatch): boolean {
  if (match.kind !== undefined && hop.kind !== match.kind) return false;
  if (match.outcome !== undefined && hop.outcome !== match.outcome) return false;
  if (match.traceId !== undefined && hop.traceId !== match.traceId) return false;
  if (match.function !== undefined && !(hop.kind === "invoke" && hop.target === `function:${match.function}`))
    return false;
  if (match.queue !== undefined) {
    const queue = `queue:${match.queue}`;
    // A message sent to it (or moved there as a DLQ), or an invocation its mapping made.
    if (hop.target !== queue && !(hop.kind === "invoke" && hop.source === queue)) return false;
  }
  if (match.resource !== undefined && !touches(hop, match.resource)) return false;
  return true;
}

/** `queue:pages` matches that ref exactly; a bare `pages` matches a resource of any kind so named. */
function touches(hop: TraceHop, resource: string): boolean {
  return [hop.source, hop.target].some(
    (ref) => ref === resource || (!resource.includes(":") && ref.slice(ref.indexOf(":") + 1) === resource),
  );
}

/** `#3 invoke queue:pages → function:publish error (attempt 2) trace 1-…`. */
export function describeHop(hop: TraceHop): string {
  const attempt = hop.attempt > 1 ? ` (attempt ${hop.attempt})` : "";
  const detail = hop.detail ? `: ${hop.detail.slice(0, 120)}` : "";
  return `#${hop.seq} ${hop.kind} ${hop.source} → ${hop.target} ${hop.outcome}${attempt}${detail} [trace ${hop.traceId}]`;
}

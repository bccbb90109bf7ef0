/**
 * The trace operations of a multi-region `dev` (issue 20): each region's cloud keeps its own trace
 * store, so listings, timelines and counters are merged over the regions' clouds, each entry tagged
 * with its region when there is more than one; actions go to the primary unless they name a region
 * (a replay, to the region that recorded the hop). The console's live cursor (`/changes`, a hop seq)
 * is the primary's: see docs/console.md.
 */

import type { LocalCloud } from "../local/local-cloud.ts";
import type { Operations } from "../local/operations.ts";
import {
  TRACE_LIST_DEFAULT_LIMIT,
  type TraceHop,
  type TraceLogLine,
  type TraceSummary,
  type TraceTimeline,
} from "../local/traces/index.ts";
import { SluiceError } from "../model/errors.ts";

type TraceOperations = Pick<
  Operations,
  "traces" | "trace" | "counters" | "purge" | "putEvent" | "replay" | "triggerSchedule"
>;

export function regionTraceOperations(
  /** Every region's cloud, the primary's first. */
  clouds: () => readonly LocalCloud[],
  /** One region's operations (the primary's without a region). */
  regionOps: (region: string | undefined) => Operations,
): TraceOperations {
  const regions = () => clouds().map((cloud) => cloud.spec.region);
  const tagged = <T>(region: string, items: readonly T[]): T[] =>
    regions().length > 1 ? items.map((item) => ({ ...item, region })) : [...items];
  return {
    async traces(query) {
      // `afterSeq` is the console's /changes cursor, which counts the primary's hops only (each
      // region numbers its own): the other regions answer their newest traces whatever it is.
      const { afterSeq: _primaryOnly, ...anySeq } = query;
      const lists = await Promise.all(
        regions().map(async (region, i) =>
          tagged(region, await regionOps(region).traces(i === 0 ? query : anySeq)),
        ),
      );
      const merged: TraceSummary[] = lists.flat().sort((a, b) => b.startMs - a.startMs);
      return merged.slice(0, query.limit ?? TRACE_LIST_DEFAULT_LIMIT);
    },
    async trace(traceId) {
      const found: TraceTimeline[] = [];
      let missing: unknown;
      for (const region of regions()) {
        try {
          const timeline = await regionOps(region).trace(traceId);
          found.push({ ...timeline, hops: tagged(region, timeline.hops) });
        } catch (error) {
          if (!(error instanceof SluiceError && error.code === "SLUICE_TRACE_NOT_FOUND")) throw error;
          missing = error;
        }
      }
      if (found.length === 0) throw missing;
      return mergeTimelines(traceId, found);
    },
    async counters() {
      const lists = await Promise.all(
        regions().map(async (region) => tagged(region, await regionOps(region).counters())),
      );
      return lists.flat();
    },
    purge: (queue) => regionOps(undefined).purge(queue),
    putEvent: (request) => regionOps(request.region).putEvent(request),
    async replay(request) {
      if (request.region !== undefined) return regionOps(request.region).replay(request);
      // The region whose store has the hop replays it; the primary's answer when none has it.
      let missing: unknown;
      for (const region of regions()) {
        try {
          return await regionOps(region).replay(request);
        } catch (error) {
          if (!(error instanceof SluiceError && error.code === "SLUICE_TRACE_NOT_FOUND")) throw error;
          missing ??= error;
        }
      }
      throw missing;
    },
    triggerSchedule: (schedule) => regionOps(undefined).triggerSchedule(schedule),
  };
}

/** One trace's hops from every region that recorded some, in time order, with all their logs. */
function mergeTimelines(traceId: string, timelines: readonly TraceTimeline[]): TraceTimeline {
  if (timelines.length === 1 && timelines[0]) return timelines[0];
  const hops: TraceHop[] = timelines.flatMap((t) => t.hops).sort((a, b) => a.startMs - b.startMs);
  const logs: Record<string, TraceLogLine[]> = Object.create(null) as Record<string, TraceLogLine[]>;
  for (const timeline of timelines) {
    for (const [requestId, lines] of Object.entries(timeline.logs)) {
      logs[requestId] = [...(logs[requestId] ?? []), ...lines];
    }
  }
  return { traceId, hops, logs };
}

/**
 * `waitFor`: the first recorded hop matching, from the trace store: one already recorded, else the
 * next one the store reports (`onHop`). It waits in real time for work already running and never
 * moves the clock, so a hop only a timer would cause times out with what was recorded instead.
 */
import type { LocalCloud } from "../local/local-cloud.ts";
import type { TraceHop, TraceTimeline } from "../local/traces/index.ts";
import { appClosed, hopNotRecorded } from "./errors.ts";
import { describeHop, hopMatches } from "./hop-match.ts";
import type { HopMatch } from "./types.ts";

/** Hops `waitFor` looks back over, and lists in its timeout message (newest kept). */
const RECORDED_SCAN_TRACES = 1000;
const RECORDED_SHOWN = 30;

type TraceStore = LocalCloud["traces"];

export function waitForHop(store: TraceStore, match: HopMatch, timeoutMs: number): Promise<TraceHop> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stopHops = store.onHop((hop: TraceHop) => {
      if (hopMatches(hop, match)) finish(hop);
    });
    // The app closed (or its cloud stopped): no hop can come any more.
    const stopClose = store.onClose(() => {
      stop();
      reject(appClosed("waitFor"));
    });
    function stop(): void {
      stopHops();
      stopClose();
      clearTimeout(timer);
    }
    function finish(hop: TraceHop): void {
      stop();
      resolve(hop);
    }
    const already = recordedHops(store).find((hop) => hopMatches(hop, match));
    if (already) return finish(already);
    timer = setTimeout(() => {
      stop();
      const shown = recordedHops(store).slice(-RECORDED_SHOWN).map(describeHop);
      reject(hopNotRecorded(match, timeoutMs, shown));
    }, timeoutMs);
  });
}

/** Every recorded hop of the recent traces, oldest first. */
function recordedHops(store: TraceStore): TraceHop[] {
  const hops = store
    .list({ limit: RECORDED_SCAN_TRACES })
    .flatMap((summary) => store.timeline(summary.traceId)?.hops ?? []);
  return hops.sort((a, b) => a.seq - b.seq);
}

/** The trace a hop belongs to, as recorded now. */
export function timelineOf(store: TraceStore, hop: TraceHop): TraceTimeline {
  return store.timeline(hop.traceId) ?? { traceId: hop.traceId, hops: [hop], logs: {} };
}

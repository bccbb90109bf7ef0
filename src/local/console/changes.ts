/**
 * `GET /_sluice/changes?after=<seq>`: the console's live updates, a long poll on the trace store.
 * The answer comes at once when hops newer than `after` exist; otherwise the request waits for
 * the store's next hop (its in-process `onHop`), at most CHANGES_WAIT_MS of real time, and then
 * answers with none. The client asks again from the `seq` it got, so nothing is missed between
 * two polls: hops are numbered by the store in the order they were recorded.
 *
 * A multi-region `dev` serves the primary region's hops only: each region's cloud numbers its own
 * hops in its own file, and one cursor cannot stand for several sequences.
 */
import type { ServerResponse } from "node:http";
import { AwsError, SluiceError } from "../../model/errors.ts";
import type { TraceHop, TraceQuery, TraceSummary, TraceTimeline } from "../traces/index.ts";

/** The most hops one answer carries (Sluice's own number); the client asks again for the rest. */
export const CHANGES_MAX_HOPS = 500;
/**
 * How long one answer waits for a hop, in real time (Sluice's own number): under the endpoint's
 * keep-alive (65 s) and the idle timeouts of proxies, and long enough that an idle page costs
 * next to nothing.
 */
export const CHANGES_WAIT_MS = 20_000;
/** How many changed traces the fallback read looks at (TraceQuery's own maximum). */
const TRACES_PER_READ = 1000;

export interface ChangesAnswer {
  /** The cursor for the next call: the newest hop's seq the answer accounts for. */
  readonly seq: number;
  /** Hops newer than `after`, oldest first, at most CHANGES_MAX_HOPS. */
  readonly hops: readonly TraceHop[];
}

/** What the long poll reads of the trace store (local/traces' TraceStore has all of it). */
export interface HopSource {
  latestSeq(): number;
  /** Calls `listener` after each recorded hop; the function returned removes it. */
  onHop(listener: (hop: TraceHop) => void): () => void;
  list(query: TraceQuery): readonly TraceSummary[];
  timeline(traceId: string): TraceTimeline | undefined;
  /** Calls `listener` when the store closes (a reload): a waiting request answers then. */
  onClose?(listener: () => void): () => void;
  /** Hops with seq > `after`, oldest first, at most `limit`: one query, when the store has it. */
  hopsAfter?(after: number, limit: number): readonly TraceHop[];
}

export interface ChangesWaitOptions {
  /** Aborted when the client goes away: the wait ends and its listener goes. */
  readonly signal: AbortSignal;
  /** @default CHANGES_WAIT_MS */
  readonly waitMs?: number;
}

/**
 * The control API's `GET /_sluice/changes`: the wait ends early when the client goes away (the
 * response closes before it was sent), leaving no listener on the store.
 */
export async function changesRequest(
  current: (() => HopSource | undefined) | undefined,
  params: URLSearchParams,
  res: ServerResponse,
): Promise<ChangesAnswer> {
  const source = current?.();
  if (source === undefined) {
    throw new SluiceError("SLUICE_NO_CHANGES", "live changes are served only by a running `sluice dev`");
  }
  const after = changesAfter(params);
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once("close", onClose);
  try {
    return await waitForChanges(source, after, { signal: gone.signal });
  } catch (error) {
    // A reload reopened the cloud while the request waited (the old store's file is closed):
    // the answer comes from the store that serves now.
    const now = current?.();
    if (now === undefined || now === source) throw error;
    return changesSince(now, after);
  } finally {
    res.off("close", onClose);
  }
}

/** The `after` query parameter: a non-negative integer; absent means from the start. */
export function changesAfter(params: URLSearchParams): number {
  const raw = params.get("after");
  if (raw === null || raw === "") return 0;
  const after = Number(raw);
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(after)) {
    throw new AwsError(
      "InvalidParameterValue",
      `after must be a hop's seq (a non-negative integer), got ${JSON.stringify(raw.slice(0, 40))}`,
      400,
    );
  }
  return after;
}

/** Hops newer than `after` now, or the wait for the next one (see the file's comment). */
export function waitForChanges(
  source: HopSource,
  after: number,
  options: ChangesWaitOptions,
): Promise<ChangesAnswer> {
  const now = changesSince(source, after);
  if (now.hops.length > 0 || now.seq < after || options.signal.aborted) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      unsubscribeClose();
      options.signal.removeEventListener("abort", finish);
      try {
        resolve(changesSince(source, after));
      } catch (error) {
        reject(error);
      }
    };
    // Answered after the store's notification returns: the read flushes the store again.
    const unsubscribe = source.onHop(() => queueMicrotask(finish));
    // A reload closes the store: answer then (from the store serving now, see changesRequest).
    const unsubscribeClose = source.onClose?.(() => queueMicrotask(finish)) ?? (() => {});
    // Real time: the console's wait is the page's, not the app's clock (which a test may hold still).
    const timer = setTimeout(finish, options.waitMs ?? CHANGES_WAIT_MS);
    timer.unref();
    options.signal.addEventListener("abort", finish, { once: true });
  });
}

/**
 * What is newer than `after` now. A cursor beyond the store's newest hop (the state folder was
 * reset) gets the store's seq back at once, so the page starts over from it.
 */
export function changesSince(source: HopSource, after: number): ChangesAnswer {
  const latest = source.latestSeq();
  if (latest <= after) return { seq: latest, hops: [] };
  const hops = readHopsAfter(source, after, CHANGES_MAX_HOPS);
  const last = hops.at(-1);
  // A full answer stops at its last hop; the next call picks up from there.
  return { seq: hops.length === CHANGES_MAX_HOPS && last ? last.seq : latest, hops };
}

function readHopsAfter(source: HopSource, after: number, limit: number): readonly TraceHop[] {
  if (source.hopsAfter) return source.hopsAfter(after, limit);
  // Through the listing: the traces with a newer hop, then their newer hops in seq order. With
  // more than TRACES_PER_READ traces changed at once, the oldest of them are left out.
  const hops: TraceHop[] = [];
  for (const trace of source.list({ afterSeq: after, limit: TRACES_PER_READ })) {
    for (const hop of source.timeline(trace.traceId)?.hops ?? []) if (hop.seq > after) hops.push(hop);
  }
  return hops.sort((a, b) => a.seq - b.seq).slice(0, limit);
}

import { type Clock, Deadlines } from "../clock/index.ts";

export const TIMED_OUT: unique symbol = Symbol("timed out");

// Every request has an integration timeout and almost none fires: one clock timer per clock, left
// armed between requests (keepTimer) rather than armed and cancelled for each one. Only the clock
// used last keeps its timer: a backend that brings a new clock gives the previous one's back.
const deadlinesByClock = new WeakMap<Clock, Deadlines>();
let lastClock: Clock | undefined;
let lastDeadlines: Deadlines | undefined;

function deadlinesOf(clock: Clock): Deadlines {
  if (clock === lastClock && lastDeadlines !== undefined) return lastDeadlines;
  lastDeadlines?.setKeepTimer(false);
  let deadlines = deadlinesByClock.get(clock);
  if (deadlines === undefined) {
    deadlines = new Deadlines(clock, { keepTimer: true });
    deadlinesByClock.set(clock, deadlines);
  } else deadlines.setKeepTimer(true);
  lastClock = clock;
  lastDeadlines = deadlines;
  return deadlines;
}

/**
 * Settles with the promise's outcome, or with TIMED_OUT once `ms` pass on the clock. The promise
 * keeps running after a timeout, as the function does on AWS; its late outcome is ignored (and a
 * late rejection is handled here, so it never goes unhandled).
 */
export function withIntegrationTimeout<T>(
  promise: Promise<T>,
  clock: Clock,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = deadlinesOf(clock).at(clock.now() + ms, () => resolve(TIMED_OUT));
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}

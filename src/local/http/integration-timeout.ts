import type { Clock } from "../clock.ts";
import { Deadlines } from "../lambda/deadlines.ts";

export const TIMED_OUT: unique symbol = Symbol("timed out");

// Every request has an integration timeout and almost none fires: one clock timer per clock.
const deadlinesByClock = new WeakMap<Clock, Deadlines>();

function deadlinesOf(clock: Clock): Deadlines {
  let deadlines = deadlinesByClock.get(clock);
  if (deadlines === undefined) {
    deadlines = new Deadlines(clock);
    deadlinesByClock.set(clock, deadlines);
  }
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

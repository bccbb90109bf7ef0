import type { Clock } from "../clock.ts";

export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * Settles with the promise's outcome, or with TIMED_OUT once `ms` pass on the clock. The promise
 * keeps running after a timeout, as the function does on AWS; its late outcome is ignored.
 */
export function withIntegrationTimeout<T>(
  promise: Promise<T>,
  clock: Clock,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = clock.at(clock.now() + ms, () => resolve(TIMED_OUT));
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

import type { Clock } from "../local/clock/index.ts";
import { untilOrDeadline } from "./until-deadline.ts";

/**
 * Resolves after `ms` on the clock, or as soon as `signal` aborts (at once if it already has):
 * a back-off that a stopping server does not wait out.
 */
export async function pauseUnlessAborted(signal: AbortSignal, clock: Clock, ms: number): Promise<void> {
  if (signal.aborted) return;
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await untilOrDeadline(aborted, clock, clock.now() + ms);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** The test kit's errors: each with a stable code, and a message that says what to do. */
import { SluiceError } from "../model/errors.ts";

/** Anything but `close` after `close`: the app's cloud and its state folder are gone. */
export function appClosed(method: string): SluiceError {
  return new SluiceError(
    "SLUICE_TEST_APP_CLOSED",
    `app.${method}() was called after app.close(); this app's local cloud is stopped and its state removed. Start another with startApp().`,
    { context: { method } },
  );
}

/** A `waitFor` whose hop was not recorded in time; the message lists what was recorded. */
export function hopNotRecorded(match: object, timeoutMs: number, recorded: readonly string[]): SluiceError {
  const shown = recorded.length === 0 ? "  (none)" : recorded.map((line) => `  ${line}`).join("\n");
  return new SluiceError(
    "SLUICE_TEST_WAIT_TIMEOUT",
    `no hop matching ${JSON.stringify(match)} was recorded within ${timeoutMs} ms of real time ` +
      `(waitFor never moves the clock: advance it with app.clock.advance() for timers to fire). ` +
      `Hops recorded so far, oldest first:\n${shown}`,
    { context: { match, timeoutMs } },
  );
}

/** Work still running after the settle limit: a function that never returns, a loop. */
export function stillBusy(limitMs: number, busy: readonly string[]): SluiceError {
  return new SluiceError(
    "SLUICE_TEST_SETTLE_TIMEOUT",
    `the app still had work running after ${limitMs} ms of real time: ${busy.join("; ") || "pending work"}. ` +
      "A function that never returns, or messages that keep sending each other, keep it busy.",
    { context: { limitMs, busy } },
  );
}

/** A trace id the store does not hold. */
export function unknownTrace(traceId: string): SluiceError {
  return new SluiceError(
    "SLUICE_TEST_UNKNOWN_TRACE",
    `no trace ${traceId} was recorded; app.traces() lists the recorded ones`,
    { context: { traceId } },
  );
}

/** A start time the clock cannot start at. */
export function badTime(now: unknown): SluiceError {
  return new SluiceError(
    "SLUICE_TEST_BAD_TIME",
    `startApp's now takes epoch milliseconds (a finite number ≥ 0) or a valid Date; got ${String(now)}`,
    { context: { now: String(now) } },
  );
}

/** A duration the clock cannot move by. */
export function badDuration(duration: unknown): SluiceError {
  return new SluiceError(
    "SLUICE_TEST_BAD_DURATION",
    `clock.advance takes milliseconds (a number ≥ 0) or a duration such as "90s", "5m", "2h" or "5 minutes"; got ${JSON.stringify(duration)}`,
    { context: { duration } },
  );
}

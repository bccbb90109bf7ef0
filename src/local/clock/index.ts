/**
 * The one clock of a local cloud and the deadlines kept on it. Visibility timeouts, delays,
 * retention, long polls, function and integration timeouts, schedules and retries all read it, so
 * tests and `sluice time advance` move time for everyone at once. A shared kernel: it imports no
 * surface.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { Clock, ClockMark, ManualClockOptions, SystemClockOptions, Timer } from "./clock.ts";
export { after, ManualClock, SystemClock } from "./clock.ts";
export { CLOCK_FILE, durableClock, readClockMark, writeClockMark } from "./clock-file.ts";
export { Deadlines } from "./deadlines.ts";

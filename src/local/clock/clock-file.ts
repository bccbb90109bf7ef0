/**
 * The clock's mark in an app's (or `sluice cloud`'s) state folder, so a local cloud started again
 * on the same state resumes its clock where it stood. Timers are kept on that clock (SQS delays and
 * visibility, Step Functions Waits, schedules): a clock back at the wall clock after a
 * `time advance` would make each of them wait the whole advance again, and show time going back.
 *
 * A file beside the SQLite files rather than a table in one: a multi-region `dev` has one clock
 * for all its regions, each with a file of its own (dev-regions.ts).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type ClockMark, SystemClock } from "./clock.ts";

export const CLOCK_FILE = "clock.json";

/** The mark last written in `stateDir`; undefined when there is none or it is not a mark. */
export function readClockMark(stateDir: string): ClockMark | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(stateDir, CLOCK_FILE), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { offsetMs, nowMs } = value as Record<string, unknown>;
  if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs) || offsetMs < 0) return undefined;
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) return undefined;
  return { offsetMs, nowMs };
}

/**
 * Replaces the mark atomically and durably: written and synced to a temporary file, then renamed,
 * so a kill (or a power cut) leaves the old mark or the new one, never half of one.
 */
export function writeClockMark(stateDir: string, mark: ClockMark): void {
  const temp = join(stateDir, `.${CLOCK_FILE}.${process.pid}.tmp`);
  rmSync(temp, { force: true });
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ offsetMs: mark.offsetMs, nowMs: mark.nowMs })}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, join(stateDir, CLOCK_FILE));
}

/**
 * A SystemClock resumed from `stateDir`'s mark (at least where it stood, even if the wall clock has
 * since been set back) that records each advance there before the advance fires anything, and
 * records where it starts, so a wall clock set back before the next start cannot take it back.
 * The folder must exist.
 */
export function durableClock(stateDir: string): SystemClock {
  const resume = readClockMark(stateDir);
  const clock = new SystemClock({
    ...(resume ? { resume } : {}),
    onAdvance: (mark) => writeClockMark(stateDir, mark),
  });
  writeClockMark(stateDir, clock.mark());
  return clock;
}

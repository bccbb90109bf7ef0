import { fromWallMs, type LocalDateTime, wallMs } from "./calendar.ts";
import type { CronFields } from "./cron.ts";
import { cronDays } from "./days.ts";
import type { Schedule } from "./expression.ts";
import { checkTimeZone, instantsOf, toWall } from "./time-zone.ts";

const MINUTE = 60_000;

/**
 * The next `count` times (epoch ms, ascending) a schedule fires strictly after `afterMs`.
 *
 * - `rate`: every period after `afterMs` (pass the last invocation, or the start time); a period
 *   is fixed, so `rate(1 day)` is 24 hours even across a daylight-saving change.
 * - `cron`: evaluated in `timeZone` (default UTC). As EventBridge Scheduler documents, a time the
 *   clocks skip in spring does not fire, and a time they repeat in autumn fires once (the first).
 * - `at`: once, at that wall-clock time in `timeZone`; a time inside a spring-forward gap fires
 *   when the clocks reach it, an hour later (an at() schedule is never silently dropped).
 */
export function nextFireTimes(
  schedule: Schedule,
  afterMs: number,
  count: number,
  timeZone = "UTC",
): number[] {
  checkTimeZone(timeZone);
  if (count <= 0) return [];
  switch (schedule.kind) {
    case "rate":
      return Array.from({ length: count }, (_, i) => afterMs + (i + 1) * schedule.periodMs);
    case "at": {
      const wall = wallMs(schedule.local);
      const instants = instantsOf(timeZone, wall);
      const at = instants[0] ?? wall - (toWall(timeZone, wall - 86_400_000) - (wall - 86_400_000));
      return at > afterMs ? [at] : [];
    }
    case "cron":
      return nextCronTimes(schedule.fields, afterMs, count, timeZone);
  }
}

function nextCronTimes(fields: CronFields, afterMs: number, count: number, timeZone: string): number[] {
  const out: number[] = [];
  let from = fromWallMs(Math.floor(toWall(timeZone, afterMs) / MINUTE) * MINUTE + MINUTE);
  while (out.length < count) {
    const local = nextLocal(fields, from);
    if (!local) break;
    const wall = wallMs(local);
    const first = instantsOf(timeZone, wall)[0];
    if (first !== undefined && first > afterMs) out.push(first);
    from = fromWallMs(wall + MINUTE);
  }
  return out;
}

/** The earliest wall-clock minute at or after `from` that the expression names. */
function nextLocal(fields: CronFields, from: LocalDateTime): LocalDateTime | undefined {
  let { year, month, day, hour, minute } = from;
  for (;;) {
    const y = ceil(fields.years, year);
    if (y === undefined) return undefined;
    if (y !== year) [year, month, day, hour, minute] = [y, 1, 1, 0, 0];
    const mo = ceil(fields.months, month);
    if (mo === undefined) {
      [year, month, day, hour, minute] = [year + 1, 1, 1, 0, 0];
      continue;
    }
    if (mo !== month) [month, day, hour, minute] = [mo, 1, 0, 0];
    const d = ceil(cronDays(fields, year, month), day);
    if (d === undefined) {
      [month, day, hour, minute] = [month + 1, 1, 0, 0];
      if (month > 12) [year, month] = [year + 1, 1];
      continue;
    }
    if (d !== day) [day, hour, minute] = [d, 0, 0];
    const h = ceil(fields.hours, hour);
    if (h === undefined) {
      [day, hour, minute] = [day + 1, 0, 0];
      continue;
    }
    if (h !== hour) [hour, minute] = [h, 0];
    const mi = ceil(fields.minutes, minute);
    if (mi === undefined) {
      [hour, minute] = [hour + 1, 0];
      continue;
    }
    return { year, month, day, hour, minute: mi, second: 0 };
  }
}

/** The smallest value in ascending `list` that is at least `at`. */
function ceil(list: readonly number[], at: number): number | undefined {
  for (const v of list) if (v >= at) return v;
  return undefined;
}

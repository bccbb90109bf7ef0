/**
 * Calendar arithmetic on wall-clock fields, done on UTC dates so it is independent of the host's
 * time zone. Months are 1–12 and weekdays 1–7 for Sunday–Saturday, as in AWS cron expressions.
 */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday. */
export function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The wall time as milliseconds, read as if it were UTC (the "wall clock" number). */
export function wallMs(t: LocalDateTime): number {
  // setUTCFullYear rather than Date.UTC, which reads years 0–99 as 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour, t.minute, t.second, 0);
  return d.getTime();
}

export function fromWallMs(ms: number): LocalDateTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

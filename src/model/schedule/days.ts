import { daysInMonth, weekday } from "./calendar.ts";
import type { CronFields } from "./cron.ts";

/** The days of one month a cron expression fires on, ascending. */
export function cronDays(fields: CronFields, year: number, month: number): number[] {
  const last = daysInMonth(year, month);
  const dom = fields.dayOfMonth;
  switch (dom.kind) {
    case "days":
      return dom.days.filter((d) => d <= last);
    case "last":
      return [last];
    case "last-weekday":
      return [nearestWeekday(year, month, last, last)];
    case "nearest-weekday":
      return dom.day > last ? [] : [nearestWeekday(year, month, dom.day, last)];
    case "any":
      break;
  }
  const dow = fields.dayOfWeek;
  const first = weekday(year, month, 1);
  const firstOf = (day: number) => 1 + ((day - first + 7) % 7);
  switch (dow.kind) {
    case "days": {
      const days: number[] = [];
      for (let d = 1; d <= last; d++) if (dow.days.includes(((first - 1 + d - 1) % 7) + 1)) days.push(d);
      return days;
    }
    case "last": {
      const f = firstOf(dow.day);
      return [f + 7 * Math.floor((last - f) / 7)];
    }
    case "nth": {
      const d = firstOf(dow.day) + 7 * (dow.nth - 1);
      return d <= last ? [d] : [];
    }
    case "any":
      return [];
  }
}

/** The weekday nearest `day` without leaving the month (`15W`; `1W` on a Saturday is Monday the 3rd). */
function nearestWeekday(year: number, month: number, day: number, last: number): number {
  const wd = weekday(year, month, day);
  if (wd === 7) return day === 1 ? 3 : day - 1;
  if (wd === 1) return day === last ? day - 2 : day + 1;
  return day;
}

import { CRON_FIELDS, type CronFieldRule, fail, parseCronList, value } from "./cron-field.ts";
import { ScheduleExpressionError } from "./error.ts";

/** Day-of-month: `?`, values, `L` (last day), `LW` (last weekday) or `nW` (weekday nearest day n). */
export type DayOfMonth =
  | { readonly kind: "any" }
  | { readonly kind: "days"; readonly days: readonly number[] }
  | { readonly kind: "last" }
  | { readonly kind: "last-weekday" }
  | { readonly kind: "nearest-weekday"; readonly day: number };

/** Day-of-week (1 = SUN … 7 = SAT): `?`, values, `nL` (last such day) or `n#k` (k-th such day). */
export type DayOfWeek =
  | { readonly kind: "any" }
  | { readonly kind: "days"; readonly days: readonly number[] }
  | { readonly kind: "last"; readonly day: number }
  | { readonly kind: "nth"; readonly day: number; readonly nth: number };

export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonth;
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeek;
  readonly years: readonly number[];
}

const SYNTAX = "cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 12 * * ? *)";

/** Parses the six fields inside `cron(...)`, with AWS's rules. */
export function parseCron(expression: string, inner: string): CronFields {
  const parts = inner
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "");
  if (parts.length !== 6) {
    throw new ScheduleExpressionError(
      expression,
      `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year); this one has ${parts.length}`,
      SYNTAX,
      parts.length === 5 ? "add the year field, usually *" : "write all six fields, separated by spaces",
    );
  }
  const [min = "", hour = "", dom = "", month = "", dow = "", year = ""] = parts;
  const plain: [string, CronFieldRule][] = [
    [min, CRON_FIELDS.minutes],
    [hour, CRON_FIELDS.hours],
    [month, CRON_FIELDS.month],
    [year, CRON_FIELDS.year],
  ];
  for (const [text, rule] of plain) {
    // Month names (JUL) may contain the letters; only the special characters themselves count.
    if (
      /[?LW#]/i.test(text.replace(/[A-Z]{3}/gi, (m) => (rule.names?.includes(m.toUpperCase()) ? "0" : m)))
    ) {
      fail(
        expression,
        rule,
        text,
        "uses ?, L, W or #, which only the day-of-month and day-of-week fields allow",
      );
    }
  }
  if (dom !== "?" && dow !== "?") {
    throw new ScheduleExpressionError(
      expression,
      `both day-of-month ("${dom}") and day-of-week ("${dow}") are set; one of them must be ?`,
      SYNTAX,
      "put ? in the field you do not use, e.g. cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *)",
    );
  }
  if (dom === "?" && dow === "?") {
    throw new ScheduleExpressionError(
      expression,
      "day-of-month and day-of-week are both ?; only one of them may be ?",
      SYNTAX,
      "set the other one, e.g. * for every day: cron(0 12 * * ? *)",
    );
  }
  return {
    minutes: parseCronList(expression, min, CRON_FIELDS.minutes),
    hours: parseCronList(expression, hour, CRON_FIELDS.hours),
    dayOfMonth: parseDayOfMonth(expression, dom),
    months: parseCronList(expression, month, CRON_FIELDS.month),
    dayOfWeek: parseDayOfWeek(expression, dow),
    years: parseCronList(expression, year, CRON_FIELDS.year),
  };
}

function parseDayOfMonth(expression: string, text: string): DayOfMonth {
  const rule = CRON_FIELDS.dayOfMonth;
  const upper = text.toUpperCase();
  if (upper === "?") return { kind: "any" };
  if (upper === "L") return { kind: "last" };
  if (upper === "LW") return { kind: "last-weekday" };
  const nearest = /^([0-9]+)W$/.exec(upper);
  if (nearest) return { kind: "nearest-weekday", day: value(expression, rule, nearest[1] ?? "", text) };
  if (upper.includes("#")) fail(expression, rule, text, "uses #, which only the day-of-week field allows");
  if (/[LW?]/.test(upper)) {
    fail(expression, rule, text, "uses L, W or ? in a list or range; write L, LW, nW or ? on its own");
  }
  return { kind: "days", days: parseCronList(expression, text, rule) };
}

function parseDayOfWeek(expression: string, text: string): DayOfWeek {
  const rule = CRON_FIELDS.dayOfWeek;
  const upper = text.toUpperCase();
  if (upper === "?") return { kind: "any" };
  if (upper === "L") return { kind: "days", days: [7] };
  const last = /^([0-9A-Z]+)L$/.exec(upper);
  if (last && last[1] !== undefined && !upper.includes(",")) {
    return { kind: "last", day: value(expression, rule, last[1], text) };
  }
  if (upper.includes("#")) {
    const nth = /^([0-9A-Z]+)#([0-9]+)$/.exec(upper);
    if (!nth) {
      fail(
        expression,
        rule,
        text,
        "uses # in a list or range; AWS allows one n#k expression on its own, e.g. 2#1",
      );
    }
    const k = Number(nth[2]);
    if (k < 1 || k > 5) fail(expression, rule, text, `asks for occurrence ${k}; # takes 1 to 5`);
    return { kind: "nth", day: value(expression, rule, nth[1] ?? "", text), nth: k };
  }
  if (upper.includes("W")) {
    const withoutNames = upper.replace(/[A-Z]{3}/g, (m) => (rule.names.includes(m as never) ? "" : m));
    if (withoutNames.includes("W"))
      fail(expression, rule, text, "uses W, which only the day-of-month field allows");
  }
  if (/[L?]/.test(upper.replace(/[A-Z]{3}/g, ""))) {
    fail(expression, rule, text, "uses L or ? in a list or range; write L, nL or ? on its own");
  }
  return { kind: "days", days: parseCronList(expression, text, rule) };
}

import { daysInMonth, type LocalDateTime } from "./calendar.ts";
import { type CronFields, parseCron } from "./cron.ts";
import { ScheduleExpressionError } from "./error.ts";

/**
 * Schedule expressions as EventBridge rules and EventBridge Scheduler accept them:
 * `rate(5 minutes)`, `cron(0 12 * * ? *)` (AWS's six fields) and one-time `at(2026-03-01T09:00:00)`.
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export type Schedule = RateSchedule | CronSchedule | AtSchedule;

export type RateUnit = "minute" | "hour" | "day";

export interface RateSchedule {
  readonly kind: "rate";
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
  /** Time between invocations; a day is always 24 hours, whatever the clocks do. */
  readonly periodMs: number;
}

export interface CronSchedule {
  readonly kind: "cron";
  readonly expression: string;
  readonly fields: CronFields;
}

export interface AtSchedule {
  readonly kind: "at";
  readonly expression: string;
  /** Wall-clock date and time, read in the schedule's time zone. */
  readonly local: LocalDateTime;
}

const ALLOWED =
  "rate(value unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)";
const UNIT_MS: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses a schedule expression.
 * @throws ScheduleExpressionError naming what is wrong (convert with `toIssue(path)`).
 */
export function parseSchedule(text: string): Schedule {
  if (typeof text !== "string") {
    throw new ScheduleExpressionError(
      String(text),
      "a schedule expression must be a string",
      ALLOWED,
      'write e.g. "rate(5 minutes)"',
    );
  }
  const match = /^(rate|cron|at)\((.*)\)$/s.exec(text.trim());
  if (!match) {
    throw new ScheduleExpressionError(
      text,
      "is not a rate(), cron() or at() expression",
      ALLOWED,
      "write e.g. rate(5 minutes), cron(0 12 * * ? *) or at(2026-03-01T09:00:00)",
    );
  }
  const [, kind, inner = ""] = match;
  if (kind === "rate") return parseRate(text, inner);
  if (kind === "cron") return { kind: "cron", expression: text, fields: parseCron(text, inner) };
  return { kind: "at", expression: text, local: parseAt(text, inner) };
}

function parseRate(expression: string, inner: string): RateSchedule {
  const allowed = "rate(1 minute|hour|day) or rate(N minutes|hours|days) with N a whole number above 1";
  const parts = inner.trim().split(/\s+/);
  if (parts.length !== 2) {
    throw new ScheduleExpressionError(
      expression,
      "rate() takes a value and a unit",
      allowed,
      "write e.g. rate(5 minutes)",
    );
  }
  const [valueText = "", unitText = ""] = parts;
  if (!/^[0-9]+$/.test(valueText) || Number(valueText) < 1 || !Number.isSafeInteger(Number(valueText))) {
    throw new ScheduleExpressionError(
      expression,
      `the rate value "${valueText}" is not a positive whole number`,
      allowed,
      "use a whole number of 1 or more, e.g. rate(90 minutes) instead of rate(1.5 hours)",
    );
  }
  const value = Number(valueText);
  const unit = /^(minute|hour|day)s?$/.exec(unitText)?.[1] as RateUnit | undefined;
  if (unit === undefined) {
    throw new ScheduleExpressionError(
      expression,
      `the rate unit "${unitText}" is not minute(s), hour(s) or day(s)`,
      allowed,
      `write e.g. rate(${value} ${value === 1 ? "minute" : "minutes"})`,
    );
  }
  const plural = unitText.endsWith("s");
  if (value === 1 && plural) {
    throw new ScheduleExpressionError(
      expression,
      `a rate of 1 takes the singular unit "${unit}", not "${unitText}"`,
      allowed,
      `write rate(1 ${unit})`,
    );
  }
  if (value > 1 && !plural) {
    throw new ScheduleExpressionError(
      expression,
      `a rate of ${value} takes the plural unit "${unit}s", not "${unitText}"`,
      allowed,
      `write rate(${value} ${unit}s)`,
    );
  }
  return { kind: "rate", expression, value, unit, periodMs: value * UNIT_MS[unit] };
}

function parseAt(expression: string, inner: string): LocalDateTime {
  const allowed = "at(yyyy-mm-ddThh:mm:ss), e.g. at(2026-03-01T09:00:00)";
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})$/.exec(inner.trim());
  if (!m) {
    throw new ScheduleExpressionError(
      expression,
      "at() takes a date and time as yyyy-mm-ddThh:mm:ss",
      allowed,
      "write the time without a zone or milliseconds (set the time zone separately)",
    );
  }
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const bad = (what: string) =>
    new ScheduleExpressionError(
      expression,
      `at() has ${what}`,
      allowed,
      "write a real calendar date and time",
    );
  if (month < 1 || month > 12) throw bad(`month ${month}`);
  if (day < 1 || day > daysInMonth(year, month))
    throw bad(`day ${day}, and ${year}-${m[2]} has ${daysInMonth(year, month)} days`);
  if (hour > 23) throw bad(`hour ${hour}`);
  if (minute > 59) throw bad(`minute ${minute}`);
  if (second > 59) throw bad(`second ${second}`);
  return { year, month, day, hour, minute, second };
}

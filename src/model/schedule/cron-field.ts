import { ScheduleExpressionError } from "./error.ts";

/** One of the six fields of an AWS cron expression, with its bounds and names. */
export interface CronFieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Whether a range may run past the end and wrap around (`FRI-MON`, `22-2`). */
  readonly wraps: boolean;
}

export const CRON_FIELDS = {
  minutes: { name: "minutes", min: 0, max: 59, wraps: true },
  hours: { name: "hours", min: 0, max: 23, wraps: true },
  dayOfMonth: { name: "day-of-month", min: 1, max: 31, wraps: false },
  month: {
    name: "month",
    min: 1,
    max: 12,
    wraps: true,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  dayOfWeek: {
    name: "day-of-week",
    min: 1,
    max: 7,
    wraps: true,
    names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
  },
  year: { name: "year", min: 1970, max: 2199, wraps: false },
} as const satisfies Record<string, CronFieldRule>;

/** Parses lists, ranges, steps and `*` into the sorted values the field allows. */
export function parseCronList(expression: string, text: string, rule: CronFieldRule): number[] {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    if (part === "") fail(expression, rule, text, "has an empty item in its list");
    const [range = "", stepText, extra] = part.split("/");
    if (extra !== undefined) fail(expression, rule, part, "has more than one /");
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText) || Number(stepText) < 1) {
        fail(
          expression,
          rule,
          part,
          `has increment "${stepText}"; an increment must be a whole number of 1 or more`,
        );
      }
      step = Number(stepText);
    }
    let start: number;
    let end: number;
    if (range === "*") {
      start = rule.min;
      end = rule.max;
    } else if (range.includes("-")) {
      const [a = "", b = "", more] = range.split("-");
      if (more !== undefined) fail(expression, rule, part, "has a range with more than one -");
      start = value(expression, rule, a, part);
      end = value(expression, rule, b, part);
      if (end < start && !rule.wraps)
        fail(expression, rule, part, `has range ${range} whose start is after its end`);
    } else {
      start = value(expression, rule, range, part);
      end = stepText === undefined ? start : rule.max;
    }
    const span = end >= start ? end - start : end + (rule.max - rule.min + 1) - start;
    for (let offset = 0; offset <= span; offset += step) {
      values.add(((start - rule.min + offset) % (rule.max - rule.min + 1)) + rule.min);
    }
  }
  return [...values].sort((a, b) => a - b);
}

/** A single number or name within the field's bounds. */
export function value(expression: string, rule: CronFieldRule, text: string, part: string): number {
  const index = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return rule.min + index;
  if (!/^[0-9]+$/.test(text)) {
    const names = rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : "";
    fail(expression, rule, part, `has "${text}", which is not a number${names}`);
  }
  const n = Number(text);
  if (n < rule.min || n > rule.max) fail(expression, rule, part, `has ${n}, outside ${rule.min}-${rule.max}`);
  return n;
}

export function fail(expression: string, rule: CronFieldRule, part: string, problem: string): never {
  const names = rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : "";
  throw new ScheduleExpressionError(
    expression,
    `the ${rule.name} field "${part}" ${problem}`,
    `${rule.min}-${rule.max}${names}, with , - * /${rule.name.startsWith("day-of") ? " ?" : ""}`,
    `write the ${rule.name} field as a value, a list (1,15), a range (1-5), a step (0/15) or *`,
  );
}

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ScheduleExpressionError } from "../../src/model/schedule/error.ts";
import { parseSchedule } from "../../src/model/schedule/expression.ts";

function problem(expression: string): string {
  try {
    parseSchedule(expression);
  } catch (error) {
    assert.ok(error instanceof ScheduleExpressionError, String(error));
    assert.equal(error.code, "SLUICE_INVALID_SCHEDULE");
    return error.problem;
  }
  assert.fail(`${expression} was accepted`);
}

describe("rate expressions", () => {
  test("parse AWS's units with the period they stand for", () => {
    assert.deepEqual(parseSchedule("rate(1 minute)"), {
      kind: "rate",
      expression: "rate(1 minute)",
      value: 1,
      unit: "minute",
      periodMs: 60_000,
    });
    const hours = parseSchedule("rate(12 hours)");
    assert.equal(hours.kind === "rate" && hours.periodMs, 12 * 3_600_000);
    const days = parseSchedule("rate(1 day)");
    assert.equal(days.kind === "rate" && days.periodMs, 86_400_000);
  });

  test("require the singular unit for 1 and the plural for more, as AWS does", () => {
    assert.equal(problem("rate(1 minutes)"), 'a rate of 1 takes the singular unit "minute", not "minutes"');
    assert.equal(problem("rate(5 hour)"), 'a rate of 5 takes the plural unit "hours", not "hour"');
    assert.equal(problem("rate(1 hours)"), 'a rate of 1 takes the singular unit "hour", not "hours"');
  });

  test("reject values that are not positive whole numbers and unknown units", () => {
    assert.equal(problem("rate(0 minutes)"), 'the rate value "0" is not a positive whole number');
    assert.equal(problem("rate(1.5 hours)"), 'the rate value "1.5" is not a positive whole number');
    assert.equal(problem("rate(-5 minutes)"), 'the rate value "-5" is not a positive whole number');
    assert.equal(problem("rate(2 weeks)"), 'the rate unit "weeks" is not minute(s), hour(s) or day(s)');
    assert.equal(problem("rate(2 seconds)"), 'the rate unit "seconds" is not minute(s), hour(s) or day(s)');
    assert.equal(problem("rate(5)"), "rate() takes a value and a unit");
  });
});

describe("cron expressions", () => {
  test("parse AWS's six fields with lists, ranges, steps, names and wildcards", () => {
    const cron = parseSchedule("cron(0/15 8-10,22 ? JAN,JUL-AUG MON-FRI 2026-2028)");
    assert.equal(cron.kind, "cron");
    if (cron.kind !== "cron") return;
    assert.deepEqual(cron.fields.minutes, [0, 15, 30, 45]);
    assert.deepEqual(cron.fields.hours, [8, 9, 10, 22]);
    assert.deepEqual(cron.fields.dayOfMonth, { kind: "any" });
    assert.deepEqual(cron.fields.months, [1, 7, 8]);
    assert.deepEqual(cron.fields.dayOfWeek, { kind: "days", days: [2, 3, 4, 5, 6] });
    assert.deepEqual(cron.fields.years, [2026, 2027, 2028]);
  });

  test("read steps from a start, from *, and within a range", () => {
    const fields = (e: string) => {
      const s = parseSchedule(e);
      return s.kind === "cron" ? s.fields : undefined;
    };
    assert.deepEqual(fields("cron(1/10 * * * ? *)")?.minutes, [1, 11, 21, 31, 41, 51]);
    assert.deepEqual(fields("cron(*/20 * * * ? *)")?.minutes, [0, 20, 40]);
    assert.deepEqual(fields("cron(10-30/10 * * * ? *)")?.minutes, [10, 20, 30]);
    assert.deepEqual(fields("cron(0 22-2 * * ? *)")?.hours, [0, 1, 2, 22, 23]);
    assert.deepEqual(fields("cron(0 0 ? * FRI-MON *)")?.dayOfWeek, { kind: "days", days: [1, 2, 6, 7] });
    assert.deepEqual(fields("cron(0 0 ? * L *)")?.dayOfWeek, { kind: "days", days: [7] });
    assert.deepEqual(fields("cron(0 0 ? * 6L *)")?.dayOfWeek, { kind: "last", day: 6 });
    assert.deepEqual(fields("cron(0 0 ? * fri#3 *)")?.dayOfWeek, { kind: "nth", day: 6, nth: 3 });
    assert.deepEqual(fields("cron(0 0 15W * ? *)")?.dayOfMonth, { kind: "nearest-weekday", day: 15 });
    assert.deepEqual(fields("cron(0 0 LW * ? *)")?.dayOfMonth, { kind: "last-weekday" });
  });

  test("require exactly one of day-of-month and day-of-week to be ?", () => {
    assert.equal(
      problem("cron(0 12 * * * *)"),
      'both day-of-month ("*") and day-of-week ("*") are set; one of them must be ?',
    );
    assert.equal(
      problem("cron(0 12 1 * MON *)"),
      'both day-of-month ("1") and day-of-week ("MON") are set; one of them must be ?',
    );
    assert.equal(
      problem("cron(0 12 ? * ? *)"),
      "day-of-month and day-of-week are both ?; only one of them may be ?",
    );
  });

  test("require six fields", () => {
    assert.equal(
      problem("cron(0 12 * * ?)"),
      "a cron expression has 6 fields (minutes hours day-of-month month day-of-week year); this one has 5",
    );
    assert.match(problem("cron(0 0 12 * * ? *)"), /this one has 7$/);
  });

  test("reject values outside each field's bounds", () => {
    assert.equal(problem("cron(60 * * * ? *)"), 'the minutes field "60" has 60, outside 0-59');
    assert.equal(problem("cron(0 24 * * ? *)"), 'the hours field "24" has 24, outside 0-23');
    assert.equal(problem("cron(0 0 32 * ? *)"), 'the day-of-month field "32" has 32, outside 1-31');
    assert.equal(problem("cron(0 0 0 * ? *)"), 'the day-of-month field "0" has 0, outside 1-31');
    assert.equal(problem("cron(0 0 1 13 ? *)"), 'the month field "13" has 13, outside 1-12');
    assert.equal(problem("cron(0 0 ? * 8 *)"), 'the day-of-week field "8" has 8, outside 1-7');
    assert.equal(problem("cron(0 0 1 * ? 1969)"), 'the year field "1969" has 1969, outside 1970-2199');
    assert.equal(problem("cron(0 0 1 * ? 2200)"), 'the year field "2200" has 2200, outside 1970-2199');
    assert.equal(
      problem("cron(0 0 1 JUX ? *)"),
      'the month field "JUX" has "JUX", which is not a number or JAN-DEC',
    );
  });

  test("reject misplaced and malformed special characters", () => {
    assert.match(problem("cron(? 12 * * ? *)"), /minutes field "\?" uses \?, L, W or #/);
    assert.match(problem("cron(0 L * * ? *)"), /hours field "L" uses \?, L, W or #/);
    assert.match(problem("cron(0 12 5#1 * ? *)"), /day-of-month field "5#1" uses #/);
    assert.match(problem("cron(0 12 ? * 2W *)"), /day-of-week field "2W" uses W/);
    assert.match(problem("cron(0 12 15W,L * ? *)"), /day-of-month field "15W,L" uses L, W or \? in a list/);
    assert.equal(
      problem("cron(0 12 ? * MON#6 *)"),
      'the day-of-week field "MON#6" asks for occurrence 6; # takes 1 to 5',
    );
    assert.match(problem("cron(0 12 ? * 3#1,6#3 *)"), /uses # in a list or range/);
    assert.match(
      problem("cron(0/0 12 * * ? *)"),
      /increment "0"; an increment must be a whole number of 1 or more/,
    );
    assert.match(problem("cron(0 12 20-10 * ? *)"), /range 20-10 whose start is after its end/);
    assert.match(problem("cron(0 12 1,,2 * ? *)"), /has an empty item in its list/);
  });
});

describe("at expressions", () => {
  test("parse a wall-clock date and time", () => {
    assert.deepEqual(parseSchedule("at(2028-02-29T23:59:30)"), {
      kind: "at",
      expression: "at(2028-02-29T23:59:30)",
      local: { year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 30 },
    });
  });

  test("reject impossible dates and other formats", () => {
    assert.equal(problem("at(2026-02-29T00:00:00)"), "at() has day 29, and 2026-02 has 28 days");
    assert.equal(problem("at(2026-13-01T00:00:00)"), "at() has month 13");
    assert.equal(problem("at(2026-03-01T24:00:00)"), "at() has hour 24");
    assert.equal(problem("at(2026-03-01 09:00:00)"), "at() takes a date and time as yyyy-mm-ddThh:mm:ss");
    assert.equal(problem("at(2026-03-01T09:00:00Z)"), "at() takes a date and time as yyyy-mm-ddThh:mm:ss");
  });
});

describe("schedule errors", () => {
  test("reject text that is no schedule expression", () => {
    assert.equal(problem("every 5 minutes"), "is not a rate(), cron() or at() expression");
    assert.equal(problem("cron 0 12 * * ? *"), "is not a rate(), cron() or at() expression");
  });

  test("become definition issues naming the path, the value, what is allowed and the fix", () => {
    try {
      parseSchedule("cron(0 12 * * * *)");
      assert.fail("accepted");
    } catch (error) {
      assert.ok(error instanceof ScheduleExpressionError);
      const issue = error.toIssue("schedules.nightly.schedule");
      assert.equal(issue.path, "schedules.nightly.schedule");
      assert.equal(issue.value, "cron(0 12 * * * *)");
      assert.match(issue.message, /one of them must be \?/);
      assert.match(issue.allowed, /^cron\(minutes hours/);
      assert.match(issue.fix, /put \? in the field you do not use/);
      assert.match(error.message, /^invalid schedule "cron\(0 12 \* \* \* \*\)": both day-of-month/);
    }
  });
});

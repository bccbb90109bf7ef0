import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ScheduleExpressionError } from "../../src/model/schedule/error.ts";
import { parseSchedule } from "../../src/model/schedule/expression.ts";
import { nextFireTimes } from "../../src/model/schedule/next.ts";

/** Next fire times as ISO strings (UTC), after an ISO time. */
function next(expression: string, after: string, count: number, timeZone?: string): string[] {
  return nextFireTimes(parseSchedule(expression), Date.parse(after), count, timeZone).map((t) =>
    new Date(t).toISOString().replace(".000Z", "Z"),
  );
}

describe("cron fire times in UTC", () => {
  test("fire daily at noon, strictly after the given time", () => {
    assert.deepEqual(next("cron(0 12 * * ? *)", "2026-01-01T12:00:00Z", 2), [
      "2026-01-02T12:00:00Z",
      "2026-01-03T12:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 12 * * ? *)", "2026-01-01T11:59:59Z", 1), ["2026-01-01T12:00:00Z"]);
  });

  test("fire every 10 minutes from minute 1 (1/10)", () => {
    assert.deepEqual(next("cron(1/10 * * * ? *)", "2026-01-01T00:45:00Z", 3), [
      "2026-01-01T00:51:00Z",
      "2026-01-01T01:01:00Z",
      "2026-01-01T01:11:00Z",
    ]);
  });

  test("fire on weekdays only, across a weekend", () => {
    // 2026-01-02 is a Friday.
    assert.deepEqual(next("cron(0 18 ? * MON-FRI *)", "2026-01-02T19:00:00Z", 2), [
      "2026-01-05T18:00:00Z",
      "2026-01-06T18:00:00Z",
    ]);
  });

  test("fire on the last day of each month with L, including leap-year February", () => {
    assert.deepEqual(next("cron(0 0 L * ? *)", "2028-01-15T00:00:00Z", 3), [
      "2028-01-31T00:00:00Z",
      "2028-02-29T00:00:00Z",
      "2028-03-31T00:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 0 L 2 ? *)", "2026-01-01T00:00:00Z", 3), [
      "2026-02-28T00:00:00Z",
      "2027-02-28T00:00:00Z",
      "2028-02-29T00:00:00Z",
    ]);
  });

  test("fire on 29 February in leap years only, skipping 2100", () => {
    assert.deepEqual(next("cron(0 0 29 2 ? *)", "2026-01-01T00:00:00Z", 2), [
      "2028-02-29T00:00:00Z",
      "2032-02-29T00:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 0 29 2 ? *)", "2097-01-01T00:00:00Z", 2), [
      "2104-02-29T00:00:00Z",
      "2108-02-29T00:00:00Z",
    ]);
  });

  test("fire on the last Friday of the month with 6L", () => {
    assert.deepEqual(next("cron(0 9 ? * 6L *)", "2026-01-01T00:00:00Z", 3), [
      "2026-01-30T09:00:00Z",
      "2026-02-27T09:00:00Z",
      "2026-03-27T09:00:00Z",
    ]);
  });

  test("fire on the nth weekday with #, skipping months that lack a fifth one", () => {
    assert.deepEqual(next("cron(0 9 ? * 3#2 *)", "2026-01-01T00:00:00Z", 2), [
      "2026-01-13T09:00:00Z",
      "2026-02-10T09:00:00Z",
    ]);
    // Fifth Monday: January and February 2026 have four Mondays; March, June and August have five.
    assert.deepEqual(next("cron(0 9 ? * MON#5 *)", "2026-01-01T00:00:00Z", 3), [
      "2026-03-30T09:00:00Z",
      "2026-06-29T09:00:00Z",
      "2026-08-31T09:00:00Z",
    ]);
  });

  test("fire on the nearest weekday with W, never leaving the month", () => {
    // 2026-02-01 is a Sunday: 1W is Monday the 2nd. 2026-08-01 is a Saturday: 1W is Monday the 3rd.
    assert.deepEqual(next("cron(0 9 1W * ? *)", "2026-01-31T00:00:00Z", 1), ["2026-02-02T09:00:00Z"]);
    assert.deepEqual(next("cron(0 9 1W * ? *)", "2026-07-31T00:00:00Z", 1), ["2026-08-03T09:00:00Z"]);
    // 2026-05-31 is a Sunday: 31W is Friday the 29th; months without a 31st are skipped.
    assert.deepEqual(next("cron(0 9 31W * ? *)", "2026-04-01T00:00:00Z", 2), [
      "2026-05-29T09:00:00Z",
      "2026-07-31T09:00:00Z",
    ]);
    // 2026-08-15 is a Saturday (Friday 14th); 2026-11-15 is a Sunday (Monday 16th).
    assert.deepEqual(next("cron(0 9 15W 8,11 ? *)", "2026-01-01T00:00:00Z", 2), [
      "2026-08-14T09:00:00Z",
      "2026-11-16T09:00:00Z",
    ]);
  });

  test("fire on the last weekday of the month with LW", () => {
    // 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
    assert.deepEqual(next("cron(0 17 LW 1,5 ? *)", "2026-01-01T00:00:00Z", 2), [
      "2026-01-30T17:00:00Z",
      "2026-05-29T17:00:00Z",
    ]);
  });

  test("respect year ranges and steps, and stop after 2199", () => {
    assert.deepEqual(next("cron(0 0 1 1 ? 2030/5)", "2026-01-01T00:00:00Z", 3), [
      "2030-01-01T00:00:00Z",
      "2035-01-01T00:00:00Z",
      "2040-01-01T00:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 0 1 1 ? 2027-2028)", "2026-06-01T00:00:00Z", 5), [
      "2027-01-01T00:00:00Z",
      "2028-01-01T00:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 0 31 12 ? *)", "2199-12-31T00:00:00Z", 1), []);
  });

  test("never fire for dates that do not exist", () => {
    assert.deepEqual(next("cron(0 0 30 2 ? *)", "2026-01-01T00:00:00Z", 1), []);
  });

  test("scale out at 11:45 and back in at 13:15, as a daily provisioned-concurrency peak", () => {
    assert.deepEqual(next("cron(45 11 * * ? *)", "2026-01-01T12:00:00Z", 1), ["2026-01-02T11:45:00Z"]);
    assert.deepEqual(next("cron(15 13 * * ? *)", "2026-01-01T12:00:00Z", 1), ["2026-01-01T13:15:00Z"]);
  });
});

describe("cron fire times in a time zone", () => {
  test("read the expression in the zone's wall-clock time", () => {
    assert.deepEqual(next("cron(0 9 * * ? *)", "2026-01-01T00:00:00Z", 1, "America/New_York"), [
      "2026-01-01T14:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 9 * * ? *)", "2026-07-01T00:00:00Z", 1, "America/New_York"), [
      "2026-07-01T13:00:00Z",
    ]);
    assert.deepEqual(next("cron(0 9 * * ? *)", "2026-07-01T00:00:00Z", 1, "Asia/Kolkata"), [
      "2026-07-01T03:30:00Z",
    ]);
  });

  test("skip a time the clocks jump over in spring (New York, 8 March 2026)", () => {
    assert.deepEqual(next("cron(30 2 * * ? *)", "2026-03-07T00:00:00Z", 3, "America/New_York"), [
      "2026-03-07T07:30:00Z",
      "2026-03-09T06:30:00Z",
      "2026-03-10T06:30:00Z",
    ]);
  });

  test("fire once, not twice, for a time the clocks repeat in autumn (New York, 1 November 2026)", () => {
    assert.deepEqual(next("cron(30 1 * * ? *)", "2026-10-31T00:00:00Z", 3, "America/New_York"), [
      "2026-10-31T05:30:00Z",
      "2026-11-01T05:30:00Z",
      "2026-11-02T06:30:00Z",
    ]);
    assert.deepEqual(next("cron(0/30 1 * * ? *)", "2026-11-01T04:00:00Z", 3, "America/New_York"), [
      "2026-11-01T05:00:00Z",
      "2026-11-01T05:30:00Z",
      "2026-11-02T06:00:00Z",
    ]);
  });

  test("does not fire again when asked from inside the repeated hour", () => {
    // 06:10Z is 01:10 EST, the second pass through 01:xx.
    assert.deepEqual(next("cron(30 1 * * ? *)", "2026-11-01T06:10:00Z", 1, "America/New_York"), [
      "2026-11-02T06:30:00Z",
    ]);
  });

  test("skip London's missing hour on 29 March and fire once in its repeated hour on 25 October 2026", () => {
    assert.deepEqual(next("cron(30 * * * ? *)", "2026-03-29T00:00:00Z", 3, "Europe/London"), [
      "2026-03-29T00:30:00Z",
      "2026-03-29T01:30:00Z",
      "2026-03-29T02:30:00Z",
    ]);
    assert.deepEqual(next("cron(30 1 * * ? *)", "2026-03-28T12:00:00Z", 2, "Europe/London"), [
      "2026-03-30T00:30:00Z",
      "2026-03-31T00:30:00Z",
    ]);
    assert.deepEqual(next("cron(30 1 * * ? *)", "2026-10-24T12:00:00Z", 2, "Europe/London"), [
      "2026-10-25T00:30:00Z",
      "2026-10-26T01:30:00Z",
    ]);
  });

  test("fire at midnight on the last day of the month in the zone, not in UTC", () => {
    assert.deepEqual(next("cron(0 0 L * ? *)", "2026-01-01T00:00:00Z", 1, "Pacific/Auckland"), [
      "2026-01-30T11:00:00Z",
    ]);
  });
});

describe("rate and at fire times", () => {
  test("fire every period after the given time", () => {
    assert.deepEqual(next("rate(5 minutes)", "2026-01-01T00:00:00Z", 3), [
      "2026-01-01T00:05:00Z",
      "2026-01-01T00:10:00Z",
      "2026-01-01T00:15:00Z",
    ]);
  });

  test("count a day as 24 hours across a daylight-saving change", () => {
    assert.deepEqual(next("rate(1 day)", "2026-03-07T17:00:00Z", 2, "America/New_York"), [
      "2026-03-08T17:00:00Z",
      "2026-03-09T17:00:00Z",
    ]);
  });

  test("fire an at() schedule once, in its time zone", () => {
    assert.deepEqual(next("at(2026-03-01T09:00:00)", "2026-01-01T00:00:00Z", 3), ["2026-03-01T09:00:00Z"]);
    assert.deepEqual(next("at(2026-03-01T09:00:00)", "2026-01-01T00:00:00Z", 1, "Europe/London"), [
      "2026-03-01T09:00:00Z",
    ]);
    assert.deepEqual(next("at(2026-07-01T09:00:00)", "2026-01-01T00:00:00Z", 1, "Europe/London"), [
      "2026-07-01T08:00:00Z",
    ]);
    assert.deepEqual(next("at(2026-03-01T09:00:00)", "2026-03-01T09:00:00Z", 1), []);
  });

  test("fire an at() time inside a spring-forward gap when the clocks reach it", () => {
    assert.deepEqual(next("at(2026-03-08T02:30:00)", "2026-01-01T00:00:00Z", 1, "America/New_York"), [
      "2026-03-08T07:30:00Z",
    ]);
  });

  test("fire an at() time the clocks repeat at its first occurrence", () => {
    assert.deepEqual(next("at(2026-11-01T01:30:00)", "2026-01-01T00:00:00Z", 1, "America/New_York"), [
      "2026-11-01T05:30:00Z",
    ]);
  });
});

describe("time zones", () => {
  test("reject names that are not IANA time zones", () => {
    assert.throws(
      () => nextFireTimes(parseSchedule("rate(1 day)"), 0, 1, "Mars/Olympus_Mons"),
      (error: unknown) =>
        error instanceof ScheduleExpressionError &&
        /unknown time zone "Mars\/Olympus_Mons"/.test(error.problem),
    );
  });
});

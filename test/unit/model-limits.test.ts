import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatSeconds, parseDuration } from "../../src/model/duration.ts";
import { LIMITS, type LimitRow } from "../../src/model/limits.ts";

const rows: [string, LimitRow][] = Object.entries(LIMITS).flatMap(([service, table]) =>
  Object.entries(table as Record<string, LimitRow>).map(([name, row]): [string, LimitRow] => [
    `${service}.${name}`,
    row,
  ]),
);

describe("LIMITS", () => {
  test("every row links to an AWS documentation page", () => {
    assert.ok(rows.length > 20);
    for (const [name, row] of rows) {
      assert.match(row.docs, /^https:\/\/docs\.aws\.amazon\.com\//, name);
      assert.ok(row.unit.length > 0, `${name} has a unit`);
    }
  });

  test("every numeric default lies within its row's range", () => {
    for (const [name, row] of rows) {
      if (row.min !== undefined && row.max !== undefined) assert.ok(row.min <= row.max, name);
      if (typeof row.default !== "number") continue;
      if (row.min !== undefined) assert.ok(row.default >= row.min, name);
      if (row.max !== undefined) assert.ok(row.default <= row.max, name);
    }
  });

  test("holds the values AWS documents today, including the 1 MiB SQS and async Lambda payloads", () => {
    assert.deepEqual(LIMITS.sqs.maximumMessageSize.max, 1048576);
    assert.deepEqual(LIMITS.sqs.maximumMessageSize.default, 1048576);
    assert.equal(LIMITS.lambda.asyncPayload.max, 1048576);
    assert.equal(LIMITS.lambda.syncPayload.max, 6291456);
    assert.deepEqual([LIMITS.lambda.memorySize.min, LIMITS.lambda.memorySize.max], [128, 10240]);
    assert.deepEqual([LIMITS.lambda.timeout.max, LIMITS.lambda.timeout.default], [900, 3]);
    assert.deepEqual([LIMITS.sqs.visibilityTimeout.max, LIMITS.sqs.visibilityTimeout.default], [43200, 30]);
    assert.deepEqual(
      [LIMITS.eventSourceMapping.maxConcurrency.min, LIMITS.eventSourceMapping.maxConcurrency.max],
      [2, 1000],
    );
    assert.equal(LIMITS.eventSourceMapping.fifoBatchSize.max, 10);
    assert.equal(LIMITS.sqs.queueName.max, 80);
    assert.equal(LIMITS.lambda.functionName.max, 64);
  });

  test("name patterns accept AWS's characters and nothing else", () => {
    assert.ok(LIMITS.sqs.queueName.pattern.test("my_queue-1"));
    assert.ok(!LIMITS.sqs.queueName.pattern.test("my.queue"));
    assert.ok(LIMITS.lambda.functionName.pattern.test("app-fn_1"));
    assert.ok(!LIMITS.lambda.functionName.pattern.test("app fn"));
    assert.ok(LIMITS.cloudformation.stackName.pattern.test("pipeline-2"));
    assert.ok(!LIMITS.cloudformation.stackName.pattern.test("2pipeline"));
    assert.ok(LIMITS.lambda.environmentKey.pattern.test("LOG_LEVEL"));
    assert.ok(!LIMITS.lambda.environmentKey.pattern.test("X"), "keys need at least two characters");
  });
});

describe("durations", () => {
  test("parses durations in seconds, minutes, hours and days, singular or plural", () => {
    assert.equal(parseDuration("1 second"), 1);
    assert.equal(parseDuration("30 seconds"), 30);
    assert.equal(parseDuration("2 minutes"), 120);
    assert.equal(parseDuration("1 hour"), 3600);
    assert.equal(parseDuration("14 days"), 1209600);
    assert.equal(parseDuration("1.5 minutes"), 90);
  });

  test("rejects text that is not a duration", () => {
    for (const text of ["30", "30 secs", "-1 seconds", "seconds", "1  second", 30, undefined]) {
      assert.equal(parseDuration(text), undefined, String(text));
    }
  });

  test("formats seconds in the largest unit that divides them", () => {
    assert.equal(formatSeconds(0), "0 seconds");
    assert.equal(formatSeconds(1), "1 second");
    assert.equal(formatSeconds(90), "90 seconds");
    assert.equal(formatSeconds(900), "15 minutes");
    assert.equal(formatSeconds(3600), "1 hour");
    assert.equal(formatSeconds(43200), "12 hours");
    assert.equal(formatSeconds(1209600), "14 days");
    for (const seconds of [1, 60, 61, 345600]) assert.equal(parseDuration(formatSeconds(seconds)), seconds);
  });
});

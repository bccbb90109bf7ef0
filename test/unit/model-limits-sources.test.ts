import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { LIMITS, type LimitRow, RUNTIMES, type RuntimeRow } from "../../src/model/limits.ts";

// Every figure here was read on the AWS page its row links to (issue 14, section 3).

const AWS_DOCS = /^https:\/\/docs\.aws\.amazon\.com\/[^\s]+$/;

describe("the limits table's sources", () => {
  test("every Lambda runtime row gives all three dates and links to AWS's runtimes page", () => {
    for (const [name, row] of Object.entries(RUNTIMES) as [string, RuntimeRow][]) {
      assert.match(
        row.docs,
        /^https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/lambda-runtimes\.html/,
        name,
      );
      for (const date of [row.deprecation, row.blockCreate, row.blockUpdate]) {
        assert.match(date ?? "", /^\d{4}-\d{2}-\d{2}$/, `${name} has every date`);
      }
    }
  });

  test("Node.js runtime dates as AWS's Lambda runtimes page lists them", () => {
    const dates = (row: RuntimeRow) => [row.deprecation, row.blockCreate, row.blockUpdate];
    assert.deepEqual(dates(RUNTIMES["nodejs20.x"]), ["2026-04-30", "2026-08-31", "2026-09-30"]);
    assert.deepEqual(dates(RUNTIMES["nodejs22.x"]), ["2027-04-30", "2027-06-01", "2027-07-01"]);
    assert.deepEqual(dates(RUNTIMES["nodejs24.x"]), ["2028-04-30", "2028-06-01", "2028-07-01"]);
  });

  test("SQS event source scaling as Lambda's developer guide states it", () => {
    const esm = LIMITS.eventSourceMapping;
    assert.deepEqual([esm.maxConcurrency.min, esm.maxConcurrency.max], [2, 1000]);
    assert.equal(esm.initialConcurrentBatches.default, 5);
    assert.equal(esm.scaleUpPerMinute.max, 300);
    assert.equal(esm.concurrentBatches.max, 1000);
    for (const row of [esm.initialConcurrentBatches, esm.scaleUpPerMinute, esm.concurrentBatches]) {
      assert.equal(row.docs, "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html");
    }
  });

  test("S3's object and multipart limits as S3's multipart limits page states them", () => {
    const s3 = LIMITS.s3;
    const GiB = 1024 ** 3;
    assert.equal(s3.objectSize.max, 10_000 * 5 * GiB, "48.8 TiB: 10,000 parts of 5 GiB");
    assert.equal(s3.putObjectSize.max, 5 * GiB);
    assert.deepEqual([s3.multipartParts.min, s3.multipartParts.max], [1, 10_000]);
    assert.deepEqual([s3.multipartPartSize.min, s3.multipartPartSize.max], [5 * 1024 ** 2, 5 * GiB]);
  });

  test("every row links to one AWS page; a row whose figure no AWS page states says so in docs/fidelity.md", () => {
    const fidelity = fs.readFileSync(new URL("../../docs/fidelity.md", import.meta.url), "utf8");
    for (const [service, table] of Object.entries(LIMITS)) {
      for (const [name, row] of Object.entries(table as Record<string, LimitRow>)) {
        assert.match(row.docs, AWS_DOCS, `${service}.${name}`);
        if (row.stated === false) {
          assert.ok(
            fidelity.includes(`\`LIMITS.${service}.${name}\``),
            `LIMITS.${service}.${name} is not stated by its page: docs/fidelity.md must say so`,
          );
        }
      }
    }
  });
});

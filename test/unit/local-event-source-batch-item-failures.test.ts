import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readBatchResponse } from "../../src/local/event-source/batch-item-failures.ts";

const ids = ["m1", "m2", "m3"];

describe("reading a partial batch response", () => {
  test("treats no batchItemFailures, null, an empty list or a non-object result as full success", () => {
    for (const payload of [
      "{}",
      '{"batchItemFailures":null}',
      '{"batchItemFailures":[]}',
      "null",
      '"done"',
      "42",
      "not json",
    ]) {
      assert.deepEqual(readBatchResponse(payload, ids), { kind: "all-succeeded" }, payload);
    }
  });

  test("returns exactly the failed message ids", () => {
    const outcome = readBatchResponse(
      '{"batchItemFailures":[{"itemIdentifier":"m2"},{"itemIdentifier":"m3"}]}',
      ids,
    );
    assert.equal(outcome.kind, "partial");
    assert.deepEqual(outcome.kind === "partial" ? [...outcome.failed].sort() : [], ["m2", "m3"]);
  });

  test("fails the whole batch when an identifier is empty, missing or not in the batch", () => {
    for (const item of [
      '{"itemIdentifier":""}',
      "{}",
      '{"itemIdentifier":"other"}',
      "null",
      '{"itemIdentifier":5}',
    ]) {
      const outcome = readBatchResponse(`{"batchItemFailures":[${item}]}`, ids);
      assert.equal(outcome.kind, "all-failed", item);
    }
  });

  test("fails the whole batch when batchItemFailures is not a list", () => {
    assert.equal(readBatchResponse('{"batchItemFailures":"m1"}', ids).kind, "all-failed");
  });
});

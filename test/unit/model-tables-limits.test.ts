import assert from "node:assert/strict";
import { test } from "node:test";
import { LIMITS } from "../../src/model/limits.ts";

// Each figure as the page its row links to states it (issue 15, §1 and §3).

test("a stream mapping's parameters as Lambda's page for DynamoDB event source mappings states them", () => {
  const esm = LIMITS.streamEventSourceMapping;
  assert.deepEqual([esm.batchSize.min, esm.batchSize.max, esm.batchSize.default], [1, 10000, 100]);
  assert.deepEqual([esm.maximumBatchingWindow.max, esm.maximumBatchingWindow.default], [300, 0]);
  assert.deepEqual(
    [esm.maximumRetryAttempts.min, esm.maximumRetryAttempts.max, esm.maximumRetryAttempts.default],
    [-1, 10000, -1],
  );
  assert.deepEqual([esm.maximumRecordAge.min, esm.maximumRecordAge.max], [60, 604800]);
  assert.deepEqual([esm.parallelizationFactor.min, esm.parallelizationFactor.max], [1, 10]);
  assert.deepEqual([esm.tumblingWindow.min, esm.tumblingWindow.max], [0, 900]);
  assert.deepEqual(esm.startingPositions.values, ["TRIM_HORIZON", "LATEST"]);
  assert.equal(esm.filters.max, 5);
  assert.equal(esm.filterPatternLength.max, 4096);
  for (const row of [
    esm.batchSize,
    esm.maximumRetryAttempts,
    esm.parallelizationFactor,
    esm.tumblingWindow,
  ]) {
    assert.equal(row.docs, "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html");
  }
});

test("a table's names and index counts are the engine's rows, so each number lives once", () => {
  const tables = LIMITS.dynamodbTables;
  assert.equal(tables.tableName, LIMITS.dynamodb.tableName);
  assert.equal(tables.indexName, LIMITS.dynamodb.tableName);
  assert.equal(tables.globalSecondaryIndexes, LIMITS.dynamodb.globalSecondaryIndexes);
  assert.equal(tables.localSecondaryIndexes, LIMITS.dynamodb.localSecondaryIndexes);
  assert.deepEqual([tables.globalSecondaryIndexes.max, tables.localSecondaryIndexes.max], [20, 5]);
  assert.deepEqual(tables.streamViewTypes.values, [
    "KEYS_ONLY",
    "NEW_IMAGE",
    "OLD_IMAGE",
    "NEW_AND_OLD_IMAGES",
  ]);
  assert.deepEqual(tables.keyTypes.values, ["S", "N", "B"]);
  assert.deepEqual([tables.ttlAttributeName.min, tables.ttlAttributeName.max], [1, 255]);
});

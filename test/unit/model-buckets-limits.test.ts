import assert from "node:assert/strict";
import { test } from "node:test";
import { LIMITS } from "../../src/model/limits.ts";

// Each figure as the S3 page its row links to states it.
test("S3's limits for buckets, objects and bucket configurations", () => {
  const s3 = LIMITS.s3;
  const GiB = 1024 ** 3;
  assert.deepEqual([s3.bucketName.min, s3.bucketName.max], [3, 63]);
  assert.equal(s3.objectKey.max, 1024);
  assert.equal(s3.userMetadata.max, 2048);
  assert.equal(s3.putObjectSize.max, 5 * GiB);
  assert.deepEqual([s3.multipartParts.min, s3.multipartParts.max], [1, 10_000]);
  assert.deepEqual([s3.multipartPartSize.min, s3.multipartPartSize.max], [5 * 1024 ** 2, 5 * GiB]);
  assert.equal(s3.lifecycleRules.max, 1000);
  assert.equal(s3.lifecycleDays.min, 1);
  assert.equal(s3.corsRules.max, 100);
  assert.deepEqual(s3.corsMethods.values, ["GET", "PUT", "HEAD", "POST", "DELETE"]);
  assert.equal(s3.keyFilterValue.max, 1024);
  assert.equal(s3.notificationConfigurations.max, 100);
  assert.equal(s3.notificationConfigurations.stated, false, "no AWS page we could read states it");
  for (const row of [s3.lifecycleRules, s3.corsRules, s3.corsMethods, s3.keyFilterValue, s3.lifecycleDays]) {
    assert.match(row.docs, /^https:\/\/docs\.aws\.amazon\.com\/AmazonS3\/latest\/API\/API_/);
  }
});

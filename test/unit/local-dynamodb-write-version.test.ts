/** Last writer wins between regions (global-tables/write-version.ts): order, ties, local writes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isNewer, localVersion } from "../../src/local/dynamodb/global-tables/write-version.ts";

test("the later timestamp wins; equal timestamps go to the greater region name", () => {
  assert.equal(isNewer({ ts: 2, region: "a" }, { ts: 1, region: "z" }), true);
  assert.equal(isNewer({ ts: 1, region: "z" }, { ts: 2, region: "a" }), false);
  assert.equal(isNewer({ ts: 5, region: "us-west-2" }, { ts: 5, region: "us-east-1" }), true);
  assert.equal(isNewer({ ts: 5, region: "us-east-1" }, { ts: 5, region: "us-west-2" }), false);
  assert.equal(
    isNewer({ ts: 5, region: "us-east-1" }, { ts: 5, region: "us-east-1" }),
    false,
    "not newer than itself",
  );
});

test("a region's own write always beats the version it holds", () => {
  assert.deepEqual(localVersion(10, "us-east-1", undefined), { ts: 10, region: "us-east-1" });
  assert.deepEqual(localVersion(10, "us-east-1", { ts: 3, region: "us-west-2" }), {
    ts: 10,
    region: "us-east-1",
  });
  // The same millisecond as a replicated write from a greater name, or as its own last write.
  assert.deepEqual(localVersion(10, "us-east-1", { ts: 10, region: "us-west-2" }), {
    ts: 11,
    region: "us-east-1",
  });
  assert.deepEqual(localVersion(10, "us-east-1", { ts: 10, region: "us-east-1" }), {
    ts: 11,
    region: "us-east-1",
  });
  // A smaller name in the same millisecond already loses to this one.
  assert.deepEqual(localVersion(10, "us-west-2", { ts: 10, region: "us-east-1" }), {
    ts: 10,
    region: "us-west-2",
  });
});

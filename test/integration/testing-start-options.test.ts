/** startApp refuses a start time it cannot use before it starts anything (no state folder left). */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { startApp } from "../../src/testing/index.ts";
import { stateRoot } from "../../src/testing/state-folder.ts";

const APP = resolve(import.meta.dirname, "..", "fixtures", "testing-runners", "app");
const folders = () => readdirSync(stateRoot()).filter((name) => name.startsWith("sluice-test-"));

for (const now of [new Date("not a date"), Number.NaN, -1, Number.POSITIVE_INFINITY]) {
  test(`startApp({ now: ${String(now)} }) is refused with a clear error`, async () => {
    const before = new Set(folders());
    await assert.rejects(startApp(APP, { now, apis: false }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "SLUICE_TEST_BAD_TIME", error.message);
      return true;
    });
    assert.deepEqual(
      folders().filter((name) => !before.has(name)),
      [],
    );
  });
}

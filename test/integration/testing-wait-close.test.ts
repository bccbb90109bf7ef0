/**
 * `waitFor` pending when the app closes rejects at once with SLUICE_TEST_APP_CLOSED, instead of
 * holding the test (and its timer) until its timeout for a hop that can no longer come.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { startApp } from "../../src/testing/index.ts";

const APP = resolve(import.meta.dirname, "..", "fixtures", "testing-runners", "app");

test("a waitFor still waiting when the app closes rejects with the closed error", async () => {
  const app = await startApp(APP, { apis: false });
  // A tick only the schedule brings: never, as the clock stays still. The test's own timeout
  // (far below this) fails the test if the wait is not ended by close.
  const waiting = app.waitFor({ function: "tick" }, { timeoutMs: 600_000 });
  await app.close();
  await assert.rejects(waiting, (error: Error & { code?: string }) => {
    assert.equal(error.code, "SLUICE_TEST_APP_CLOSED", error.message);
    return true;
  });
});

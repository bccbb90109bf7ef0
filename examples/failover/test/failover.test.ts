/**
 * The failover app's function through `sluice/testing`, in its primary region: the greeting read
 * from and written to the global table, answered with the region that served it. `npm test` runs
 * it. Failing a region over (Route 53's checkers, the front door, replication, the drills) is not
 * in the kit: test/integration/examples-failover.test.ts drives it on a DevSession and with the CLI.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { startApp, type TestApp } from "sluice/testing";

const APP = resolve(import.meta.dirname, "..");
const PRIMARY = "us-east-1";

describe("examples/failover", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp(APP, { now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => app?.close());

  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${app.httpUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test("GET /hello answers the default greeting and the region that served it", async () => {
    assert.deepEqual(await call("GET", "/hello"), {
      status: 200,
      body: { message: `Hello from ${PRIMARY}`, region: PRIMARY, writtenIn: null },
    });
  });

  test("PUT /hello stores a greeting in the table; GET /hello reads it back with where it was written", async () => {
    assert.deepEqual(await call("PUT", "/hello", "Deep hello from \n"), {
      status: 200,
      body: { stored: "Deep hello from ", region: PRIMARY },
    });
    assert.deepEqual(await call("GET", "/hello"), {
      status: 200,
      body: { message: `Deep hello from ${PRIMARY}`, region: PRIMARY, writtenIn: PRIMARY },
    });
  });

  test("an empty greeting is refused with 400; another route is 404", async () => {
    assert.equal((await call("PUT", "/hello", "")).status, 400);
    const other = await call("GET", "/nowhere");
    assert.equal(other.status, 404);
    assert.match(String(other.body.message), /no route GET \/nowhere/);
    assert.deepEqual(app.traces({ failed: true }), []);
  });
});

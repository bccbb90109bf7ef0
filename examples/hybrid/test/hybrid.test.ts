/**
 * The hybrid app's Lambda side through `sluice/testing`: the API answers and routes accepted jobs
 * to `jobs`, `worker` stores their results, the API reads them back. `npm test` runs it. The
 * fleet (`sluice serve`'s servers) and Route 53's failover to it are not in the kit: the README's
 * drill runs with the real CLI in test/integration/examples-hybrid.test.ts.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { startApp, type TestApp } from "sluice/testing";

const APP = resolve(import.meta.dirname, "..");

describe("examples/hybrid", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp(APP, { now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => app?.close());

  const call = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${app.httpUrl}${path}`, init);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test("GET /hello says Lambda served it", async () => {
    assert.deepEqual(await call("/hello"), {
      status: 200,
      body: { message: "hello from lambda", servedBy: "lambda" },
    });
  });

  test("a job posted is routed to jobs, processed by worker, and its result read back", async () => {
    const posted = await call("/jobs", { method: "POST", body: JSON.stringify({ text: "make it loud" }) });
    assert.equal(posted.status, 202, JSON.stringify(posted.body));
    const id = String(posted.body.id);
    assert.equal(posted.body.acceptedBy, "lambda");
    const trace = await app.waitFor({ function: "worker", outcome: "success" });
    assert.ok(
      trace.hops.some((hop) => hop.kind === "request") &&
        trace.hops.some((hop) => hop.target === "queue:jobs"),
      `one trace from the request through jobs to worker: ${trace.hops.map((h) => `${h.kind} ${h.target}`)}`,
    );
    await app.settle();
    assert.deepEqual(await call(`/jobs/${id}`), {
      status: 200,
      body: { id, result: "MAKE IT LOUD", acceptedBy: "lambda", processedBy: "lambda", servedBy: "lambda" },
    });
    assert.deepEqual(app.queue("jobs"), { depth: 0, inFlight: 0, delayed: 0 });
  });

  test("a job that is not a job is refused with 400 and queues nothing; an unknown job is 404", async () => {
    const refused = await call("/jobs", { method: "POST", body: "[]" });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    await app.settle();
    assert.deepEqual(app.traces({ resource: "queue:jobs" }), []);
    assert.equal((await call("/jobs/nope")).status, 404);
  });
});

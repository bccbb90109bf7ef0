/**
 * The pipeline's behaviour through `sluice/testing`: its local cloud in this process, on a clock
 * that moves only when the test says (the render queue's 30-second visibility timeout is passed
 * with `clock.advance`, not waited for). `npm test` runs it; `sluice dev`'s own side (the CLI, the
 * log format) is tested in test/integration/examples-pipeline.test.ts.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { startApp, type TestApp } from "sluice/testing";

const APP = resolve(import.meta.dirname, "..");

describe("examples/pipeline", () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp(APP, { now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => app?.close());

  test("a crawl request flows through ingest, render and publish; a site's pages render in order", async () => {
    const { traceId } = await app.send("pages", { site: "a.example", paths: ["/", "/about", "/blog"] });
    assert.deepEqual(
      app
        .logs("publish")
        .filter((line) => line.includes("published"))
        .map(publishedUrl)
        .sort(),
      ["https://a.example/", "https://a.example/about", "https://a.example/blog"],
    );
    assert.deepEqual(
      app.logs("render").flatMap((line) => /rendered a\.example(\S*)/.exec(line)?.[1] ?? []),
      ["/", "/about", "/blog"],
      "one FIFO message group per site",
    );
    // One trace from the message to every publish: send → ingest → renders → render → publish.
    const hops = app.trace(traceId).hops;
    const published = hops.filter((hop) => hop.kind === "invoke" && hop.target === "function:publish");
    assert.deepEqual(
      published.map((hop) => hop.outcome),
      ["success", "success", "success"],
    );
    assert.deepEqual(app.queue("pages"), { depth: 0, inFlight: 0, delayed: 0 });
  });

  test("POST /crawls queues a crawl on pages with the plain AWS SDK, within submit's permissions", async () => {
    assert.ok(app.httpUrl, "the app has an HTTP API");
    const response = await fetch(`${app.httpUrl}/crawls`, {
      method: "POST",
      body: JSON.stringify({ site: "h.example", paths: ["/from-http"] }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    assert.equal(((await response.json()) as { pages: number }).pages, 1);
    const trace = await app.waitFor({ function: "publish", outcome: "success" });
    assert.ok(
      trace.hops.some((hop) => hop.kind === "request"),
      `the publish belongs to the HTTP request's trace: ${trace.hops.map((h) => `${h.kind} ${h.target}`)}`,
    );
    await app.settle();
    assert.ok(app.logs("publish").some((line) => line.includes("published https://h.example/from-http")));
  });

  test("POST /crawls with a body that is not a crawl request answers 400 and queues nothing", async () => {
    const response = await fetch(`${app.httpUrl}/crawls`, { method: "POST", body: '{"site": 1}' });
    assert.equal(response.status, 400);
    await app.settle();
    assert.deepEqual(app.logs("ingest"), []);
  });

  test("a failing page is recorded in failures on every attempt and parked in renders-dlq after 3 receives", async () => {
    await app.send("pages", { site: "b.example", paths: ["/poison"] });
    const attempts = () =>
      app.logs("render").filter((line) => line.includes("cannot render b.example/poison"));
    assert.equal(attempts().length, 1);
    // The renders queue's visibility timeout is 30 s: each advance brings the next receive.
    await app.clock.advance("30s");
    assert.equal(attempts().length, 2);
    await app.clock.advance("30s");
    assert.equal(attempts().length, 3);
    assert.equal(app.queue("renders-dlq").depth, 0);
    await app.clock.advance("30s");
    await app.waitFor({ kind: "dead-letter" });
    assert.equal(app.queue("renders-dlq").depth, 1);
    assert.equal(app.queue("failures").depth, 3, "the routing function recorded each failed attempt");
    assert.deepEqual(app.queue("renders"), { depth: 0, inFlight: 0, delayed: 0 });
    assert.equal(app.traces({ failed: true }).length, 1);
  });

  test("publish answers with the page's URL", async () => {
    const result = await app.invoke("publish", { site: "c.example", path: "/x", html: "<p>" });
    assert.equal(result.functionError, undefined);
    assert.deepEqual(result.payload, { published: "https://c.example/x" });
  });
});

function publishedUrl(line: string): string {
  return /published (\S+)/.exec(line)?.[1] ?? line;
}

/**
 * The test kit (`sluice/testing`, issue 20) driving a fixture app: a schedule every 5 minutes, a
 * consumer that fails on `{ fail: true }` until its message goes to the DLQ, a plain function.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { startApp, type TestApp } from "../../src/testing/index.ts";
import { stateRoot } from "../../src/testing/state-folder.ts";

const APP = resolve(import.meta.dirname, "..", "fixtures", "testing-runners", "app");
const START = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * The kit's state folders in the OS temp folder now that apps of this process made: test files
 * running beside this one make folders there too (their dev.json names another pid).
 */
function stateFolders(): Set<string> {
  const ours = (name: string): boolean => {
    try {
      return JSON.parse(readFileSync(join(stateRoot(), name, "dev.json"), "utf8")).pid === process.pid;
    } catch {
      return false;
    }
  };
  return new Set(readdirSync(stateRoot()).filter((name) => name.startsWith("sluice-test-") && ours(name)));
}

describe("sluice/testing startApp", () => {
  let app: TestApp;
  before(async () => {
    app = await startApp(APP, { now: START });
  });
  after(() => app?.close());

  it("fires a due schedule on advance and has settled its invocation when advance returns", async () => {
    assert.deepEqual(app.logs("tick"), []);
    await app.clock.advance("5 minutes");
    assert.equal(app.clock.now(), START + 5 * 60_000);
    assert.ok(
      app.logs("tick").some((line) => line.includes("tick")),
      `tick logged: ${app.logs("tick")}`,
    );
    const [summary] = app.traces({ resource: "function:tick" });
    assert.ok(summary, "a trace through function:tick was recorded");
    const hops = app.trace(summary.traceId).hops;
    const invoke = hops.find((hop) => hop.kind === "invoke" && hop.target === "function:tick");
    assert.equal(invoke?.outcome, "success", JSON.stringify(hops));
  });

  it("invokes a function and returns its result with the trace it ran in", async () => {
    const result = await app.invoke("greet", { name: "Ada" });
    assert.deepEqual(result.payload, { hello: "Ada" });
    assert.match(result.traceId, /^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const trace = await app.waitFor({ function: "greet", traceId: result.traceId });
    assert.equal(trace.traceId, result.traceId);
    assert.ok(app.logs("greet").some((line) => line.includes("greeting Ada")));
  });

  it("retries a failing consumer across visibility timeouts and moves the message to its DLQ", async () => {
    const { traceId } = await app.send("pages", { path: "/broken", fail: true });
    // The first receive failed and settled: the message waits out its visibility timeout.
    assert.deepEqual(app.queue("pages"), { depth: 0, inFlight: 1, delayed: 0 });
    const attempts = () =>
      app.trace(traceId).hops.filter((hop) => hop.kind === "invoke" && hop.target === "function:crawl");
    assert.deepEqual(
      attempts().map((hop) => hop.outcome),
      ["error"],
    );
    await app.clock.advance("30s");
    assert.deepEqual(
      attempts().map((hop) => [hop.attempt, hop.outcome]),
      [
        [1, "error"],
        [2, "error"],
      ],
    );
    assert.equal(app.queue("pages-dlq").depth, 0);
    await app.clock.advance("30 seconds");
    assert.equal(app.queue("pages-dlq").depth, 1);
    assert.deepEqual(app.queue("pages"), { depth: 0, inFlight: 0, delayed: 0 });
    const trace = await app.waitFor({ kind: "dead-letter", traceId });
    assert.ok(trace.hops.some((hop) => hop.kind === "dead-letter" && hop.target === "queue:pages-dlq"));
    assert.equal(attempts().length, 2);
  });

  it("rejects waitFor after its timeout, naming the match, the clock and the hops recorded", async () => {
    const { traceId } = await app.invoke("greet", { name: "Bob" });
    await assert.rejects(app.waitFor({ function: "tick", traceId }, { timeoutMs: 100 }), (error: Error) => {
      assert.equal((error as { code?: string }).code, "SLUICE_TEST_WAIT_TIMEOUT");
      assert.match(error.message, /"function":"tick"/);
      assert.match(error.message, /within 100 ms/);
      assert.match(error.message, /clock\.advance/);
      assert.match(error.message, /invoke client → function:greet success/);
      return true;
    });
  });

  it("puts an event on the default bus in a trace of its own", async () => {
    const { eventId, traceId } = await app.put("default", {
      source: "kit.test",
      detailType: "Checked",
      detail: { ok: true },
    });
    assert.match(eventId, /^[0-9a-f-]{36}$/);
    const hops = app.trace(traceId).hops;
    assert.deepEqual(
      hops.map((hop) => [hop.kind, hop.source, hop.target]),
      [["put", "client", "bus:default"]],
    );
  });

  it("refuses a duration it cannot read", async () => {
    await assert.rejects(app.clock.advance("soon"), /SLUICE_TEST_BAD_DURATION|got "soon"/);
  });
});

describe("sluice/testing apps side by side", () => {
  it("runs two apps at once, each with its own state, and removes each one's folder on close", async () => {
    const before = stateFolders();
    const first = await startApp(APP, { now: START, apis: false });
    const second = await startApp(APP, { now: START + 1000, apis: false });
    const mine = [...stateFolders()].filter((name) => !before.has(name));
    try {
      assert.equal(mine.length, 2, `two new state folders: ${mine}`);
      assert.notEqual(first.endpoint, second.endpoint);
      await first.send("pages", { path: "/one" });
      await second.send("pages", { path: "/two" });
      await second.send("pages", { path: "/three" });
      assert.ok(first.logs("crawl").some((line) => line.includes("crawled /one")));
      assert.ok(first.logs("crawl").every((line) => !line.includes("/two")));
      assert.equal(second.logs("crawl").filter((line) => line.includes("crawled /")).length, 2);
      assert.equal(first.traces({ resource: "queue:pages" }).length, 1);
      assert.equal(second.traces({ resource: "queue:pages" }).length, 2);
      assert.equal(second.clock.now(), START + 1000);
    } catch (error) {
      // Closed here too, or their listening sockets keep this file's process alive after a failure.
      await second.close();
      throw error;
    } finally {
      await first.close();
    }
    // The other app carries on after the first closed.
    assert.ok(existsSync(join(stateRoot(), mine.find((name) => stateFolders().has(name)) ?? "none")));
    await second.invoke("greet", { name: "still here" });
    await second.close();
    for (const name of mine) assert.equal(existsSync(join(stateRoot(), name)), false, `${name} removed`);
    assert.throws(() => first.queue("pages"), /SLUICE_TEST_APP_CLOSED|after app\.close\(\)/);
    await assert.rejects(second.invoke("greet"), /after app\.close\(\)/);
  });
});

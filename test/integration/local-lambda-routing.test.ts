import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";

const ROUTED = ["single", "list", "decided", "invalid", "unserialisable"];

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["routing"]);
});
after(() => bundles.cleanup());

describe("routing inside an execution environment", { timeout: 60_000 }, () => {
  let harness: Harness;

  before(() => {
    const code = Object.fromEntries(
      ROUTED.map((name) => [name, { file: bundles.file("routing"), exportName: name }]),
    );
    harness = createHarness(
      new ManualClock(),
      ROUTED.map((name) => functionSpec(name)),
      code,
    );
  });
  after(() => harness.close());

  const invoke = (name: string, event: object) =>
    harness.service.invoke(name, { payload: JSON.stringify(event) });

  test("returns a delivery to the named target with the result", async () => {
    const result = await invoke("single", { n: 1 });
    assert.deepEqual(parse(result.payload), { n: 1 });
    assert.deepEqual(result.deliveries, [{ to: "next", data: { n: 1 } }]);
  });

  test("returns one delivery per target of a list", async () => {
    const result = await invoke("list", { n: 2 });
    assert.deepEqual(result.deliveries, [
      { to: "a", data: { n: 2 } },
      { to: "b", data: { n: 2 } },
    ]);
  });

  test("returns no deliveries for a name or list when the handler fails", async () => {
    const result = await invoke("list", { n: 3, fail: true });
    assert.equal(result.functionError, "Unhandled");
    assert.deepEqual(result.deliveries, []);
  });

  test("returns a routing function's deliveries on success", async () => {
    const result = await invoke("decided", { n: 4 });
    assert.deepEqual(result.deliveries, [{ to: "ok", data: { n: 4 }, groupId: "g1" }]);
  });

  test("returns a routing function's deliveries on error, and the invocation still fails", async () => {
    const result = await invoke("decided", { n: 5, fail: true });
    assert.equal(result.functionError, "Unhandled");
    assert.equal(parse(result.payload).errorMessage, "failed 5");
    assert.deepEqual(result.deliveries, [{ to: "failures", data: { message: "failed 5" } }]);
  });

  test("keeps deliveries to their own invocation", async () => {
    const [a, b] = await Promise.all([invoke("single", { n: 6 }), invoke("single", { n: 7 })]);
    assert.deepEqual(a?.deliveries, [{ to: "next", data: { n: 6 } }]);
    assert.deepEqual(b?.deliveries, [{ to: "next", data: { n: 7 } }]);
    const later = await invoke("single", { n: 8 });
    assert.deepEqual(later.deliveries, [{ to: "next", data: { n: 8 } }]);
  });

  test("fails the invocation when a routing function returns something other than a list", async () => {
    const result = await invoke("invalid", { n: 9 });
    assert.equal(result.functionError, "Unhandled");
    assert.equal(parse(result.payload).errorType, "Sluice.InvalidRoutes");
  });

  test("fails the invocation when a delivery cannot be serialised", async () => {
    const result = await invoke("unserialisable", {});
    assert.equal(result.functionError, "Unhandled");
    assert.equal(parse(result.payload).errorType, "TypeError");
    assert.deepEqual(result.deliveries, []);
  });
});

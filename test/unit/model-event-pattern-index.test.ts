import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compilePattern } from "../../src/model/event-pattern/compile-pattern.ts";
import { matches } from "../../src/model/event-pattern/match.ts";
import { RuleIndex } from "../../src/model/event-pattern/pattern-index.ts";
import { randomEvent, randomPattern, seededRandom } from "../support/event-pattern-random.ts";

describe("RuleIndex", () => {
  test("returns the rules an event matches, in the order they were added", () => {
    const index = new RuleIndex();
    index.add("b", compilePattern({ source: ["shop"] }));
    index.add("a", compilePattern({ source: [{ prefix: "sh" }] }));
    index.add("c", compilePattern({ source: ["other"] }));
    assert.deepEqual(index.match({ source: "shop" }), ["b", "a"]);
    assert.equal(index.size, 3);
  });

  test("stops matching a removed rule and keeps rules that shared its conditions", () => {
    const index = new RuleIndex();
    index.add("one", compilePattern({ source: ["shop"], detail: { total: [{ numeric: [">", 10] }] } }));
    index.add("two", compilePattern({ source: ["shop"], detail: { total: [{ numeric: [">", 10] }] } }));
    const event = { source: "shop", detail: { total: 20 } };
    assert.deepEqual(index.match(event), ["one", "two"]);
    assert.equal(index.remove("one"), true);
    assert.deepEqual(index.match(event), ["two"]);
    assert.equal(index.remove("one"), false);
    assert.equal(index.remove("two"), true);
    assert.deepEqual(index.match(event), []);
  });

  test("replaces a rule added again under the same id", () => {
    const index = new RuleIndex();
    index.add("r", compilePattern({ source: ["a"] }));
    index.add("r", compilePattern({ source: ["b"] }));
    assert.deepEqual(index.match({ source: "a" }), []);
    assert.deepEqual(index.match({ source: "b" }), ["r"]);
    assert.equal(index.size, 1);
  });

  test("reports a rule once even when several of its $or alternatives match", () => {
    const index = new RuleIndex();
    index.add("r", compilePattern({ $or: [{ a: [1] }, { b: [2] }] }));
    assert.deepEqual(index.match({ a: 1, b: 2 }), ["r"]);
  });

  test("matches exists:false rules against fields the event lacks", () => {
    const index = new RuleIndex();
    index.add("absent", compilePattern({ source: ["a"], detail: { error: [{ exists: false }] } }));
    assert.deepEqual(index.match({ source: "a", detail: {} }), ["absent"]);
    assert.deepEqual(index.match({ source: "a", detail: { error: "boom" } }), []);
  });

  test("agrees with matching each pattern on its own, over thousands of random rules and events", () => {
    const random = seededRandom(20260101);
    const patterns = Array.from({ length: 400 }, () => compilePattern(randomPattern(random)));
    const index = new RuleIndex();
    for (const [i, p] of patterns.entries()) index.add(`r${i}`, p);
    // Remove and re-add some rules so the index is checked after churn too.
    for (let i = 0; i < patterns.length; i += 7) index.remove(`r${i}`);
    for (let i = 0; i < patterns.length; i += 14)
      index.add(`r${i}`, patterns[i] as (typeof patterns)[number]);
    const live = new Set(patterns.map((_, i) => i).filter((i) => i % 7 !== 0 || i % 14 === 0));
    let matched = 0;
    for (let e = 0; e < 300; e++) {
      const event = randomEvent(random);
      const expected = patterns
        .map((p, i) => (live.has(i) && matches(p, event) ? `r${i}` : undefined))
        .filter((id): id is string => id !== undefined)
        .sort();
      const actual = index.match(event).sort();
      assert.deepEqual(actual, expected, JSON.stringify(event));
      matched += actual.length;
    }
    assert.ok(matched > 100, `the random corpus should produce matches (got ${matched})`);
  });
});

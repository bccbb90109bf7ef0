/**
 * Workflow variables: names, sizes, the parallel assignment of one Assign, and the scopes of
 * Parallel branches and Map iterations.
 * https://states-language.net/spec.html#variables
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StatesError } from "../../src/local/stepfunctions/language/states-error.ts";
import {
  checkAssignment,
  checkVariablesTotal,
  childScope,
  evaluateAssign,
  mergeAssign,
  rootScope,
  visibleVariables,
} from "../../src/local/stepfunctions/language/variables.ts";

const runtime = (error: unknown) => error instanceof StatesError && error.error === "States.Runtime";

describe("variable names and sizes", () => {
  test("names follow Unicode identifiers, up to 80 characters", () => {
    for (const name of ["x", "productName", "año", "n2", "a_b"])
      assert.doesNotThrow(() => checkAssignment({ [name]: 1 }));
    for (const name of ["$x", "2x", "a-b", "", "x".repeat(81)]) {
      assert.throws(() => checkAssignment({ [name]: 1 }), runtime, JSON.stringify(name));
    }
  });

  test("states is reserved", () => {
    assert.throws(() => checkAssignment({ states: 1 }), runtime);
  });

  test("one value may be at most 256 KiB, and so may all the values of one Assign", () => {
    const big = "x".repeat(256 * 1024);
    assert.throws(() => checkAssignment({ v: big }), runtime);
    assert.doesNotThrow(() => checkAssignment({ v: "x".repeat(200 * 1024) }));
    assert.throws(() => checkAssignment({ a: "x".repeat(150 * 1024), b: "x".repeat(150 * 1024) }), runtime);
  });
  test("all of an execution's variables together may be at most 10 MiB", () => {
    const chunk = "x".repeat(200 * 1024);
    const many = Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`v${i}`, chunk]));
    assert.throws(() => checkVariablesTotal(many), runtime);
    assert.doesNotThrow(() => checkVariablesTotal(Object.fromEntries(Object.entries(many).slice(0, 50))));
  });
});

describe("assignment", () => {
  test("every value of one Assign is evaluated against the values at state entry", async () => {
    // The spec's example: x was 5 on entry; Assign {x: 42, newOrOld: $x} sets newOrOld to 5.
    const entry = { x: 5 };
    const assigned = await evaluateAssign({ x: 42, newOrOld: "$x" }, async (key, value) => ({
      name: key,
      value: value === "$x" ? entry.x : value,
    }));
    assert.deepEqual(assigned, { x: 42, newOrOld: 5 });
    const after = mergeAssign(rootScope(entry), assigned);
    assert.deepEqual(visibleVariables(after), { x: 42, newOrOld: 5 });
  });

  test("an Assign that is not an object is refused", async () => {
    await assert.rejects(
      evaluateAssign([1], async (key, value) => ({ name: key, value })),
      runtime,
    );
  });
});

describe("scopes", () => {
  test("a branch or iteration reads the outer variables as they were when it started", () => {
    const outer = mergeAssign(rootScope(), { outer: "hello" });
    const inner = childScope(outer);
    const later = mergeAssign(outer, { outer: 2 });
    assert.deepEqual(visibleVariables(inner), { outer: "hello" });
    assert.deepEqual(visibleVariables(later), { outer: 2 });
  });

  test("an inner scope assigns its own variables, which do not leak out", () => {
    const outer = mergeAssign(rootScope(), { outer: "hello" });
    const inner = mergeAssign(childScope(outer), { inner: "world", hi: "hello" });
    assert.deepEqual(visibleVariables(inner), { outer: "hello", inner: "world", hi: "hello" });
    assert.deepEqual(visibleVariables(outer), { outer: "hello" });
  });

  test("an inner scope cannot assign a variable of an outer scope", () => {
    const outer = mergeAssign(rootScope(), { outer: "hello" });
    assert.throws(() => mergeAssign(childScope(outer), { outer: 1 }), runtime);
    assert.throws(() => mergeAssign(childScope(childScope(outer)), { outer: 1 }), runtime);
  });

  test("a distributed Map's iterations see no outer variables", () => {
    const outer = mergeAssign(rootScope(), { outer: "hello" });
    const inner = childScope(outer, { distributed: true });
    assert.deepEqual(visibleVariables(inner), {});
  });
});

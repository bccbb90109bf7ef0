import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runtimeMismatchNote } from "../../src/cli/runtime-mismatch.ts";
import type { AppSpec, FunctionSpec } from "../../src/model/app-spec.ts";
import { functionSpec } from "../support/specs.ts";

/** Only `functions` is read. */
function appWith(...functions: FunctionSpec[]): AppSpec {
  return { functions: Object.fromEntries(functions.map((fn) => [fn.name, fn])) } as unknown as AppSpec;
}

describe("runtimeMismatchNote", () => {
  const spec = appWith(
    functionSpec("a", { runtime: "nodejs24.x" }),
    functionSpec("b", { runtime: "nodejs22.x" }),
    functionSpec("c", { runtime: "nodejs24.x" }),
  );

  test("names each runtime whose Node major is not the host's, with its functions, in one line", () => {
    const note = runtimeMismatchNote(spec, "20.20.2") ?? "";
    assert.doesNotMatch(note, /\n/);
    assert.match(note, /^note: functions run on this machine's Node\.js 20\.20\.2, /);
    assert.ok(note.includes("major: nodejs24.x (Node.js 24): a, c; nodejs22.x (Node.js 22): b."), note);
  });

  test("leaves out the runtime the host matches", () => {
    const note = runtimeMismatchNote(spec, "v24.11.1") ?? "";
    assert.ok(note.includes("major: nodejs22.x (Node.js 22): b."), note);
    assert.doesNotMatch(note, /nodejs24\.x/);
  });

  test("says nothing when every function's runtime matches the host", () => {
    assert.equal(
      runtimeMismatchNote(appWith(functionSpec("b", { runtime: "nodejs22.x" })), "22.13.0"),
      undefined,
    );
  });
});

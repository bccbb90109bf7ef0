import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LIMITS, RUNTIMES } from "../../src/model/limits.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { base, issuesOf, setPath } from "../support/model-validate.ts";

function withRuntime(path: string, runtime: unknown) {
  const definition = base();
  setPath(definition, path, runtime);
  return definition;
}

describe("the runtime rule", () => {
  test("defaults to nodejs24.x, the newest Node.js runtime Lambda offers", () => {
    assert.equal(normaliseApp(base()).functions.work?.runtime, "nodejs24.x");
    assert.equal(LIMITS.lambda.runtime.default, "nodejs24.x");
  });

  test("accepts nodejs22.x and nodejs24.x", () => {
    for (const runtime of ["nodejs22.x", "nodejs24.x"]) {
      const spec = normaliseApp(withRuntime("functions.work.runtime", runtime));
      assert.equal(spec.functions.work?.runtime, runtime);
    }
  });

  test("refuses nodejs20.x on a function, saying Lambda blocks creating it and what to use", () => {
    const issues = issuesOf(withRuntime("functions.work.runtime", "nodejs20.x"));
    assert.equal(issues.length, 1);
    const [issue] = issues;
    assert.equal(issue?.path, "functions.work.runtime");
    assert.equal(issue?.value, "nodejs20.x");
    assert.match(issue?.message ?? "", /Lambda blocks creating nodejs20\.x functions since 2026-08-31/);
    assert.match(issue?.message ?? "", /end of life on 2026-04-30/);
    assert.match(issue?.message ?? "", /lambda-runtimes\.html/);
    assert.equal(issue?.allowed, 'one of "nodejs24.x", "nodejs22.x"');
    assert.match(issue?.fix ?? "", /^set runtime: "nodejs24\.x" \(or "nodejs22\.x"\)/);
  });

  test("refuses nodejs20.x in defaults at defaults.runtime", () => {
    const issues = issuesOf(withRuntime("defaults.runtime", "nodejs20.x"));
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["defaults.runtime"],
    );
    assert.match(issues[0]?.message ?? "", /2026-08-31/);
  });

  test("the runtimes table dates each runtime from AWS's runtimes page", () => {
    for (const [identifier, row] of Object.entries(RUNTIMES)) {
      assert.match(row.docs, /^https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/lambda-runtimes\.html/);
      assert.equal(identifier, `nodejs${row.nodeMajor}.x`);
    }
    for (const runtime of LIMITS.lambda.runtime.values) assert.ok(runtime in RUNTIMES, runtime);
    assert.deepEqual(
      [RUNTIMES["nodejs20.x"].deprecation, RUNTIMES["nodejs20.x"].blockCreate],
      ["2026-04-30", "2026-08-31"],
    );
  });
});

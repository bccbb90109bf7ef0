/** Shared by the model-validate-*.test.ts files: a valid base definition and a case runner. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, type ConfigIssue } from "../../src/model/config-error.ts";
import { type NormaliseOptions, normaliseApp } from "../../src/model/normalise.ts";

export type Obj = Record<string, unknown>;

/** A valid definition each case breaks in one place. */
export function base(): Obj {
  return {
    name: "app",
    queues: { jobs: {} },
    functions: { work: { handler: "src/work.handler", consumes: { queue: "jobs" } } },
  };
}

export function issuesOf(definition: unknown, options?: NormaliseOptions): readonly ConfigIssue[] {
  try {
    normaliseApp(definition, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail("expected normaliseApp to reject the definition");
}

/** Sets `value` at a dotted path, creating objects on the way; undefined deletes the key. */
export function setPath(target: Obj, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  let node = target;
  for (const key of keys) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Obj;
  }
  if (value === undefined) delete node[last];
  else node[last] = value;
}

export interface Case {
  readonly rule: string;
  /** Dotted paths to set on the base definition; the last one is where the issue is expected. */
  readonly set?: Readonly<Record<string, unknown>>;
  /** For changes `set` cannot express; a returned value other than undefined replaces the definition. */
  readonly change?: (definition: Obj) => unknown;
  /** Where the issue is expected. @default the last key of `set` */
  readonly path?: string;
  /** The value the issue reports. @default the value set at `path` */
  readonly value?: unknown;
  /** Text the message, allowed or fix must contain. */
  readonly mentions?: string;
  readonly options?: NormaliseOptions;
}

/** One test per case: the change yields exactly one issue, at the right path, with the value found. */
export function runCases(cases: readonly Case[]): void {
  for (const item of cases) {
    const set = item.set ?? {};
    const path = item.path ?? Object.keys(set).at(-1) ?? "";
    const value = "value" in item ? item.value : set[path];
    test(`reports ${item.rule} at ${path}`, () => {
      let definition: unknown = base();
      for (const [at, v] of Object.entries(set)) setPath(definition as Obj, at, v);
      const replaced = item.change?.(definition as Obj);
      if (replaced !== undefined) definition = replaced;
      const issues = issuesOf(definition, item.options);
      const listed = issues.map((i) => `${i.path}: ${i.message}`).join("\n");
      assert.equal(issues.length, 1, `expected one issue, got:\n${listed}`);
      const [issue] = issues;
      assert.equal(issue?.path, path);
      assert.deepEqual(issue?.value, value);
      for (const field of ["message", "allowed", "fix"] as const)
        assert.ok(issue?.[field], `issue has a ${field}`);
      if (item.mentions !== undefined) {
        const text = `${issue?.message} ${issue?.allowed} ${issue?.fix}`;
        assert.ok(text.includes(item.mentions), `expected "${item.mentions}" in: ${text}`);
      }
    });
  }
}

/**
 * The layering check (scripts/check-layers.mjs) fails on each kind of forbidden import and names
 * the file and the rule; each fixture under test/fixtures/layering/ holds one violation, and
 * `clean` holds the shapes that look like violations but are allowed.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { checkTree } from "../../scripts/layers/check-tree.mjs";

const FIXTURES = resolve(import.meta.dirname, "..", "fixtures", "layering");

interface Case {
  readonly fixture: string;
  readonly file: string;
  readonly rule: string;
  /** Words the message must contain, e.g. the kind of import it judged. */
  readonly says: string;
}

const CASES: readonly Case[] = [
  { fixture: "wrong-layer", file: "model/types.ts", rule: "layer", says: "model must not import local" },
  {
    fixture: "runtime-value",
    file: "runtime/batch.ts",
    rule: "layer",
    says: "runtime must not import model except its types",
  },
  { fixture: "forbidden-package", file: "model/bundle.ts", rule: "package", says: "the package esbuild" },
  { fixture: "forbidden-builtin", file: "model/read.ts", rule: "builtin", says: "node:fs" },
  {
    fixture: "dynamic-import",
    file: "model/load.ts",
    rule: "layer",
    says: 'dynamic import() "../local/sqs/index.ts"',
  },
  { fixture: "computed-import", file: "model/load.ts", rule: "dynamic-import", says: "computed specifier" },
  { fixture: "side-effect-import", file: "model/setup.ts", rule: "layer", says: "side-effect import" },
  { fixture: "export-from", file: "model/all.ts", rule: "layer", says: "export from" },
  { fixture: "require", file: "local/sqs/load.ts", rule: "require", says: "createRequire" },
  {
    fixture: "surface-internal",
    file: "local/events/bus.ts",
    rule: "surface-index",
    says: "local/sqs past its index.ts",
  },
  { fixture: "folder-cycle", file: "local/", rule: "folder-cycle", says: "local/events <-> local/sqs" },
  {
    fixture: "file-cycle",
    file: "local/sqs/",
    rule: "file-cycle",
    says: "local/sqs/queue.ts <-> local/sqs/receiver.ts",
  },
  {
    fixture: "value-file",
    file: "model/routing/route-delivery.ts",
    rule: "layer",
    says: "runtime takes values from this file: it may import values only from",
  },
  {
    fixture: "literal-partition",
    file: "local/sqs/queue.ts",
    rule: "literal-partition",
    says: "arn:aws:sqs:",
  },
];

describe("layering check", () => {
  test("passes a tree that keeps every rule, whatever its comments, XML namespaces and principals say", () => {
    const { files, problems } = checkTree(join(FIXTURES, "clean"));
    assert.deepEqual(problems, []);
    assert.equal(files, 9);
  });

  for (const { fixture, file, rule, says } of CASES) {
    test(`fails on ${fixture}, naming the file and the rule`, () => {
      const { problems } = checkTree(join(FIXTURES, fixture));
      assert.ok(problems.length > 0, `${fixture} passed`);
      for (const problem of problems) assert.equal(problem.rule, rule, problem.message);
      const named = problems.find(
        (problem) => problem.file.includes(join(fixture, file)) && problem.message.includes(says),
      );
      assert.ok(
        named,
        `no problem names ${file} and says "${says}":\n${problems.map((p) => `${p.file}: ${p.message}`).join("\n")}`,
      );
    });
  }

  test("counts an amazonaws.com host as a literal partition, as it does arn:aws:", () => {
    const lines = checkTree(join(FIXTURES, "literal-partition")).problems.map((problem) => problem.line);
    assert.deepEqual(lines, [2, 3]);
  });

  test("counts type-only imports in a folder cycle and names an import of each direction", () => {
    const [cycle] = checkTree(join(FIXTURES, "folder-cycle")).problems;
    assert.ok(cycle);
    assert.match(cycle.message, /local\/events\/relay\.ts:1 import "\.\.\/sqs\/index\.ts"/);
    assert.match(cycle.message, /local\/sqs\/queue\.ts:1 type import "\.\.\/events\/index\.ts"/);
  });
});

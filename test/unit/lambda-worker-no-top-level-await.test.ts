/**
 * The execution environment's module, and every module it imports statically, must not use a
 * top-level await. A top-level await makes a module async, and a worker terminated while an async
 * module evaluates can abort the whole process in V8 ("Check failed: (location_) != nullptr" in
 * SourceTextModule::ExecuteAsyncModule, nodejs/node#53238): `npm test` once died of it, and so
 * would `sluice dev` on a reload that ends an environment still starting.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, test } from "node:test";
import ts from "typescript";

const WORKER = resolve(import.meta.dirname, "../../src/local/lambda/worker/worker.ts");

/** `file:line` of each await outside any function, in the TypeScript source `text`. */
function topLevelAwaits(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return;
    const awaits =
      ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined);
    if (awaits) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${file}:${line + 1}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The relative modules `file` imports statically (type-only imports left out). */
function staticImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith(".")) {
      imports.push(join(dirname(file), specifier.text));
    }
  }
  return imports;
}

describe("the Lambda worker's modules", () => {
  test("the finder sees a top-level await and for await, and none inside functions", () => {
    const text = [
      "const a = await f();",
      "for await (const x of xs) g(x);",
      "async function h() { await f(); }",
      "const k = async () => { await f(); };",
      "class C { async m() { await f(); } }",
    ].join("\n");
    assert.deepEqual(topLevelAwaits("x.ts", text), ["x.ts:1", "x.ts:2"]);
  });

  test("have no top-level await, worker.ts and everything it imports statically", () => {
    const seen = new Set<string>();
    const queue = [WORKER];
    const found: string[] = [];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      found.push(...topLevelAwaits(file, text));
      queue.push(...staticImports(file, text));
    }
    // The walk reached the worker's own helpers and the shared protocol, not just worker.ts.
    assert.ok(seen.size >= 4, [...seen].join(", "));
    assert.deepEqual(found, []);
  });
});

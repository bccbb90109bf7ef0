/**
 * One name, one thing: no two modules of src/ export a type, interface, class or enum of the same
 * name, so a reader (and an auto-import) never has to ask which `Router` or `Template` is meant.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { test } from "node:test";

const ROOT = resolve(import.meta.dirname, "..", "..");
const DECLARATION =
  /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:interface|type|class|enum)\s+([A-Za-z_$][\w$]*)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Exported type names declared in more than one file, with the files. */
function duplicateTypeNames(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [file, source] of files) {
    for (const m of source.matchAll(DECLARATION)) {
      const name = String(m[1]);
      byName.set(name, [...(byName.get(name) ?? []), file]);
    }
  }
  return new Map([...byName].filter(([, where]) => where.length > 1));
}

test("finds a type name that two files export", () => {
  const files = new Map([
    ["a.ts", "export interface Router {}\nexport type Only = 1;"],
    ["b.ts", "export class Router {}"],
  ]);
  assert.deepEqual([...duplicateTypeNames(files)], [["Router", ["a.ts", "b.ts"]]]);
});

test("src/ exports each type name from one file only", () => {
  const src = join(ROOT, "src");
  const files = new Map(sourceFiles(src).map((f) => [relative(ROOT, f), readFileSync(f, "utf8")]));
  assert.deepEqual(Object.fromEntries(duplicateTypeNames(files)), {});
});

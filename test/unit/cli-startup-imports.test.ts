/**
 * What the CLI loads before any command runs, and what `sluice dev` loads before it starts: the
 * modules reachable from an entry through static imports (type-only imports erase; `import()` and
 * local/lazy-packages.ts load later), followed through src/. A library a surface needs only once
 * it is used costs every start when a static import of it creeps back in: spawn to first 200 went
 * from ~220 ms to ~1 s that way without anyone noticing (docs/benchmarks.md, session 14).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { packageOf, parseFile } from "../../scripts/layers/parse-file.mjs";

const SRC = resolve(import.meta.dirname, "..", "..", "src");
const LOADED_AT_ONCE = new Set(["import", "side-effect", "export-from"]);

/** Each npm package the entry loads at once, with the chain of source files that imports it. */
function packagesLoadedBy(entry: string): Map<string, string> {
  const chains = new Map<string, string>([[resolve(SRC, entry), entry]]);
  const queue = [resolve(SRC, entry)];
  const packages = new Map<string, string>();
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const chain = chains.get(file) as string;
    for (const fact of parseFile(file, readFileSync(file, "utf8")).imports) {
      if (!LOADED_AT_ONCE.has(fact.kind) || fact.specifier.startsWith("node:")) continue;
      if (fact.specifier.startsWith(".")) {
        const target = resolve(dirname(file), fact.specifier);
        assert.ok(existsSync(target), `${relative(SRC, file)} imports ${fact.specifier}, which is not there`);
        if (chains.has(target)) continue;
        chains.set(target, `${chain} → ${relative(SRC, target)}`);
        queue.push(target);
        continue;
      }
      const name = packageOf(fact.specifier);
      if (!packages.has(name)) packages.set(name, chain);
    }
  }
  return packages;
}

test("the CLI loads no package before a command runs: each command's module loads when it runs", () => {
  assert.deepEqual(Object.fromEntries(packagesLoadedBy(join("cli", "main.ts"))), {});
});

test("sluice dev starts without the libraries only some apps use, and without the AWS SDK", () => {
  const loaded = packagesLoadedBy(join("cli", "commands", "dev.ts"));
  // Each is loaded by the surface that needs it, when it is first used.
  const later = [
    "@aws-sdk/",
    "@smithy/",
    "node-forge",
    "dns2",
    "ws",
    "jsonata",
    "jsonpath-plus",
    "asl-validator",
    "ajv",
    "fflate",
  ];
  const early = [...loaded].filter(([name]) => later.some((lazy) => name === lazy || name.startsWith(lazy)));
  assert.deepEqual(
    early.map(([name, chain]) => `${name}, by ${chain}`),
    [],
    "a static import of a library dev needs only later",
  );
  // What dev does need at once: the bundler and the state file's driver.
  for (const needed of ["esbuild", "better-sqlite3"]) assert.ok(loaded.has(needed), `${needed} is loaded`);
});

/**
 * The test tiers stay what the docs say they are: a unit test runs in the test process alone (no
 * worker threads, no child processes, no sockets; temp files and esbuild's compile of a fixture
 * config are fine), and every npm script that runs tests bounds each test, so a hang fails. The
 * conformance tier (test/conformance) uses sockets like integration tests, runs in `npm test`, and
 * reaches its app only through the conformance target, so the same suite can run against AWS.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, test } from "node:test";

const ROOT = resolve(import.meta.dirname, "..", "..");
const UNIT = join(ROOT, "test", "unit");
const CONFORMANCE = join(ROOT, "test", "conformance");
const TARGET = "test/support/conformance/target.ts";

/**
 * Value imports that start threads, processes or servers, by specifier or by file. A LocalCloud
 * without background work and without invocations starts none, so it is not listed; the rigs that
 * run functions in it are.
 */
const FORBIDDEN = [
  "node:child_process",
  "node:worker_threads",
  "node:http",
  "node:https",
  "node:net",
  "node:dgram",
  "ws",
  "src/local/lambda/lambda-service.ts",
  "src/local/cloud-host/cloud-host.ts",
  "src/local/api-servers.ts",
  "src/dev/dev-session.ts",
  "test/support/async-invoke-rig.ts",
  "test/support/event-source-rig.ts",
  "test/support/lambda-rig.ts",
];

/** Non-type import specifiers of a module (static, dynamic and side-effect imports). */
function valueImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^import\s+(?!type\s)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
    found.push(String(m[1]));
  }
  for (const m of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push(String(m[1]));
  return found;
}

/** What a file reaches that it may not, following its imports through test/ (not into src/). */
function forbiddenReach(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const hits: string[] = [];
  for (const spec of valueImports(readFileSync(file, "utf8"))) {
    const target = spec.startsWith(".") ? resolve(dirname(file), spec) : spec;
    const name = spec.startsWith(".") ? target.slice(ROOT.length + 1) : spec;
    if (FORBIDDEN.includes(name)) hits.push(`${file.slice(ROOT.length + 1)} imports ${name}`);
    else if (name.startsWith("test/") && target.endsWith(".ts")) hits.push(...forbiddenReach(target, seen));
  }
  return hits;
}

describe("test tiers", () => {
  test("the import scan sees value, side-effect and dynamic imports, and skips type-only ones", () => {
    const source = [
      'import { spawn } from "node:child_process";',
      'import type { Server } from "node:http";',
      'import "node:worker_threads";',
      // Split so that this file's own scan does not see a dynamic import here.
      "const ws = await import" + '("ws");',
    ].join("\n");
    assert.deepEqual(valueImports(source), ["node:child_process", "node:worker_threads", "ws"]);
  });

  test("unit tests start no worker threads, child processes or servers", () => {
    const files = readdirSync(UNIT).filter((name) => name.endsWith(".test.ts"));
    const hits = files.flatMap((name) => forbiddenReach(join(UNIT, name)));
    assert.deepEqual(hits, [], "move these tests to test/integration");
  });

  test("conformance suites run in npm test and test:conformance, and reach their app only through the target", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const name of ["test", "test:conformance"])
      assert.match(
        scripts[name] ?? "",
        / test\/conformance\/\*\.test\.ts\b/,
        `${name} runs the conformance tier`,
      );
    const files = readdirSync(CONFORMANCE).filter((name) => name.endsWith(".test.ts"));
    assert.ok(files.length >= 5, "one suite per surface");
    for (const name of files) {
      const file = join(CONFORMANCE, name);
      const source = readFileSync(file, "utf8");
      const imports = valueImports(source).map((spec) =>
        spec.startsWith(".") ? resolve(dirname(file), spec).slice(ROOT.length + 1) : spec,
      );
      assert.ok(imports.includes(TARGET), `${name} starts its app through ${TARGET}`);
      for (const direct of [
        "src/dev/dev-session.ts",
        "test/support/api-servers.ts",
        "src/local/clock/clock.ts",
      ])
        assert.ok(!imports.includes(direct), `${name} imports ${direct}: go through the target`);
      // A test that cannot run on AWS says so in its name and skips only through the target.
      assert.doesNotMatch(source, /\bskip\s*:/, `${name} skips a test other than through t.localOnly()`);
      const named = [...source.matchAll(/test\(\s*"([^"]+)",\s*\w+\.localOnly\(\)/g)];
      for (const m of named)
        assert.match(String(m[1]), /\(local-only: .+\)$/, `${name}: a local-only test says why in its name`);
      assert.equal(
        named.length,
        source.match(/\.localOnly\(\)/g)?.length ?? 0,
        `${name}: pass localOnly() as a test's options, right after its name`,
      );
    }
  });

  test("every npm script that runs tests bounds each test with --test-timeout", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const running = Object.entries(scripts).filter(([, command]) => / --test\b/.test(command));
    assert.ok(running.length >= 3, "test, test:unit and test:integration");
    for (const [name, command] of running) {
      const timeout = /--test-timeout=(\d+)/.exec(command);
      assert.ok(timeout, `${name} runs tests without --test-timeout`);
      assert.ok(Number(timeout[1]) >= 60_000, `${name}: the bound must stay far above the slowest test`);
    }
  });
});

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { routesModules } from "../../src/bundle/routes-module.ts";

async function routesModule(file: string, name: string): Promise<string | undefined> {
  return (await routesModules(file, [name])).get(name);
}

const dir = mkdtempSync(join(tmpdir(), "sluice-routes-module-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** Imports a generated module and returns its default export. */
async function load(source: string, name: string): Promise<unknown> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  return ((await import(pathToFileURL(file).href)) as { default: unknown }).default;
}

const DEFINITION = (retention: string) => `
import type { Thing } from "./thing.ts";
const label = (n: number): string => \`page-\${n}\`;
function defineApp<T>(app: T): T { return app; }
export default defineApp({
  name: "shop",
  queues: { failures: { retention: "${retention}" } },
  functions: {
    ingest: {
      handler: "src/ingest.handler",
      routes: (error: Error | null, result: { n: number }) =>
        error ? [{ to: "failures", data: error.message }] : [{ to: "render", data: label(result.n) }],
    },
    render: { handler: "src/render.handler", routes: "publish" },
  },
});
`;

describe("a routing function's cut of the definition", () => {
  test("holds the function's routes with the helpers they close over, and works", async () => {
    const source = await routesModule(config("a.config.ts", DEFINITION("14 days")), "ingest");
    assert.ok(source, "the definition's shape is followed");
    const routes = (await load(source, "a")) as (e: Error | null, r: { n: number }) => unknown;
    assert.deepEqual(routes(null, { n: 2 }), [{ to: "render", data: "page-2" }]);
    assert.deepEqual(routes(new Error("boom"), { n: 0 }), [{ to: "failures", data: "boom" }]);
  });

  test("does not change when another part of the definition does", async () => {
    const before = await routesModule(config("b.config.ts", DEFINITION("14 days")), "ingest");
    const after = await routesModule(config("c.config.ts", DEFINITION("7 days")), "ingest");
    assert.ok(before?.includes("page-"));
    assert.equal(before, after);
    assert.equal(before?.includes("retention"), false, "no queue setting is in the cut");
  });

  test("cuts every named function's routes from one read of the definition", async () => {
    const modules = await routesModules(config("f.config.ts", DEFINITION("1 day")), [
      "ingest",
      "render",
      "missing",
    ]);
    assert.deepEqual([...modules.keys()], ["ingest", "render"]);
    assert.equal(await load(modules.get("render") ?? "", "f"), "publish");
  });

  test("is undefined when the app object is built by code, so the whole definition is bundled", async () => {
    const built = config(
      "d.config.ts",
      `const functions = { ingest: { handler: "h.handler", routes: () => [] } };\nexport default { name: "x", functions };\n`,
    );
    assert.equal(await routesModule(built, "ingest"), undefined);
    assert.equal(await routesModule(config("e.config.ts", DEFINITION("1 day")), "missing"), undefined);
  });
});

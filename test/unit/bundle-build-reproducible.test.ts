import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { buildApp } from "../../src/bundle/build-app.ts";
import { loadApp } from "../../src/bundle/load-app.ts";

const EXAMPLE = resolve(import.meta.dirname, "..", "..", "examples", "pipeline");
const folders: string[] = [];

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-build-"));
  folders.push(dir);
  cpSync(EXAMPLE, dir, { recursive: true, filter: (path) => !path.includes(".sluice") });
  return dir;
}

after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe("sluice build", () => {
  test("two builds, in two folders and two time zones, give byte-identical zips and manifests", async () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = "Pacific/Kiritimati";
      const first = await buildApp(await loadApp(copy()));
      process.env.TZ = "America/Adak";
      const second = await buildApp(await loadApp(copy()));
      assert.deepEqual(Object.keys(first.manifest.functions), ["ingest", "publish", "render", "submit"]);
      for (const name of Object.keys(first.manifest.functions)) {
        const a = readFileSync(join(first.outDir, `${name}.zip`));
        const b = readFileSync(join(second.outDir, `${name}.zip`));
        assert.ok(a.equals(b), `${name}.zip is byte-identical`);
      }
      assert.equal(readFileSync(first.manifestFile, "utf8"), readFileSync(second.manifestFile, "utf8"));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test("records each zip's size and hashes, and each file's, in the manifest", async () => {
    const result = await buildApp(await loadApp(copy()));
    const render = result.manifest.functions.render;
    assert.ok(render);
    const bytes = readFileSync(join(result.outDir, render.zip));
    assert.equal(render.bytes, bytes.length);
    assert.equal(render.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(render.codeSha256, createHash("sha256").update(bytes).digest("base64"));
    assert.deepEqual(
      render.files.map((f) => f.path),
      ["index.mjs", "index.mjs.map"],
    );
    const code = readFileSync(join(result.outDir, "bundles", "render", "index.mjs"));
    assert.equal(render.files[0]?.sha256, createHash("sha256").update(code).digest("hex"));
    assert.equal(
      render.unzippedBytes,
      render.files.reduce((sum, f) => sum + f.bytes, 0),
    );
  });

  test("bundles what dev runs: the wrapped handler, with the route table and the AWS SDK left to Lambda", async () => {
    const result = await buildApp(await loadApp(copy()));
    const file = join(result.outDir, "bundles", "ingest", "index.mjs");
    const source = readFileSync(file, "utf8");
    assert.match(
      source,
      /from "@aws-sdk\/client-sqs"|import\("@aws-sdk\/client-sqs"\)/,
      "the SDK stays external",
    );
    assert.match(source, /"urlVariable":\s*"SLUICE_QUEUE_RENDERS_URL"/);
    const module = (await import(pathToFileURL(file).href)) as { handler: unknown };
    assert.equal(typeof module.handler, "function");
  });
});

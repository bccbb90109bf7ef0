import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadApp } from "../../src/bundle/load-app.ts";
import { ConfigError } from "../../src/model/config-error.ts";
import { tempDir } from "../support/temp.ts";

function app(functions: string, files: Record<string, string>) {
  const temp = tempDir("sluice-handler-files-");
  writeFileSync(
    join(temp.dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";\nexport default defineApp({ name: "h", functions: ${functions} });\n`,
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(temp.dir, file, ".."), { recursive: true });
    writeFileSync(join(temp.dir, file), text);
  }
  return temp;
}

test("a handler naming no file is a validation error with the field's path and the nearest existing file", async () => {
  const temp = app(`{ ingest: { handler: "src/ingset.handler" }, ok: { handler: "src/other.handler" } }`, {
    "src/ingest.ts": "export const handler = async () => 1;\n",
    "src/other.ts": "export const handler = async () => 1;\n",
  });
  try {
    const error = await loadApp(temp.dir).then(
      () => assert.fail("loadApp accepted a handler with no file"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.issues.length, 1);
    const [issue] = error.issues;
    assert.equal(issue?.path, "functions.ingest.handler");
    assert.equal(issue?.value, "src/ingset.handler");
    assert.match(
      issue?.fix ?? "",
      /nearest existing file is src\/ingest\.ts: write handler: "src\/ingest\.handler"/,
    );
    assert.doesNotMatch(error.message, /Could not resolve/);
  } finally {
    temp.cleanup();
  }
});

test("a missing handler with no close file lists the app's source files instead", async () => {
  const temp = app(`{ a: { handler: "lib/zzzzzzzz.handler" } }`, {
    "src/ingest.ts": "export const handler = 1;\n",
  });
  try {
    const error = (await loadApp(temp.dir).catch((e: unknown) => e)) as ConfigError;
    assert.ok(error instanceof ConfigError);
    assert.match(error.issues[0]?.fix ?? "", /create lib\/zzzzzzzz\.ts .*the app has src\/ingest\.ts/);
  } finally {
    temp.cleanup();
  }
});

test("handlers resolve as esbuild resolves them: any JS/TS extension, or a folder's index", async () => {
  const temp = app(
    `{ a: { handler: "src/a.handler" }, b: { handler: "src/b.handler" }, c: { handler: "src/c.handler" } }`,
    {
      "src/a.mjs": "export const handler = 1;\n",
      "src/b/index.ts": "export const handler = 1;\n",
      "src/c.tsx": "export const handler = 1;\n",
    },
  );
  try {
    const loaded = await loadApp(temp.dir);
    assert.deepEqual(Object.keys(loaded.spec.functions), ["a", "b", "c"]);
  } finally {
    temp.cleanup();
  }
});

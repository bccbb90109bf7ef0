import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { bundleFunctions } from "../../src/bundle/bundle-functions.ts";
import { isServiceStopped } from "../../src/bundle/esbuild-service.ts";
import { loadApp } from "../../src/bundle/load-app.ts";
import { tempDir } from "../support/temp.ts";

test("loading lists the definition and what it imports; each bundle lists the files it was built from", async () => {
  const temp = tempDir("sluice-inputs-");
  const write = (file: string, text: string) => {
    mkdirSync(join(temp.dir, file, ".."), { recursive: true });
    writeFileSync(join(temp.dir, file), text);
  };
  write(
    "sluice.config.ts",
    `import { defineApp } from "sluice";\nimport { NAME } from "./names.ts";\n` +
      `export default defineApp({ name: NAME, functions: { a: { handler: "src/a.handler" }, b: { handler: "src/b.handler" } } });\n`,
  );
  write("names.ts", `export const NAME = "inputs";\n`);
  write("src/a.ts", `import { shared } from "./shared.ts";\nexport const handler = async () => shared;\n`);
  write("src/shared.ts", "export const shared = 1;\n");
  write("src/b.ts", "export const handler = async () => 2;\n");
  write("dev.log", "not an input\n");
  try {
    const app = await loadApp(temp.dir);
    assert.ok(app.inputs.includes(join(temp.dir, "sluice.config.ts")));
    assert.ok(app.inputs.includes(join(temp.dir, "names.ts")));
    const bundles = await bundleFunctions(app.spec, {
      dir: app.dir,
      configFile: app.configFile,
      outDir: join(temp.dir, ".sluice", "out"),
    });
    const inputs = Object.fromEntries(
      bundles.map((b) => [b.function, b.inputs.filter((f) => f.startsWith(join(temp.dir, "src")))]),
    );
    assert.deepEqual(inputs, {
      a: [join(temp.dir, "src", "a.ts"), join(temp.dir, "src", "shared.ts")].sort(),
      b: [join(temp.dir, "src", "b.ts")],
    });
    for (const b of bundles) assert.ok(b.inputs.every((f) => !f.includes("sluice-entry")));
  } finally {
    temp.cleanup();
  }
});

test("esbuild's dead-service errors are told apart from build errors", () => {
  assert.equal(isServiceStopped(new Error("The service was stopped: write EPIPE")), true);
  assert.equal(isServiceStopped(new Error("The service is no longer running")), true);
  assert.equal(isServiceStopped({ errors: [{ text: "The service was stopped" }] }), true);
  assert.equal(
    isServiceStopped({ message: "Build failed", errors: [{ text: 'Could not resolve "./x"' }] }),
    false,
  );
});

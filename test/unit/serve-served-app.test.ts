import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readServedApp } from "../../src/serve/served-app.ts";
import { tempDir } from "../support/temp.ts";

/** A folder as an unzipped artifact holds it, with no functions, for the fleet `fleet`. */
function folder(fleet: string): { dir: string; cleanup: () => void } {
  const temp = tempDir("sluice-served-app-");
  const spec = {
    name: "shop",
    region: "us-east-1",
    accountId: "000000000000",
    functions: {},
    queues: {},
    servers: {},
  };
  writeFileSync(join(temp.dir, "app.json"), JSON.stringify({ format: 1, spec }));
  writeFileSync(join(temp.dir, "manifest.json"), JSON.stringify({ app: "shop", fleet, functions: {} }));
  return temp;
}

test("a fleet name from manifest.json is looked up as the spec's own fleet, never an inherited property", (t) => {
  for (const fleet of ["__proto__", "constructor", "toString", "web"]) {
    const app = folder(fleet);
    t.after(app.cleanup);
    assert.throws(
      () => readServedApp(app.dir),
      (error: Error & { code?: string }) =>
        error.code === "SLUICE_SERVED_APP" && error.message.includes("which the app does not define"),
      fleet,
    );
  }
});

/**
 * The console page's files (local/console/console-assets.ts): found beside the module when run
 * from source, and a package without them fails at start with a message naming what is missing.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { consoleAssetsDir, loadConsoleAssets } from "../../src/local/console/index.ts";
import { tempDir } from "../support/temp.ts";

describe("the console's files", () => {
  test("are read from the folder beside the module", () => {
    assert.equal(consoleAssetsDir(), join(process.cwd(), "src", "local", "console", "assets/"));
    const assets = loadConsoleAssets();
    assert.match(assets["console.html"].toString("utf8"), /<html/i);
    assert.ok(assets["console.js"].length > 0 && assets["console.css"].length > 0);
  });

  test("missing ones fail at start, each named, with how to fix it", (t) => {
    const empty = tempDir("sluice-console-assets-");
    t.after(() => empty.cleanup());
    writeFileSync(join(empty.dir, "console.html"), "<html></html>");
    assert.throws(
      () => loadConsoleAssets(empty.dir),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, "SLUICE_CONSOLE_ASSETS_MISSING");
        assert.match(error.message, /console\.css, console\.js are missing from /);
        assert.match(error.message, /rebuild or reinstall/);
        return true;
      },
    );
  });
});

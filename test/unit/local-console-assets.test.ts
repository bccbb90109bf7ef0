/**
 * The console page's files (local/console/console-assets.ts): found beside the module when run
 * from source, and a package without them fails at start with a message naming what is missing.
 */
import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  CONSOLE_FILES,
  type ConsoleFile,
  consoleAssetsDir,
  loadConsoleAssets,
} from "../../src/local/console/index.ts";
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
        assert.match(
          error.message,
          /console\.css, traces\.css, actions\.css, console\.js, api\.js, dom\.js, graph\.js, list\.js, timeline\.js, actions\.js are missing from /,
        );
        assert.match(error.message, /rebuild or reinstall/);
        return true;
      },
    );
  });
});

describe("the console's script modules", () => {
  const assets = loadConsoleAssets();
  const names = Object.keys(CONSOLE_FILES);

  test("each file is small enough to read, and every module and stylesheet the page asks for is served", () => {
    for (const name of names) {
      const lines = assets[name as ConsoleFile].toString("utf8").split("\n").length;
      assert.ok(lines <= 300, `${name} has ${lines} lines`);
    }
    for (const name of names.filter((n) => n.endsWith(".js"))) {
      const text = assets[name as ConsoleFile].toString("utf8");
      for (const [, imported] of text.matchAll(/\bfrom\s+"\.\/([^"]+)"/g))
        assert.ok(names.includes(imported as string), `${name} imports ${imported}, which is not served`);
    }
    for (const [, sheet] of assets["console.html"]
      .toString("utf8")
      .matchAll(/<link rel="stylesheet" href="([^"]+)">/g))
      assert.ok(names.includes(sheet as string), `console.html links ${sheet}, which is not served`);
  });

  test("the served names are the folder's files, all of them and nothing else", () => {
    assert.deepEqual(readdirSync(consoleAssetsDir()).sort(), [...names].sort());
    assert.match(assets["console.html"].toString("utf8"), /<script type="module" src="console\.js">/);
  });
});

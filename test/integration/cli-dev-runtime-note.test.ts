import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ROOT, startDev } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const HOST_MAJOR = Number(process.versions.node.split(".")[0]);

describe("sluice dev on a host whose Node differs from a function's runtime", { timeout: 120_000 }, () => {
  const app = copyApp(join(ROOT, "test", "fixtures", "apps", "reload"));
  after(() => app.cleanup());

  test("says so once at start, in one line naming each such runtime and its functions", async () => {
    writeFileSync(
      join(app.dir, "sluice.config.ts"),
      [
        'import { defineApp } from "sluice";',
        "export default defineApp({",
        '  name: "runtimes",',
        "  functions: {",
        '    newest: { handler: "src/version.handler" },',
        '    older: { handler: "src/version.handler", runtime: "nodejs22.x" },',
        "  },",
        "});",
        "",
      ].join("\n"),
    );
    const dev = await startDev(app.dir);
    try {
      const expected = [
        ...(HOST_MAJOR === 24 ? [] : ["nodejs24.x (Node.js 24): newest"]),
        ...(HOST_MAJOR === 22 ? [] : ["nodejs22.x (Node.js 22): older"]),
      ];
      const line = await dev.waitForLine(/^note: functions run on this machine's Node\.js/);
      assert.match(line, new RegExp(`Node\\.js ${process.versions.node.replaceAll(".", "\\.")},`));
      assert.ok(line.includes(`major: ${expected.join("; ")}.`), line);
      assert.equal(dev.lines.filter((l) => l.startsWith("note: functions run on")).length, 1);
    } finally {
      await dev.stop();
    }
  });
});

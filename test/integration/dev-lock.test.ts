import assert from "node:assert/strict";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { ROOT, sluice, startDev } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const RELOAD = join(ROOT, "test", "fixtures", "apps", "reload");

describe("one sluice dev per app", { timeout: 120_000 }, () => {
  test("a second dev on the same app exits 1 naming the running one's pid and endpoint", async (t) => {
    const app = copyApp(RELOAD);
    const first = await startDev(app.dir);
    t.after(async () => {
      await first.stop();
      app.cleanup();
    });
    const state = readDevState(join(app.dir, ".sluice"));
    assert.ok(state);
    const second = await sluice(["dev", app.dir, "--no-watch"]);
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`already running for this app \\(pid ${first.child.pid}, endpoint ${state.url}\\)`),
    );
    assert.doesNotMatch(second.stderr, /internal error|\n\s+at /);
    // The first one still owns the app.
    assert.equal(readDevState(join(app.dir, ".sluice"))?.pid, first.child.pid);
  });

  test("a lock left by a killed dev is taken over", async (t) => {
    const app = copyApp(RELOAD);
    t.after(() => app.cleanup());
    const killed = await startDev(app.dir);
    await killed.stop("SIGKILL");
    const next = await startDev(app.dir);
    t.after(() => next.stop());
    assert.equal(readDevState(join(app.dir, ".sluice"))?.pid, next.child.pid);
  });
});

describe("a port in use", { timeout: 120_000 }, () => {
  for (const flag of ["--port", "--http-port", "--ws-port"]) {
    test(`${flag} taken: says which option's port and how to choose another; exit 1, no stack`, async (t) => {
      const app = copyApp(join(ROOT, "test", "fixtures", "apps", flag === "--port" ? "reload" : "api"));
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
      t.after(async () => {
        await new Promise((resolve) => blocker.close(resolve));
        app.cleanup();
      });
      const port = (blocker.address() as { port: number }).port;
      const result = await sluice(["dev", app.dir, "--no-watch", flag, String(port)]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        new RegExp(
          `${flag} ${port}: port ${port} on 127\\.0\\.0\\.1 is already in use.*Choose another with ${flag} PORT`,
        ),
      );
      assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
    });
  }
});

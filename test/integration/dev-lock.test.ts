import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { acquireDevLock } from "../../src/dev/dev-lock.ts";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { SluiceError } from "../../src/model/errors.ts";
import { ROOT, sluice, startDev } from "../support/cli-process.ts";
import { copyApp, tempDir } from "../support/temp.ts";

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

describe("a dev lock whose pid now belongs to another process", {
  timeout: 60_000,
  skip: !existsSync("/proc/self/stat"),
}, () => {
  /** A live process that is not a dev: its pid stands for one the system handed out again. */
  async function otherProcess(t: { after: (fn: () => void) => void }): Promise<number> {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 60_000)"], { stdio: "ignore" });
    t.after(() => child.kill("SIGKILL"));
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
    assert.ok(child.pid);
    return child.pid;
  }

  test("a lock that names a live pid started after the lock's holder is stale and taken over", async (t) => {
    const pid = await otherProcess(t);
    const temp = tempDir("sluice-lock-reused-");
    t.after(() => temp.cleanup());
    const stateDir = join(temp.dir, ".sluice");
    // The holder recorded as that pid, and as whatever started it: a dev that is gone.
    acquireDevLock(stateDir, pid);
    const lockFile = join(stateDir, "dev.lock");
    const recorded = JSON.parse(readFileSync(lockFile, "utf8")) as Record<string, unknown>;
    assert.equal(typeof recorded.processStart, "string", "the lock records its holder's start");
    writeFileSync(lockFile, `${JSON.stringify({ ...recorded, processStart: "an earlier process" })}\n`);
    const lock = acquireDevLock(stateDir);
    assert.equal((JSON.parse(readFileSync(lockFile, "utf8")) as { pid: number }).pid, process.pid);
    lock.release();
  });

  test("a lock whose pid and start still match its holder stays held", async (t) => {
    const pid = await otherProcess(t);
    const temp = tempDir("sluice-lock-held-");
    t.after(() => temp.cleanup());
    const stateDir = join(temp.dir, ".sluice");
    acquireDevLock(stateDir, pid);
    assert.throws(
      () => acquireDevLock(stateDir),
      (error: unknown) => error instanceof SluiceError && error.code === "SLUICE_DEV_RUNNING",
    );
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

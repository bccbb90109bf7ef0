import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { acquireDevLock } from "../../src/dev/dev-lock.ts";
import { writeDevState } from "../../src/dev/dev-state-file.ts";
import { SluiceError } from "../../src/model/errors.ts";
import { tempDir } from "../support/temp.ts";

/** Above Linux's pid_max (at most 2^22), so no process has it. */
const DEAD_PID = 2 ** 30;

test("a second dev on the same app is refused, naming the running one's pid and endpoint", () => {
  const temp = tempDir("sluice-lock-");
  const stateDir = join(temp.dir, ".sluice");
  try {
    const lock = acquireDevLock(stateDir);
    writeDevState(stateDir, { pid: process.pid, url: "http://127.0.0.1:4567", startedAt: "", token: "t" });
    assert.throws(
      () => acquireDevLock(stateDir),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.code === "SLUICE_DEV_RUNNING" &&
        error.message.includes(`pid ${process.pid}`) &&
        error.message.includes("http://127.0.0.1:4567"),
    );
    lock.release();
    assert.equal(existsSync(join(stateDir, "dev.lock")), false);
    acquireDevLock(stateDir).release();
  } finally {
    temp.cleanup();
  }
});

test("a lock left by a dev that no longer runs is taken over", () => {
  const temp = tempDir("sluice-lock-");
  const stateDir = join(temp.dir, ".sluice");
  try {
    acquireDevLock(stateDir, DEAD_PID);
    const lock = acquireDevLock(stateDir);
    lock.release();
    writeFileSync(join(stateDir, "dev.lock"), "");
    acquireDevLock(stateDir).release();
  } finally {
    temp.cleanup();
  }
});

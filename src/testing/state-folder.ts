/**
 * Each app's state folder: a new one per `startApp`, removed by `close`. On Linux it goes in
 * `/dev/shm` (memory) when that is there: the state is thrown away after the test, and SQLite's
 * first commits to a new file on disk wait for fsync, which made up most of a start (≈ 80 ms of a
 * bare LocalCloud's open on a virtual disk, under 1 ms in memory; bench/testing.ts).
 */
import { accessSync, constants, mkdtempSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MEMORY_DIR = "/dev/shm";

/** Where the kit makes state folders: `/dev/shm` when writable, else the OS temp folder. */
export function stateRoot(): string {
  try {
    if (process.platform === "linux" && statSync(MEMORY_DIR).isDirectory()) {
      accessSync(MEMORY_DIR, constants.W_OK);
      return MEMORY_DIR;
    }
  } catch {
    // No /dev/shm here (a container without it): the OS temp folder serves.
  }
  return tmpdir();
}

/** A new state folder, `sluice-test-<random>`. */
export function newStateFolder(): string {
  return realpathSync(mkdtempSync(join(stateRoot(), "sluice-test-")));
}

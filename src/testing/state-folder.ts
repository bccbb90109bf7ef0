/**
 * Each app's state folder: a new one per `startApp`, removed by `close`. On Linux it goes in
 * `/dev/shm` (memory) when that is there: the state is thrown away after the test, and SQLite's
 * first commits to a new file on disk wait for fsync, which made up most of a start (≈ 80 ms of a
 * bare LocalCloud's open on a virtual disk, under 1 ms in memory; bench/testing.ts).
 */
import { accessSync, constants, mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MEMORY_DIR = "/dev/shm";

/** Folders made and not yet removed: a test that exits without `close` must not leave them in memory. */
const open = new Set<string>();
let exitArmed = false;

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

/**
 * A new state folder, `sluice-test-<random>`, removed by `removeStateFolder` or, failing that, when
 * the process exits (a test that threw before `close`, `process.exit`). A process killed by a
 * signal runs no exit handler: its folder stays until the machine's next restart clears /dev/shm.
 */
export function newStateFolder(): string {
  const dir = realpathSync(mkdtempSync(join(stateRoot(), "sluice-test-")));
  open.add(dir);
  if (!exitArmed) {
    exitArmed = true;
    process.once("exit", () => {
      for (const folder of open) rmSync(folder, { recursive: true, force: true });
    });
  }
  return dir;
}

export function removeStateFolder(dir: string): void {
  open.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Temp folders and app copies: each test gets its own, so no two share `.sluice` state, and
 * each is removed when the test is done with it.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  readonly dir: string;
  cleanup(): void;
}

/** A fresh folder under the OS temp folder, named `<prefix><random>`. */
export function tempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of an app in a fresh temp folder, without any `.sluice` state it had. */
export function copyApp(source: string, prefix = "sluice-it-"): TempDir {
  const temp = tempDir(prefix);
  cpSync(source, temp.dir, { recursive: true, filter: (path) => !path.includes(".sluice") });
  return temp;
}

import { readdirSync, rmSync } from "node:fs";
import { join, sep } from "node:path";

/**
 * Removes the build folders (`g<N>`) of `root` that no environment can load any more: those two or
 * more builds old, unless a function still runs code from one (its newer code failed to load).
 */
export function removeUnusedBuilds(root: string, generation: number, inUse: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /^g(\d+)$/.exec(entry);
    if (!match || Number(match[1]) > generation - 2) continue;
    const dir = join(root, entry);
    if ([...inUse].some((file) => file.startsWith(dir + sep))) continue;
    rmSync(dir, { recursive: true, force: true });
  }
}

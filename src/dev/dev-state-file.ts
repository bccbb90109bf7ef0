import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DevStateFile {
  readonly pid: number;
  /** The control endpoint of the running `dev`. */
  readonly url: string;
  readonly startedAt: string;
}

const FILE = "dev.json";

/** Where other `sluice` commands find a running `dev` of the same app. */
export function writeDevState(stateDir: string, state: DevStateFile): void {
  writeFileSync(join(stateDir, FILE), `${JSON.stringify(state, null, 2)}\n`);
}

export function readDevState(stateDir: string): DevStateFile | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, FILE), "utf8")) as DevStateFile;
  } catch {
    return undefined;
  }
}

export function removeDevState(stateDir: string, pid: number): void {
  if (readDevState(stateDir)?.pid === pid) rmSync(join(stateDir, FILE), { force: true });
}

import { rmSync } from "node:fs";
import { join } from "node:path";
import { readStateJson, writePrivateJson } from "../local/control/index.ts";

export interface DevStateFile {
  readonly pid: number;
  /** The control endpoint of the running `dev`. */
  readonly url: string;
  readonly startedAt: string;
  /** The control API's token for this session; the file is readable by the user only. */
  readonly token: string;
}

const FILE = "dev.json";

/** Where other `sluice` commands find a running `dev` of the same app (0600, in a 0700 folder). */
export function writeDevState(stateDir: string, state: DevStateFile): void {
  writePrivateJson(stateDir, FILE, state);
}

export function readDevState(stateDir: string): DevStateFile | undefined {
  return readStateJson<DevStateFile>(stateDir, FILE);
}

export function removeDevState(stateDir: string, pid: number): void {
  if (readDevState(stateDir)?.pid === pid) rmSync(join(stateDir, FILE), { force: true });
}

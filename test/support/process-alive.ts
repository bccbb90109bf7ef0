import { readFileSync } from "node:fs";

/** Running: signalable and, where /proc says, not a zombie (an orphan's reaper may be slow or absent). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

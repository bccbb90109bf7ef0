import { readFileSync } from "node:fs";

/**
 * CPU time (user + system, all threads) another process has used so far, in µs; Linux only
 * (undefined elsewhere). Under load a server's CPU per call moves less than its callers' wall
 * time, so the benches print it beside their rates.
 */
export function processCpuUs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

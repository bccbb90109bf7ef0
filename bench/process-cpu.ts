import { readFileSync } from "node:fs";

/**
 * CPU time (user + system, all threads) another process has used so far, in µs; Linux only
 * (undefined elsewhere). Under load a server's CPU per call moves less than its callers' wall
 * time, so the benches print it beside their rates.
 */
export function processCpuUs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statCpuUs(`/proc/${pid}/stat`);
}

/** CPU time of one thread of a process (the main thread's id is the process's), in µs; Linux only. */
export function threadCpuUs(pid: number, tid: number): number | undefined {
  return statCpuUs(`/proc/${pid}/task/${tid}/stat`);
}

function statCpuUs(file: string): number | undefined {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const fields = readFileSync(file, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

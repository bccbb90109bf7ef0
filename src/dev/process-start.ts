/**
 * When a process started, as an identity a reused pid does not share. A pid names a process only
 * while it runs: once it exits the kernel hands the number out again, so a lock that records only a
 * pid would count as held by whatever process got that number next. Linux gives each process's
 * start time in clock ticks since boot (field 22 of /proc/<pid>/stat, proc(5)); with the boot's id
 * (/proc/sys/kernel/random/boot_id) it identifies one process across reboots too.
 */
import { readFileSync } from "node:fs";

/** Fields of /proc/<pid>/stat after `(comm)`: the first is field 3, starttime is field 22. */
const STARTTIME_AFTER_COMM = 22 - 3;

/** `<boot id>:<start ticks>` of a running process, or undefined where /proc does not tell. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = fields[STARTTIME_AFTER_COMM];
    if (ticks === undefined || !/^\d+$/.test(ticks)) return undefined;
    return `${bootId()}:${ticks}`;
  } catch {
    return undefined;
  }
}

function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

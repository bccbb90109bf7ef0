import { type LoadResult, runLoad } from "./http-load.ts";
import { processCpuUs } from "./process-cpu.ts";

/** One server's share of the rounds, with the serving process's CPU time per request in µs. */
export interface RoundsResult extends LoadResult {
  readonly cpuUsPerRequest: number;
}

/**
 * Each server `seconds` in all, in `rounds` rounds taking turns after a warm-up of each, so that a
 * change in the machine's load meets all of them. A server without `pid` serves from this process;
 * another process's CPU (all threads) is read from /proc.
 */
export async function inRounds(
  servers: readonly { readonly url: string; readonly pid?: number | undefined }[],
  options: { rounds: number; seconds: number; warmupSeconds: number; connections: number },
): Promise<RoundsResult[]> {
  const { connections } = options;
  for (const { url } of servers) await runLoad({ url, connections, seconds: options.warmupSeconds });
  const totals = servers.map(() => ({
    requests: 0,
    seconds: 0,
    latenciesMs: [] as number[],
    non200: 0,
    cpuUs: 0,
  }));
  const cpuUs = (pid: number | undefined) => {
    if (pid !== undefined) return processCpuUs(pid) ?? Number.NaN;
    const used = process.cpuUsage();
    return used.user + used.system;
  };
  for (let r = 0; r < options.rounds; r++) {
    for (const [i, { url, pid }] of servers.entries()) {
      const into = totals[i];
      if (!into) continue;
      const before = cpuUs(pid);
      const result = await runLoad({ url, connections, seconds: options.seconds / options.rounds });
      into.cpuUs += cpuUs(pid) - before;
      into.requests += result.requests;
      into.seconds += result.seconds;
      for (const ms of result.latenciesMs) into.latenciesMs.push(ms);
      into.non200 += result.non200;
    }
  }
  return totals.map(({ cpuUs: used, ...result }) => ({ ...result, cpuUsPerRequest: used / result.requests }));
}

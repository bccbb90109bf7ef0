/**
 * The cap on execution environments alive at once, across every function of the local cloud.
 * Lambda would scale to the account's concurrency (1,000), but each environment here is a worker
 * thread on the developer's machine: 500 of them held 4.1 GB of RSS for the ten minutes they stayed
 * warm (issue 11). When an invocation needs a new environment and the cap is reached, the warm
 * environment idle the longest, of any function, makes room; with none idle the invocation is
 * throttled exactly as Lambda throttles above the account's concurrency (429
 * TooManyRequestsException, Reason ConcurrentInvocationLimitExceeded), so callers, the async queue
 * and event source mappings retry as they do for that throttle.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { SluiceError } from "../../model/errors.ts";
import type { Environment } from "./environment.ts";
import { tooManyRequests } from "./errors.ts";
import type { FunctionPool } from "./function-pool.ts";

export class EnvironmentCap {
  constructor(
    readonly max: number,
    private readonly pools: () => readonly FunctionPool[],
  ) {
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new SluiceError(
        "SLUICE_INVALID_MAX_ENVIRONMENTS",
        `maxEnvironments must be a whole number of at least 1; received ${max}. Pass for example 64`,
        { context: { maxEnvironments: max } },
      );
    }
  }

  /** Environments alive now: initialising, busy, warm or provisioned. */
  get live(): number {
    let total = 0;
    for (const pool of this.pools()) total += pool.size;
    return total;
  }

  /** Whether an invocation of `pool` could start now (read-only: pollers ask before receiving). */
  hasRoom(pool: FunctionPool): boolean {
    return pool.hasReady || this.live < this.max || this.longestIdle() !== undefined;
  }

  /**
   * Makes room for an invocation of `pool`: nothing when it has a ready environment or the cap is
   * not reached, else ends the environment idle the longest. Throws Lambda's throttle otherwise.
   */
  admit(pool: FunctionPool): void {
    if (pool.hasReady || this.live < this.max) return;
    const idle = this.longestIdle();
    if (!idle) throw tooManyRequests(pool.fn.name, "ConcurrentInvocationLimitExceeded", this.max);
    // Ending is synchronous for the accounting (the pool forgets it now); the thread exits after.
    void idle.terminate();
  }

  private longestIdle(): Environment | undefined {
    let found: Environment | undefined;
    for (const pool of this.pools()) {
      const env = pool.longestIdle;
      if (env && (found === undefined || env.idleSince < found.idleSince)) found = env;
    }
    return found;
  }
}

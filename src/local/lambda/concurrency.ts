/**
 * Concurrency accounting: a function with reserved concurrency is capped at it; the others share
 * what the reservations leave of the account's quota.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import { tooManyRequests } from "./errors.ts";
import type { FunctionPool } from "./function-pool.ts";
import { ACCOUNT_CONCURRENCY } from "./limits.ts";

export class Concurrency {
  readonly unreservedLimit: number;
  private unreservedBusy = 0;

  constructor(functions: readonly FunctionSpec[]) {
    const reserved = functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
    this.unreservedLimit = Math.max(0, ACCOUNT_CONCURRENCY - reserved);
  }

  admits(pool: FunctionPool): boolean {
    const reserved = pool.fn.reservedConcurrency;
    return reserved === undefined ? this.unreservedBusy < this.unreservedLimit : pool.busy < reserved;
  }

  /** Throws Lambda's throttle (TooManyRequestsException) when `pool` has no room. */
  assertAdmits(pool: FunctionPool): void {
    if (this.admits(pool)) return;
    const { fn } = pool;
    throw fn.reservedConcurrency === undefined
      ? tooManyRequests(fn.name, "ConcurrentInvocationLimitExceeded", this.unreservedLimit)
      : tooManyRequests(fn.name, "ReservedFunctionConcurrentInvocationLimitExceeded", fn.reservedConcurrency);
  }

  enter(pool: FunctionPool): void {
    pool.busy += 1;
    if (pool.fn.reservedConcurrency === undefined) this.unreservedBusy += 1;
  }

  leave(pool: FunctionPool): void {
    pool.busy -= 1;
    if (pool.fn.reservedConcurrency === undefined) this.unreservedBusy -= 1;
  }
}

/**
 * How functions' code becomes active: a first environment when a function is created (activate),
 * and code updates that switch only once the new code initialises, leaving the previous code
 * serving when it does not. Each check is one environment started and ended on purpose.
 */
import { readFileSync } from "node:fs";
import type { FunctionSpec } from "../../model/app-spec.ts";
import type { FunctionCode, FunctionPool } from "./function-pool.ts";
import type { Reason } from "./function-state.ts";
import type { UpdateFailure } from "./types.ts";

/**
 * LastUpdateStatusReasonCode when no package could be produced (the build failed): AWS rejects a
 * broken package with InvalidZipFileException, the closest code it has.
 */
export const BUILD_FAILED = "InvalidZipFileException";

/** Functions whose code is checked at once. */
const CHECK_PARALLELISM = 2;

export interface CodeUpdateDependencies {
  readonly pools: readonly FunctionPool[];
  /** The code a function should run now (a fresh build after a reload). */
  readonly code: (fn: FunctionSpec) => FunctionCode;
  /** Starts an environment on `code` only to see it initialise; undefined when it did. */
  readonly check: (pool: FunctionPool, code: FunctionCode) => Promise<Reason | undefined>;
  readonly closed: () => boolean;
}

export class CodeUpdates {
  constructor(private readonly deps: CodeUpdateDependencies) {}

  /** One environment per function that has none yet: Pending becomes Active or Failed. */
  async activate(): Promise<void> {
    const fresh = this.deps.pools.filter((pool) => pool.loadedCode === undefined && pool.busy === 0);
    await eachLimited(fresh, CHECK_PARALLELISM, async (pool) => {
      const generation = pool.generation;
      let failure: Reason | undefined;
      try {
        failure = await this.deps.check(pool, pool.currentCode());
      } catch (error) {
        failure = { reason: (error as Error).message, code: BUILD_FAILED };
      }
      // An invocation or a reload may have settled the state meanwhile; it knows better.
      if (!this.deps.closed() && pool.generation === generation && pool.busy === 0) {
        pool.status.initialised(failure);
      }
    });
  }

  beginUpdate(): void {
    for (const pool of this.deps.pools) pool.status.beginUpdate();
  }

  async reload(): Promise<readonly UpdateFailure[]> {
    this.beginUpdate();
    const failures: UpdateFailure[] = [];
    await eachLimited(this.deps.pools, CHECK_PARALLELISM, async (pool) => {
      const failure = await this.update(pool);
      if (failure === undefined) return;
      pool.status.updateFailed(failure);
      failures.push({ functionName: pool.fn.name, reason: failure.reason, reasonCode: failure.code });
    });
    return failures;
  }

  /**
   * One function's configuration changed (UpdateFunctionConfiguration): only it goes through an
   * update, on the code it runs now. An environment on the new configuration initialises first
   * (its init may read the variables); once it has, new invocations get new environments.
   */
  async reloadOne(pool: FunctionPool): Promise<UpdateFailure | undefined> {
    pool.status.beginUpdate();
    let failure: Reason | undefined;
    try {
      const code = pool.currentCode();
      failure = await this.deps.check(pool, code);
      if (failure === undefined && !this.deps.closed()) {
        pool.adopt(code);
        pool.status.updateSucceeded();
        return undefined;
      }
    } catch (error) {
      failure = { reason: (error as Error).message, code: BUILD_FAILED };
    }
    if (failure === undefined) return undefined;
    // As Lambda abandons a failed update: environments on the previous code keep serving.
    pool.status.updateFailed(failure);
    return { functionName: pool.fn.name, reason: failure.reason, reasonCode: failure.code };
  }

  failUpdate(reason: string): void {
    for (const pool of this.deps.pools) {
      if (pool.status.updating) pool.status.updateFailed({ reason, code: BUILD_FAILED });
    }
  }

  codeFiles(): ReadonlySet<string> {
    const files = new Set<string>();
    for (const pool of this.deps.pools) {
      if (pool.loadedCode) files.add(pool.loadedCode.file);
    }
    return files;
  }

  /** Switches `pool` to its new code once that code loads; returns why it did not. */
  private async update(pool: FunctionPool): Promise<Reason | undefined> {
    let code: FunctionCode;
    try {
      code = this.deps.code(pool.fn);
    } catch (error) {
      return { reason: (error as Error).message, code: BUILD_FAILED };
    }
    const current = pool.loadedCode;
    // Unchanged code needs no check; it still gets fresh environments, as any update does. Code
    // whose init failed is checked again: unchanged, it fails again, and the function stays Failed.
    const unchanged = current !== undefined && !pool.status.failed && sameCode(current, code);
    const failure = unchanged ? undefined : await this.deps.check(pool, code);
    if (failure !== undefined || this.deps.closed()) return failure;
    pool.adopt(code);
    pool.status.updateSucceeded();
    return undefined;
  }
}

/** Same export of a byte-identical bundle. */
function sameCode(a: FunctionCode, b: FunctionCode): boolean {
  if (a.exportName !== b.exportName || a.transport !== b.transport) return false;
  if (a.file === b.file) return true;
  try {
    return readFileSync(a.file).equals(readFileSync(b.file));
  } catch {
    return false;
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/**
 * The functions of the application by the names callers use: a definition name (`orders`) or the
 * physical name the wire endpoint sees (`app-dev-orders`).
 */
import { partition } from "../../model/naming.ts";
import { functionNotFound } from "./errors.ts";
import type { FunctionPool } from "./function-pool.ts";

export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionPool>();
  /** Each function's ARN, which every invocation's trace header names: built once, not per invoke. */
  private readonly arns = new Map<FunctionPool, string>();

  constructor(
    readonly pools: readonly FunctionPool[],
    private readonly region: string,
    private readonly accountId: string,
  ) {
    // Physical names resolve too; definition names win a clash.
    for (const pool of pools) this.byName.set(pool.fn.functionName, pool);
    for (const pool of pools) this.byName.set(pool.fn.name, pool);
    for (const pool of pools) this.arns.set(pool, this.arn(pool.fn.functionName));
  }

  /** The ARN of a function of this registry (by its physical name, as Lambda names it). */
  arnOf(pool: FunctionPool): string {
    return this.arns.get(pool) ?? this.arn(pool.fn.functionName);
  }

  /** Throws Lambda's ResourceNotFoundException for a name no function has. */
  get(functionName: string): FunctionPool {
    const pool = this.byName.get(functionName);
    if (!pool)
      throw functionNotFound(
        this.arn(functionName),
        this.pools.map((p) => p.fn.name),
      );
    return pool;
  }

  arn(functionName: string): string {
    return functionArn(this.region, this.accountId, functionName);
  }
}

export function functionArn(region: string, accountId: string, functionName: string): string {
  return `arn:${partition(region)}:lambda:${region}:${accountId}:function:${functionName}`;
}

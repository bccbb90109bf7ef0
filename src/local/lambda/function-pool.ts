/**
 * One function's execution environments: the warm ones waiting for work (reused last-in
 * first-out, as Lambda tends to reuse the most recent), the busy ones, and the code generation
 * new environments load. Idle environments are reclaimed on the clock.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import { after, type Clock } from "../clock.ts";
import type { Environment } from "./environment.ts";

export interface FunctionCode {
  readonly file: string;
  readonly exportName: string;
}

export interface PoolDependencies {
  readonly clock: Clock;
  readonly idleTimeoutMs: number;
  readonly code: (fn: FunctionSpec) => FunctionCode;
  readonly create: (pool: FunctionPool, code: FunctionCode) => Environment;
}

export class FunctionPool {
  /** Bumped by reload(); environments of older generations are not reused. */
  generation = 0;
  /** Invocations in progress, including those still initialising their environment. */
  busy = 0;
  private code: FunctionCode | undefined;
  private readonly idle: Environment[] = [];
  private readonly environments = new Set<Environment>();

  constructor(
    readonly fn: FunctionSpec,
    private readonly deps: PoolDependencies,
  ) {}

  get warm(): number {
    return this.idle.length;
  }

  /** A warm environment of the current code, or a new one (a cold start). */
  acquire(): { env: Environment; cold: boolean } {
    const warm = this.idle.pop();
    if (warm) {
      warm.idleTimer?.cancel();
      warm.idleTimer = undefined;
      return { env: warm, cold: false };
    }
    this.code ??= this.deps.code(this.fn);
    const env = this.deps.create(this, this.code);
    this.environments.add(env);
    return { env, cold: true };
  }

  /** Back to the warm set after an invocation; environments of replaced code end instead. */
  release(env: Environment): void {
    if (env.state === "ended") return;
    if (env.generation !== this.generation) {
      void env.terminate();
      return;
    }
    env.state = "idle";
    this.idle.push(env);
    env.idleTimer = after(this.deps.clock, this.deps.idleTimeoutMs, () => {
      env.idleTimer = undefined;
      void env.terminate();
    });
  }

  /** Called by the environment when it ends, for whatever reason. */
  forget(env: Environment): void {
    this.environments.delete(env);
    const index = this.idle.indexOf(env);
    if (index >= 0) this.idle.splice(index, 1);
  }

  /** New invocations get new environments with freshly read code; idle old ones end now. */
  reload(): void {
    this.generation += 1;
    this.code = undefined;
    for (const env of [...this.idle]) void env.terminate();
  }

  async close(): Promise<void> {
    await Promise.all([...this.environments].map((env) => env.terminate()));
  }
}

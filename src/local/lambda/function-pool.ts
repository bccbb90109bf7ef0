/**
 * One function's execution environments: the warm ones waiting for work (reused last-in
 * first-out, as Lambda tends to reuse the most recent), the busy ones, and the code generation
 * new environments load. Idle environments are reclaimed on the clock.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import type { Clock, Deadlines } from "../clock/index.ts";
import type { Environment } from "./environment.ts";
import { FunctionStatus } from "./function-state.ts";
import type { ProvisionedCapacity } from "./provisioned-capacity.ts";

export interface FunctionCode {
  readonly file: string;
  readonly exportName: string;
  /**
   * How the bundle's routing wrapper delivers routes: `local` (a transport the environment installs
   * before the bundle loads; the host's router sends them) or `aws` (none installed: the wrapper
   * uses the AWS SDK, as on Lambda, against the endpoint in AWS_ENDPOINT_URL).
   * @default "local"
   */
  readonly transport?: "local" | "aws";
}

export interface PoolDependencies {
  readonly clock: Clock;
  readonly idleTimeoutMs: number;
  /** How long a function may go without invocations before it is Inactive. */
  readonly inactiveAfterMs: number;
  readonly code: (fn: FunctionSpec) => FunctionCode;
  readonly create: (pool: FunctionPool, code: FunctionCode) => Environment;
  /** Idle reclaiming shares the invocations' timer: an environment goes idle after every invoke. */
  readonly deadlines: Deadlines;
}

/** Orders releases across every pool, so the environment cap can find the one idle longest. */
let releases = 0;

export class FunctionPool {
  /** Bumped by reload(); environments of older generations are not reused. */
  generation = 0;
  /** Invocations in progress, including those still initialising their environment. */
  busy = 0;
  /** Lambda's State and LastUpdateStatus of the function. */
  readonly status: FunctionStatus;
  /** Provisioned concurrency, when the function has any: consulted before on-demand environments. */
  provisioned: ProvisionedCapacity | undefined;
  private code: FunctionCode | undefined;
  private readonly idle: Environment[] = [];
  private readonly environments = new Set<Environment>();

  constructor(
    readonly fn: FunctionSpec,
    private readonly deps: PoolDependencies,
  ) {
    this.status = new FunctionStatus(deps.clock, deps.inactiveAfterMs);
  }

  get warm(): number {
    return this.idle.length;
  }

  /** Environments alive: initialising, busy, warm or provisioned. */
  get size(): number {
    return this.environments.size;
  }

  /** Whether acquire() would hand out an environment that already exists (no cold start). */
  get hasReady(): boolean {
    return this.idle.length > 0 || (this.provisioned?.available ?? 0) > 0;
  }

  /** The warm environment released longest ago (warm ones are reused last-in first-out). */
  get longestIdle(): Environment | undefined {
    return this.idle[0];
  }

  /** A warm environment of the current code, or a new one (a cold start). */
  acquire(): { env: Environment; cold: boolean } {
    const provisioned = this.provisioned?.take();
    if (provisioned) return { env: provisioned, cold: false };
    const warm = this.idle.pop();
    // Its idle timer stays armed: when it fires, the environment is busy or was released since,
    // and release() has moved its reclaim time on (see reclaimIfIdle).
    if (warm) return { env: warm, cold: false };
    const env = this.deps.create(this, this.currentCode());
    this.environments.add(env);
    return { env, cold: true };
  }

  /** Back to the warm set after an invocation; environments of replaced code end instead. */
  release(env: Environment): void {
    if (env.state === "ended") return;
    if (env.generation === this.generation && this.provisioned?.give(env)) return;
    if (env.generation !== this.generation) {
      void env.terminate();
      return;
    }
    env.state = "idle";
    env.idleSince = ++releases;
    this.idle.push(env);
    env.reclaimAtMs = this.deps.clock.now() + this.deps.idleTimeoutMs;
    // One timer per environment, armed when it has none, rather than one armed here and cancelled
    // by acquire() for every invocation.
    env.idleTimer ??= this.deps.deadlines.at(env.reclaimAtMs, () => this.reclaimIfIdle(env));
  }

  /**
   * An environment's idle timer fired: it ends when it has stayed idle since its last release for
   * the idle timeout; one released again since waits for its new time; a busy one gets a timer
   * again at its next release.
   */
  private reclaimIfIdle(env: Environment): void {
    env.idleTimer = undefined;
    if (env.state !== "idle") return;
    if (this.deps.clock.now() >= env.reclaimAtMs) void env.terminate();
    else env.idleTimer = this.deps.deadlines.at(env.reclaimAtMs, () => this.reclaimIfIdle(env));
  }

  /** Called by the environment when it ends, for whatever reason. */
  forget(env: Environment): void {
    this.environments.delete(env);
    this.provisioned?.forget(env);
    const index = this.idle.indexOf(env);
    if (index >= 0) this.idle.splice(index, 1);
  }

  /** The code new environments load, read when first needed. */
  currentCode(): FunctionCode {
    this.code ??= this.deps.code(this.fn);
    return this.code;
  }

  /** The code read so far, if any. */
  get loadedCode(): FunctionCode | undefined {
    return this.code;
  }

  /** New invocations get new environments running `code`; idle old ones end now. */
  adopt(code: FunctionCode): void {
    this.generation += 1;
    this.code = code;
    this.dropIdle();
    this.provisioned?.refresh();
  }

  /** Ends the warm environments, so the next invocation starts cold. */
  dropIdle(): void {
    for (const env of [...this.idle]) void env.terminate();
  }

  /** Tracks an environment started outside acquire() (a provisioned one), so close() ends it. */
  track(env: Environment): void {
    this.environments.add(env);
  }

  async close(): Promise<void> {
    this.provisioned?.close();
    await Promise.all([...this.environments].map((env) => env.terminate()));
  }
}

/**
 * The local Lambda surface: synchronous invokes on execution environments (worker threads) that
 * start cold, stay warm, never run two invocations at once, time out on the clock, and fail the
 * ways Lambda's do. Reserved concurrency caps environments; the unreserved ones share the rest of
 * the account's quota; and a cap on environments alive at once bounds the machine's memory
 * (environment-cap.ts). This file composes the parts; each concern lives in its own file.
 */
import { randomUUID } from "node:crypto";
import type { FunctionSpec } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import { LIMITS } from "../../model/limits.ts";
import { type Clock, Deadlines } from "../clock/index.ts";
import { childHeader, continueTrace, NO_TRACER, type Tracer } from "../traces/index.ts";
import { CodeUpdates } from "./code-updates.ts";
import { Concurrency } from "./concurrency.ts";
import type { Environment } from "./environment.ts";
import { EnvironmentCap } from "./environment-cap.ts";
import { EnvironmentFactory, initLimitMs } from "./environment-factory.ts";
import { recursiveInvocation } from "./errors.ts";
import { FunctionLogs } from "./function-logs.ts";
import { type FunctionCode, FunctionPool, type PoolDependencies } from "./function-pool.ts";
import { FunctionRegistry } from "./function-registry.ts";
import {
  DEFAULT_INACTIVE_AFTER_MS,
  type FunctionConfigurationState,
  initFailureReason,
  type Reason,
} from "./function-state.ts";
import { Invocations } from "./invocation.ts";
import { type InvokeHop, recordInvocation, recordRefusal } from "./invoke-hop.ts";
import { checkedPayload, checkedSize, decodeClientContext } from "./invoke-input.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_ENVIRONMENTS } from "./limits.ts";
import { ProvisionedCapacity } from "./provisioned-capacity.ts";
import type {
  EnvironmentStats,
  FunctionInfo,
  InvokeInput,
  InvokeResult,
  LocalLambdaService,
  LogLine,
  UpdateFailure,
} from "./types.ts";

export interface LambdaServiceOptions {
  readonly functions: readonly FunctionSpec[];
  /**
   * The ESM bundle of a function and the export holding its wrapped handler. Read when a function
   * first needs an environment, and again after reload().
   */
  readonly code: (fn: FunctionSpec) => FunctionCode;
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  /**
   * How long an idle environment stays warm before it is reclaimed.
   * @default 600000 (10 minutes)
   * @example idleTimeoutMs: 60_000
   */
  readonly idleTimeoutMs?: number;
  /**
   * How long a function may go without invocations before its state is Inactive; the next
   * invocation makes it Pending again and starts cold.
   * @default 1209600000 (14 days)
   * @example inactiveAfterMs: 3_600_000
   */
  readonly inactiveAfterMs?: number;
  /**
   * Execution environments alive at once, across all functions. A new one beyond it first ends
   * the environment idle the longest; with none idle, the invocation is throttled as Lambda
   * throttles at the account's concurrency (429 TooManyRequestsException,
   * ConcurrentInvocationLimitExceeded).
   * @default 64
   * @example maxEnvironments: 16
   */
  readonly maxEnvironments?: number;
  /**
   * Extra variables for a function's environment (endpoint URL, credentials). The function's own
   * variables override them; Lambda's reserved variables override both.
   * @default none
   * @example environment: () => ({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" })
   */
  readonly environment?: (fn: FunctionSpec) => Record<string, string>;
  /**
   * Variables set on a function outside its definition, as an operator's UpdateFunctionConfiguration
   * sets them (dev's failover drills turn on a forced-failure switch this way). Unlike `environment`
   * they are the function's own: GetFunctionConfiguration shows them, and they win over its
   * definition's. Read when an environment starts; reloadFunction() applies a change.
   * @default none
   * @example variables: (fn) => (fn.name === "api" ? { HEALTH_FORCE_FAIL: "true" } : {})
   */
  readonly variables?: (fn: FunctionSpec) => Record<string, string>;
  /**
   * A CA certificate (PEM) every function trusts besides the usual roots, as if it were in
   * NODE_EXTRA_CA_CERTS: the local CA that signs the local https endpoints.
   * @default none
   * @example trustedCa: readFileSync(".sluice/tls/ca.pem", "utf8")
   */
  readonly trustedCa?: string;
  /**
   * Where each invocation's trace hop goes (issue 20): one `invoke` hop per invoke, a throttled or
   * refused one too, in the trace of the header it ran under and in each of `linkedHeaders`'.
   * @default NO_TRACER (nothing recorded)
   * @example tracer: new TraceStore({ db, clock })
   */
  readonly tracer?: Tracer;
}

export function createLambdaService(options: LambdaServiceOptions): LocalLambdaService {
  return new LocalLambdaServiceImpl(options);
}

class LocalLambdaServiceImpl implements LocalLambdaService {
  private readonly registry: FunctionRegistry;
  /** Environments started only to see whether code loads; ended when they are ready. */
  private readonly checks = new Set<Environment>();
  private readonly updates: CodeUpdates;
  private readonly logs: FunctionLogs;
  private readonly concurrency: Concurrency;
  private readonly cap: EnvironmentCap;
  private readonly environments: EnvironmentFactory;
  private readonly invocations: Invocations;
  private closed = false;
  private readonly endListeners = new Set<(functionName: string) => void>();
  private readonly clock: Clock;
  private readonly tracer: Tracer;
  private readonly extraVariables: ((fn: FunctionSpec) => Record<string, string>) | undefined;

  constructor(options: LambdaServiceOptions) {
    const { clock } = options;
    this.clock = clock;
    this.tracer = options.tracer ?? NO_TRACER;
    this.extraVariables = options.variables;
    const deadlines = new Deadlines(clock);
    this.logs = new FunctionLogs(clock);
    this.environments = new EnvironmentFactory({
      clock,
      region: options.region,
      accountId: options.accountId,
      ...(options.environment ? { environment: options.environment } : {}),
      variables: (fn) => this.functionVariables(fn),
      ...(options.trustedCa === undefined ? {} : { trustedCa: options.trustedCa }),
      logs: this.logs,
    });
    this.invocations = new Invocations({
      clock,
      deadlines,
      environments: this.environments,
      logs: this.logs,
      closed: () => this.closed,
    });
    const deps: PoolDependencies = {
      clock,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      inactiveAfterMs: options.inactiveAfterMs ?? DEFAULT_INACTIVE_AFTER_MS,
      code: options.code,
      create: (pool, code) => this.environments.create(pool, code),
      deadlines,
    };
    const pools = options.functions.map((fn) => new FunctionPool(fn, deps));
    this.registry = new FunctionRegistry(pools, options.region, options.accountId);
    for (const pool of pools) {
      const spec = pool.fn.provisionedConcurrency;
      if (spec) pool.provisioned = new ProvisionedCapacity(spec, clock, () => this.provision(pool));
    }
    this.updates = new CodeUpdates({
      pools,
      code: options.code,
      check: (pool, code) => this.check(pool, code),
      closed: () => this.closed,
    });
    this.concurrency = new Concurrency(options.functions);
    this.cap = new EnvironmentCap(options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS, () => this.pools);
  }

  private get pools(): readonly FunctionPool[] {
    return this.registry.pools;
  }

  async invoke(functionName: string, input: InvokeInput): Promise<InvokeResult> {
    this.assertOpen();
    const startMs = this.clock.now();
    let header: string | undefined;
    let result: InvokeResult;
    try {
      const pool = this.registry.get(functionName);
      // JSON the caller has just serialised needs no second parse (~2 µs for a gateway event).
      const payload = input.serialized === true ? checkedSize(input.payload) : checkedPayload(input.payload);
      const clientContext =
        input.clientContext === undefined ? undefined : decodeClientContext(input.clientContext);
      const trace = continueTrace(input.traceHeader, this.registry.arnOf(pool), startMs);
      header = trace.header;
      if (trace.count > LIMITS.lambda.recursiveLoopInvocations.max) {
        // Lambda stops the invocation and tells the owner (Health Dashboard, email); locally the function's log says it.
        this.logs.emit(
          pool.fn,
          input.requestId,
          `Lambda stopped an invocation of ${functionName}: a recursive loop (invocation ${trace.count} in one chain of requests; Lambda allows ${LIMITS.lambda.recursiveLoopInvocations.max}). https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html`,
          undefined,
        );
        throw recursiveInvocation(functionName, trace.count);
      }
      this.concurrency.assertAdmits(pool);
      // Before waking an Inactive function: a throttled invocation leaves its state as it was.
      this.cap.admit(pool);
      if (pool.status.invoked(pool.busy)) pool.dropIdle();
      this.concurrency.enter(pool);
      try {
        result = await this.invocations.run(
          pool,
          input.requestId ?? randomUUID(),
          payload,
          clientContext,
          input.tailLog === true,
          trace.header,
        );
      } finally {
        this.concurrency.leave(pool);
        pool.status.settled();
        for (const listener of this.endListeners) listener(pool.fn.name);
      }
    } catch (error) {
      // A refused invoke (unknown function, bad payload, throttle, recursion) is a hop too; one
      // cut short by close() is not.
      if (!this.closed && this.tracer !== NO_TRACER) {
        header ??= childHeader(input.traceHeader, startMs);
        recordRefusal(this.hop(functionName, input, header, startMs), error);
      }
      throw error;
    }
    // After the try: a tracer that throws (it should not) is no refused invoke.
    if (this.tracer !== NO_TRACER)
      recordInvocation(this.hop(functionName, input, result.traceHeader, startMs), result);
    return result;
  }

  private hop(functionName: string, input: InvokeInput, header: string, startMs: number): InvokeHop {
    return { tracer: this.tracer, functionName, input, header, startMs, endMs: this.clock.now() };
  }

  /**
   * Invocations running now, across every function: from admission (past the throttle) until the
   * result or error is back. Counted from each function's busy environments (no scan).
   */
  runningInvocations(): number {
    let running = 0;
    for (const pool of this.pools) running += pool.busy;
    return running;
  }

  hasCapacity(functionName: string): boolean {
    const pool = this.registry.get(functionName);
    return !this.closed && this.concurrency.admits(pool) && this.cap.hasRoom(pool);
  }

  stats(): EnvironmentStats[] {
    return this.pools.map(poolStats);
  }

  configuration(functionName: string): FunctionConfigurationState {
    const pool = this.registry.get(functionName);
    return pool.status.view(pool.busy);
  }

  functionStates(): FunctionInfo[] {
    return this.pools.map((pool) => ({
      ...poolStats(pool),
      ...pool.status.view(pool.busy),
      ...(pool.provisioned
        ? { provisioned: pool.provisioned.capacity, provisionedAvailable: pool.provisioned.available }
        : {}),
    }));
  }

  /** Also starts provisioned concurrency: its environments initialise now, ahead of invocations. */
  activate(): Promise<void> {
    for (const pool of this.pools) pool.provisioned?.start();
    return this.updates.activate();
  }

  async provisioningSettled(): Promise<void> {
    await Promise.all(this.pools.map((pool) => pool.provisioned?.settled()));
  }

  beginUpdate(): void {
    this.updates.beginUpdate();
  }

  reload(): Promise<readonly UpdateFailure[]> {
    return this.updates.reload();
  }

  async reloadFunction(functionName: string): Promise<UpdateFailure | undefined> {
    return await this.updates.reloadOne(this.registry.get(functionName));
  }

  variables(functionName: string): Readonly<Record<string, string>> {
    return this.functionVariables(this.registry.get(functionName).fn);
  }

  failUpdate(reason: string): void {
    this.updates.failUpdate(reason);
  }

  codeFiles(): ReadonlySet<string> {
    return this.updates.codeFiles();
  }

  onLog(listener: (line: LogLine) => void): () => void {
    return this.logs.onLog(listener);
  }

  onInvocationEnd(listener: (functionName: string) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([
      ...this.pools.map((pool) => pool.close()),
      ...[...this.checks].map((env) => env.terminate()),
    ]);
  }

  /** The one place a function's own variables are put together: environments and configuration read it. */
  private functionVariables(fn: FunctionSpec): Record<string, string> {
    return { ...fn.environment, ...this.extraVariables?.(fn) };
  }

  /** One provisioned environment of `pool`, initialised; undefined when its init failed. */
  private async provision(pool: FunctionPool): Promise<Environment | undefined> {
    if (this.closed) return undefined;
    const env = this.environments.create(pool, pool.currentCode(), { provisioned: true });
    pool.track(env);
    const outcome = await this.environments.initialise(env, pool.fn);
    if (outcome.ok && !this.closed) return env;
    void env.terminate();
    return undefined;
  }

  /** Starts an environment on `code` only to see it initialise; undefined when it did. */
  private async check(pool: FunctionPool, code: FunctionCode): Promise<Reason | undefined> {
    if (this.closed) return undefined;
    const env = this.environments.create(pool, code, { quiet: true });
    this.checks.add(env);
    try {
      const outcome = await this.environments.initialise(env, pool.fn);
      return outcome.ok ? undefined : initFailureReason(outcome.failure, initLimitMs(pool.fn));
    } finally {
      this.checks.delete(env);
      void env.terminate();
    }
  }

  private assertOpen(): void {
    if (this.closed)
      throw new SluiceError(
        "SLUICE_LAMBDA_CLOSED",
        "the Lambda service is closed; create a new one to invoke",
      );
  }
}

function poolStats(pool: FunctionPool): EnvironmentStats {
  return { functionName: pool.fn.name, warm: pool.warm, busy: pool.busy, codeGeneration: pool.generation };
}

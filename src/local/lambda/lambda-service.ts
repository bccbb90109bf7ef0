/**
 * The local Lambda surface: synchronous invokes on execution environments (worker threads) that
 * start cold, stay warm, never run two invocations at once, time out on the clock, and fail the
 * ways Lambda's do. Reserved concurrency caps environments; the unreserved ones share the rest of
 * the account's quota.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { FunctionSpec, RouteDelivery } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import { partition } from "../../model/naming.ts";
import { after, type Clock } from "../clock.ts";
import { CodeUpdates } from "./code-updates.ts";
import { Deadlines } from "./deadlines.ts";
import { Environment, type InitOutcome, type RunOutcome } from "./environment.ts";
import { lambdaVariables, logStreamName } from "./environment-variables.ts";
import { functionNotFound, tooManyRequests } from "./errors.ts";
import { type FunctionCode, FunctionPool, type PoolDependencies } from "./function-pool.ts";
import {
  DEFAULT_INACTIVE_AFTER_MS,
  type FunctionConfigurationState,
  initFailureReason,
  type Reason,
} from "./function-state.ts";
import { checkedPayload, checkedSize, decodeClientContext } from "./invoke-input.ts";
import { ProvisionedCapacity } from "./provisioned-capacity.ts";
import { ACCOUNT_CONCURRENCY, DEFAULT_IDLE_TIMEOUT_MS, INIT_TIMEOUT_MS } from "./limits.ts";
import { logTail } from "./log-tail.ts";
import { endLine, initReportLine, reportLine, startLine } from "./platform-log.ts";
import type { InvokeRequest } from "./protocol.ts";
import type {
  EnvironmentStats,
  FunctionInfo,
  InvokeInput,
  InvokeResult,
  LocalLambdaService,
  LogLine,
  UpdateFailure,
} from "./types.ts";
import { verdict } from "./verdict.ts";
import { workerScriptPath } from "./worker-path.ts";

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
   * Extra variables for a function's environment (endpoint URL, credentials). The function's own
   * variables override them; Lambda's reserved variables override both.
   * @default none
   * @example environment: () => ({ AWS_ENDPOINT_URL: "http://127.0.0.1:4566" })
   */
  readonly environment?: (fn: FunctionSpec) => Record<string, string>;
}

interface Run {
  readonly pool: FunctionPool;
  readonly env: Environment;
  readonly requestId: string;
  readonly cold: boolean;
}

const NO_DELIVERIES: readonly RouteDelivery[] = Object.freeze([]);

export function createLambdaService(options: LambdaServiceOptions): LocalLambdaService {
  return new LocalLambdaServiceImpl(options);
}

class LocalLambdaServiceImpl implements LocalLambdaService {
  private readonly pools = new Map<string, FunctionPool>();
  /** Environments started only to see whether code loads; ended when they are ready. */
  private readonly checks = new Set<Environment>();
  private readonly updates: CodeUpdates;
  private readonly functionPools: FunctionPool[] = [];
  private readonly listeners = new Set<(line: LogLine) => void>();
  private readonly unreservedLimit: number;
  /** Invocation deadlines and idle environments share one clock timer (see deadlines.ts). */
  private readonly deadlines: Deadlines;
  private unreservedBusy = 0;
  private closed = false;

  constructor(private readonly options: LambdaServiceOptions) {
    this.deadlines = new Deadlines(options.clock);
    const deps: PoolDependencies = {
      clock: options.clock,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      inactiveAfterMs: options.inactiveAfterMs ?? DEFAULT_INACTIVE_AFTER_MS,
      code: options.code,
      create: (pool, code) => this.createEnvironment(pool, code),
      deadlines: this.deadlines,
    };
    for (const fn of options.functions) this.functionPools.push(new FunctionPool(fn, deps));
    // Physical names resolve too (the wire endpoint sees them); definition names win a clash.
    for (const pool of this.functionPools) this.pools.set(pool.fn.functionName, pool);
    for (const pool of this.functionPools) this.pools.set(pool.fn.name, pool);
    for (const pool of this.functionPools) {
      const spec = pool.fn.provisionedConcurrency;
      if (spec) pool.provisioned = new ProvisionedCapacity(spec, options.clock, () => this.provision(pool));
    }
    this.updates = new CodeUpdates({
      pools: this.functionPools,
      code: options.code,
      check: (pool, code) => this.check(pool, code),
      closed: () => this.closed,
    });
    const reserved = options.functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);
    this.unreservedLimit = Math.max(0, ACCOUNT_CONCURRENCY - reserved);
  }

  async invoke(functionName: string, input: InvokeInput): Promise<InvokeResult> {
    this.assertOpen();
    const pool = this.pool(functionName);
    // JSON the caller has just serialised needs no second parse (~2 µs for a gateway event).
    const payload = input.serialized === true ? checkedSize(input.payload) : checkedPayload(input.payload);
    const clientContext =
      input.clientContext === undefined ? undefined : decodeClientContext(input.clientContext);
    const { fn } = pool;
    if (!this.admits(pool)) {
      throw fn.reservedConcurrency === undefined
        ? tooManyRequests(fn.name, "ConcurrentInvocationLimitExceeded", this.unreservedLimit)
        : tooManyRequests(
            fn.name,
            "ReservedFunctionConcurrentInvocationLimitExceeded",
            fn.reservedConcurrency,
          );
    }
    const unreserved = fn.reservedConcurrency === undefined;
    if (pool.status.invoked(pool.busy)) pool.dropIdle();
    pool.busy += 1;
    if (unreserved) this.unreservedBusy += 1;
    try {
      return await this.run(
        pool,
        input.requestId ?? randomUUID(),
        payload,
        clientContext,
        input.tailLog === true,
      );
    } finally {
      pool.busy -= 1;
      if (unreserved) this.unreservedBusy -= 1;
      pool.status.settled();
    }
  }

  hasCapacity(functionName: string): boolean {
    return !this.closed && this.admits(this.pool(functionName));
  }

  stats(): EnvironmentStats[] {
    return this.functionPools.map((pool) => ({
      functionName: pool.fn.name,
      warm: pool.warm,
      busy: pool.busy,
      codeGeneration: pool.generation,
    }));
  }

  configuration(functionName: string): FunctionConfigurationState {
    const pool = this.pool(functionName);
    return pool.status.view(pool.busy);
  }

  functionStates(): FunctionInfo[] {
    return this.functionPools.map((pool) => ({
      functionName: pool.fn.name,
      warm: pool.warm,
      busy: pool.busy,
      codeGeneration: pool.generation,
      ...pool.status.view(pool.busy),
      ...(pool.provisioned
        ? { provisioned: pool.provisioned.capacity, provisionedAvailable: pool.provisioned.available }
        : {}),
    }));
  }

  /** Also starts provisioned concurrency: its environments initialise now, ahead of invocations. */
  activate(): Promise<void> {
    for (const pool of this.functionPools) pool.provisioned?.start();
    return this.updates.activate();
  }

  async provisioningSettled(): Promise<void> {
    await Promise.all(this.functionPools.map((pool) => pool.provisioned?.settled()));
  }

  /** One provisioned environment of `pool`, initialised; undefined when its init failed. */
  private async provision(pool: FunctionPool): Promise<Environment | undefined> {
    if (this.closed) return undefined;
    const env = this.createEnvironment(pool, pool.currentCode(), { provisioned: true });
    pool.track(env);
    const outcome = await this.initialise(env, pool.fn);
    if (outcome.ok && !this.closed) return env;
    void env.terminate();
    return undefined;
  }

  beginUpdate(): void {
    this.updates.beginUpdate();
  }

  reload(): Promise<readonly UpdateFailure[]> {
    return this.updates.reload();
  }

  failUpdate(reason: string): void {
    this.updates.failUpdate(reason);
  }

  codeFiles(): ReadonlySet<string> {
    return this.updates.codeFiles();
  }

  onLog(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([
      ...this.functionPools.map((pool) => pool.close()),
      ...[...this.checks].map((env) => env.terminate()),
    ]);
  }

  /** Starts an environment on `code` only to see it initialise; undefined when it did. */
  private async check(pool: FunctionPool, code: FunctionCode): Promise<Reason | undefined> {
    if (this.closed) return undefined;
    const env = this.createEnvironment(pool, code, { quiet: true });
    this.checks.add(env);
    try {
      const outcome = await this.initialise(env, pool.fn);
      return outcome.ok ? undefined : initFailureReason(outcome.failure, this.initLimitMs(pool.fn));
    } finally {
      this.checks.delete(env);
      void env.terminate();
    }
  }

  private initLimitMs(fn: FunctionSpec): number {
    return INIT_TIMEOUT_MS + fn.timeoutSeconds * 1000;
  }

  private async run(
    pool: FunctionPool,
    requestId: string,
    payload: string,
    clientContext: string | undefined,
    tailLog: boolean,
  ): Promise<InvokeResult> {
    const { fn } = pool;
    const { env, cold } = pool.acquire();
    const run: Run = { pool, env, requestId, cold };
    env.tail = tailLog ? [] : undefined;
    if (cold) {
      const init = await this.initialise(env, fn);
      if (env.generation === pool.generation) {
        pool.status.initialised(init.ok ? undefined : initFailureReason(init.failure, this.initLimitMs(fn)));
      }
      if (!init.ok) return this.complete(run, init.failure, init.initMs, undefined, "init");
    }
    const timeoutMs = fn.timeoutSeconds * 1000;
    const now = this.options.clock.now();
    this.emit(fn, requestId, startLine(requestId), env.tail, now);
    const request: InvokeRequest = {
      requestId,
      payload,
      deadlineMs: now + timeoutMs,
      hostNowMs: now,
      ...(clientContext === undefined ? {} : { clientContext }),
    };
    const dispatchedAt = performance.now();
    const outcome = await this.dispatch(env, request);
    const durationMs =
      outcome.kind === "result"
        ? outcome.durationMs
        : outcome.kind === "timeout"
          ? timeoutMs
          : performance.now() - dispatchedAt;
    return this.complete(run, outcome, durationMs, cold ? env.initMs : undefined, "invoke");
  }

  /** Waits for init; Lambda's 10 s init limit plus the function timeout bound it on the clock. */
  private initialise(env: Environment, fn: FunctionSpec): Promise<InitOutcome> {
    return new Promise((resolve) => {
      const limitMs = this.initLimitMs(fn);
      const timer = after(this.options.clock, limitMs, () => {
        resolve({ ok: false, initMs: limitMs, failure: { kind: "timeout" } });
        void env.terminate();
      });
      void env.ready.then((outcome) => {
        timer.cancel();
        resolve(outcome);
      });
    });
  }

  /** Runs the invocation; at the deadline the environment is ended, as Lambda ends a sandbox. */
  private dispatch(env: Environment, request: InvokeRequest): Promise<RunOutcome> {
    env.deadline = this.deadlines.at(request.deadlineMs, () => env.expire());
    return env.run(request);
  }

  private complete(
    run: Run,
    outcome: RunOutcome,
    durationMs: number,
    initDurationMs: number | undefined,
    phase: "init" | "invoke",
  ): InvokeResult {
    const { pool, env, requestId } = run;
    const { fn } = pool;
    if (this.closed) {
      throw new SluiceError(
        "SLUICE_LAMBDA_CLOSED",
        `the Lambda service closed while ${fn.name} ran request ${requestId}`,
        {
          context: { function: fn.name, requestId },
        },
      );
    }
    const tail = env.tail;
    env.tail = undefined;
    const now = this.options.clock.now();
    const result = verdict(fn, requestId, outcome, now, phase);
    if (phase === "init") {
      // Lambda reports the failed init, then runs the invoke phase that fails with it.
      this.emit(
        fn,
        undefined,
        initReportLine(durationMs, result.status ?? "error", result.errorType),
        tail,
        now,
      );
      this.emit(fn, requestId, startLine(requestId), tail, now);
    }
    for (const line of result.lines) this.emit(fn, requestId, line, tail, now);
    this.emit(fn, requestId, endLine(requestId), tail, now);
    this.emit(
      fn,
      requestId,
      reportLine({
        requestId,
        durationMs,
        memorySizeMb: fn.memorySize,
        maxMemoryUsedMb: outcome.kind === "out-of-memory" ? fn.memorySize : env.memoryUsedMb,
        ...(initDurationMs === undefined ? {} : { initDurationMs }),
        ...(result.status === undefined ? {} : { status: result.status }),
        // Lambda names the error type of failures, not of timeouts.
        ...(result.status === "error" && result.errorType !== undefined
          ? { errorType: result.errorType }
          : {}),
      }),
      tail,
      now,
    );
    pool.release(env);
    return {
      requestId,
      statusCode: 200,
      payload: result.payload,
      ...(result.functionError ? { functionError: result.functionError } : {}),
      ...(tail ? { logTail: logTail(tail) } : {}),
      executedVersion: "$LATEST",
      deliveries:
        outcome.kind === "result" && outcome.deliveries !== undefined
          ? (JSON.parse(outcome.deliveries) as RouteDelivery[])
          : NO_DELIVERIES,
      coldStart: run.cold,
    };
  }

  private createEnvironment(
    pool: FunctionPool,
    code: FunctionCode,
    opts: { quiet?: boolean; provisioned?: boolean } = {},
  ): Environment {
    const { fn } = pool;
    const now = this.options.clock.now();
    const stream = logStreamName(now);
    return new Environment({
      fn,
      generation: pool.generation,
      workerPath: workerScriptPath(),
      logStreamName: stream,
      init: {
        file: code.file,
        exportName: code.exportName,
        ...(code.transport === "aws" ? { transport: "aws" as const } : {}),
        functionArn: this.arn(fn.functionName),
        runtime: fn.runtime,
        hostNowMs: now,
      },
      variables: initializationType(
        lambdaVariables(fn, {
          region: this.options.region,
          logStreamName: stream,
          file: code.file,
          exportName: code.exportName,
          extra: this.options.environment?.(fn) ?? {},
        }),
        opts.provisioned === true,
      ),
      // A code check's init logs stay out of the function's log: no invocation asked for them.
      onLog: (env, text, timestamp) => {
        if (opts.quiet !== true) this.emit(fn, env.requestId, text, env.tail, timestamp);
      },
      onEnd: (env) => pool.forget(env),
    });
  }

  private emit(
    fn: FunctionSpec,
    requestId: string | undefined,
    text: string,
    tail: string[] | undefined,
    timestamp = this.options.clock.now(),
  ): void {
    tail?.push(text);
    if (this.listeners.size === 0) return;
    const line: LogLine = { functionName: fn.name, requestId, text, timestamp };
    for (const listener of this.listeners) listener(line);
  }

  private admits(pool: FunctionPool): boolean {
    const reserved = pool.fn.reservedConcurrency;
    return reserved === undefined ? this.unreservedBusy < this.unreservedLimit : pool.busy < reserved;
  }

  private pool(functionName: string): FunctionPool {
    const pool = this.pools.get(functionName);
    if (!pool)
      throw functionNotFound(
        this.arn(functionName),
        this.functionPools.map((p) => p.fn.name),
      );
    return pool;
  }

  private arn(functionName: string): string {
    const { region, accountId } = this.options;
    return `arn:${partition(region)}:lambda:${region}:${accountId}:function:${functionName}`;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new SluiceError(
        "SLUICE_LAMBDA_CLOSED",
        "the Lambda service is closed; create a new one to invoke",
      );
  }
}

/** Provisioned environments tell the code how they were started, as Lambda's do. */
function initializationType(variables: Record<string, string>, provisioned: boolean): Record<string, string> {
  return provisioned
    ? { ...variables, AWS_LAMBDA_INITIALIZATION_TYPE: "provisioned-concurrency" }
    : variables;
}

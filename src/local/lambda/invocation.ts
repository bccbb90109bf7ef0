/**
 * One invocation on an environment the pool handed out: init when it is cold, the request with its
 * deadline, then the verdict, the platform log lines (START, END, REPORT) and the result Lambda
 * returns. Admission and concurrency are settled before this runs.
 */
import { performance } from "node:perf_hooks";
import type { FunctionSpec, RouteDelivery } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import type { Mutable } from "../../model/mutable.ts";
import type { Clock, Deadlines } from "../clock/index.ts";
import type { Environment, RunOutcome } from "./environment.ts";
import { type EnvironmentFactory, initLimitMs } from "./environment-factory.ts";
import type { FunctionLogs } from "./function-logs.ts";
import type { FunctionPool } from "./function-pool.ts";
import { initFailureReason } from "./function-state.ts";
import { logTail } from "./log-tail.ts";
import { endLine, initReportLine, type Report, reportLine, startLine } from "./platform-log.ts";
import { type InvokeRequest, REQUEST } from "./protocol.ts";
import type { InvokeResult } from "./types.ts";
import { verdict } from "./verdict.ts";

export interface InvocationDependencies {
  readonly clock: Clock;
  /** Invocation deadlines and idle environments share one clock timer (see deadlines.ts). */
  readonly deadlines: Deadlines;
  readonly environments: EnvironmentFactory;
  readonly logs: FunctionLogs;
  readonly closed: () => boolean;
}

interface Run {
  readonly pool: FunctionPool;
  readonly env: Environment;
  readonly requestId: string;
  readonly cold: boolean;
  /** The X-Ray header the invocation runs under (InvokeResult.traceHeader). */
  readonly traceHeader: string;
}

const NO_DELIVERIES: readonly RouteDelivery[] = Object.freeze([]);

export class Invocations {
  constructor(private readonly deps: InvocationDependencies) {}

  async run(
    pool: FunctionPool,
    requestId: string,
    payload: string,
    clientContext: string | undefined,
    tailLog: boolean,
    traceHeader: string,
  ): Promise<InvokeResult> {
    const { fn } = pool;
    const { env, cold } = pool.acquire();
    const run: Run = { pool, env, requestId, cold, traceHeader };
    env.tail = tailLog ? [] : undefined;
    if (cold) {
      const init = await this.deps.environments.initialise(env, fn);
      if (env.generation === pool.generation) {
        pool.status.initialised(init.ok ? undefined : initFailureReason(init.failure, initLimitMs(fn)));
      }
      if (!init.ok) return this.complete(run, init.failure, init.initMs, undefined, "init");
    }
    const timeoutMs = fn.timeoutSeconds * 1000;
    const now = this.deps.clock.now();
    this.emit(fn, requestId, startLine(requestId), env.tail, now);
    const request: InvokeRequest = [requestId, payload, now + timeoutMs, now, traceHeader, clientContext];
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

  /** Runs the invocation; at the deadline the environment is ended, as Lambda ends a sandbox. */
  private dispatch(env: Environment, request: InvokeRequest): Promise<RunOutcome> {
    env.deadline = this.deps.deadlines.at(request[REQUEST.deadlineMs], () => env.expire());
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
    if (this.deps.closed()) {
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
    const now = this.deps.clock.now();
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
    const report: Mutable<Report> = {
      requestId,
      durationMs,
      memorySizeMb: fn.memorySize,
      maxMemoryUsedMb: outcome.kind === "out-of-memory" ? fn.memorySize : env.memoryUsedMb,
    };
    if (initDurationMs !== undefined) report.initDurationMs = initDurationMs;
    if (result.status !== undefined) report.status = result.status;
    // Lambda names the error type of failures, not of timeouts.
    if (result.status === "error" && result.errorType !== undefined) report.errorType = result.errorType;
    this.emit(fn, requestId, reportLine(report), tail, now);
    pool.release(env);
    // Keys in the order the spreads gave them; optional ones assigned in place (V8's fast path).
    const answer: Mutable<InvokeResult> = {
      requestId,
      statusCode: 200,
      payload: result.payload,
    } as Mutable<InvokeResult>;
    if (result.functionError) answer.functionError = result.functionError;
    if (tail) answer.logTail = logTail(tail);
    answer.executedVersion = "$LATEST";
    answer.deliveries =
      outcome.kind === "result" && outcome.deliveries !== undefined
        ? (JSON.parse(outcome.deliveries) as RouteDelivery[])
        : NO_DELIVERIES;
    answer.coldStart = run.cold;
    answer.traceHeader = run.traceHeader;
    return answer;
  }

  private emit(
    fn: FunctionSpec,
    requestId: string | undefined,
    text: string,
    tail: string[] | undefined,
    timestamp: number,
  ): void {
    this.deps.logs.emit(fn, requestId, text, tail, timestamp);
  }
}

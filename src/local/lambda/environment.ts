/**
 * The host's handle on one execution environment: a worker thread with its own module state,
 * process.env and heap limit. It runs at most one invocation at a time and reports how each one
 * ended, including the ways a process can end that a handler cannot report itself.
 */
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { FunctionSpec } from "../../model/app-spec.ts";
import type { Mutable } from "../../model/mutable.ts";
import type { Timer } from "../clock/index.ts";
import {
  type InvokeRequest,
  REQUEST,
  RESULT,
  type ResultMessage,
  type WorkerInit,
  type WorkerMessage,
} from "./protocol.ts";

/** How an environment failed to produce a result. */
export type Failure =
  | { readonly kind: "error"; readonly errorType: string; readonly payload: string }
  | { readonly kind: "exit"; readonly code: number }
  | { readonly kind: "out-of-memory" }
  | { readonly kind: "timeout" };

export interface RunResult {
  readonly kind: "result";
  readonly ok: boolean;
  readonly payload: string;
  readonly errorType?: string;
  readonly deliveries?: string;
  readonly durationMs: number;
}

export type RunOutcome = RunResult | Failure;

export type InitOutcome =
  | { readonly ok: true; readonly initMs: number }
  | { readonly ok: false; readonly initMs: number; readonly failure: Failure };

export interface EnvironmentOptions {
  readonly fn: FunctionSpec;
  readonly generation: number;
  readonly workerPath: string;
  readonly init: WorkerInit;
  readonly variables: Record<string, string>;
  readonly logStreamName: string;
  readonly onLog: (env: Environment, text: string, timestamp: number) => void;
  /** Called once, when the environment ends for any reason. */
  readonly onEnd: (env: Environment) => void;
}

export type EnvironmentState = "initializing" | "idle" | "busy" | "ended";

// Flags an environment may inherit; others (tsx's --import, inspectors) stay with the host.
const INHERITED_FLAGS = new Set(["--enable-source-maps"]);

/** `node --cpu-prof … sluice dev` profiles each environment's thread too (a profile per thread). */
function inherited(flag: string): boolean {
  return INHERITED_FLAGS.has(flag) || flag.startsWith("--cpu-prof");
}

export class Environment {
  readonly generation: number;
  readonly logStreamName: string;
  /**
   * Resolves when init ends. Init Duration runs from the environment's creation, so it covers
   * starting the thread as Lambda's covers starting the runtime, plus importing the bundle.
   */
  readonly ready: Promise<InitOutcome>;
  state: EnvironmentState = "initializing";
  /** The request this environment runs or ran last; its log lines carry it. */
  requestId: string | undefined;
  /** Lines of the current invocation, when its caller asked for the log tail. */
  tail: string[] | undefined;
  /** Armed while idle; may stay armed while busy (function-pool.ts re-checks when it fires). */
  idleTimer: Timer | undefined;
  /** When an idle environment is reclaimed: its last release plus the idle timeout. */
  reclaimAtMs = 0;
  /** When it last went idle, as an order across all functions (the cap ends the oldest first). */
  idleSince = 0;
  /** The running invocation's deadline; cancelled when the invocation settles in any way. */
  deadline: Timer | undefined;
  initMs = 0;
  memoryUsedMb = 0;
  private readonly worker: Worker;
  private readonly createdAt = performance.now();
  private settleReady: ((outcome: InitOutcome) => void) | undefined;
  private settleRun: ((outcome: RunOutcome) => void) | undefined;
  private lastError: (Error & { code?: string }) | undefined;

  constructor(private readonly options: EnvironmentOptions) {
    this.generation = options.generation;
    this.logStreamName = options.logStreamName;
    this.ready = new Promise((resolve) => {
      this.settleReady = resolve;
    });
    this.worker = new Worker(options.workerPath, {
      workerData: options.init,
      env: options.variables,
      execArgv: process.execArgv.filter(inherited),
      // Old space gets 90%: the rest is young space and buffers, so the thread's heap as a whole
      // runs out near the memory size (Lambda's bootstrap also sizes old space below it).
      resourceLimits: { maxOldGenerationSizeMb: Math.max(32, Math.floor(options.fn.memorySize * 0.9)) },
      // The worker sends its output as log messages; these keep anything else off the host's
      // terminal. They are not read: a pending read would keep the host process alive.
      stdout: true,
      stderr: true,
      name: `sluice:${options.fn.name}`,
    });
    this.worker.on("message", (message: WorkerMessage) => this.onMessage(message));
    this.worker.on("error", (error) => {
      this.lastError = error;
    });
    this.worker.on("exit", (code) => this.onExit(code));
  }

  /** Starts an invocation; the environment must be initialised and free. */
  run(request: InvokeRequest): Promise<RunOutcome> {
    this.state = "busy";
    this.requestId = request[REQUEST.requestId];
    this.worker.ref();
    return new Promise((resolve) => {
      this.settleRun = resolve;
      this.worker.postMessage(request);
    });
  }

  /** The invocation ran out of time: it settles as a timeout and the environment ends, as Lambda ends a sandbox. */
  expire(): void {
    this.takeRun()?.({ kind: "timeout" });
    void this.terminate();
  }

  /** Ends the environment now (timeout, idle, reload, close). Safe to call more than once. */
  terminate(): Promise<void> {
    this.end();
    // An unref'd worker does not hold the event loop open until its exit event arrives, so a
    // caller awaiting this (close, reload) could be left with a promise that never settles.
    this.worker.ref();
    return this.worker.terminate().then(() => undefined);
  }

  private onMessage(message: WorkerMessage): void {
    // The one message every invocation sends is the only tuple.
    if (!("type" in message)) {
      this.memoryUsedMb = message[RESULT.memoryUsedMb];
      this.worker.unref();
      this.takeRun()?.(resultOutcome(message));
      return;
    }
    switch (message.type) {
      case "log":
        this.options.onLog(this, message.text, message.timestamp);
        return;
      case "ready":
        // Only work in progress keeps the host process alive; a warm environment does not.
        this.worker.unref();
        this.initMs = performance.now() - this.createdAt;
        this.memoryUsedMb = message.memoryUsedMb;
        this.settleReady?.({ ok: true, initMs: this.initMs });
        this.settleReady = undefined;
        return;
      case "init-error":
        this.fail({ kind: "error", errorType: message.errorType, payload: message.payload });
        void this.terminate();
        return;
      case "crash":
        // The worker exits right after; the invocation fails with the crash's error, as on AWS.
        this.fail({ kind: "error", errorType: message.errorType, payload: message.payload });
        return;
    }
  }

  private onExit(code: number): void {
    const outOfMemory = this.lastError?.code === "ERR_WORKER_OUT_OF_MEMORY";
    this.fail(outOfMemory ? { kind: "out-of-memory" } : { kind: "exit", code });
  }

  /** Settles whatever waits on this environment with `failure`, and ends it. */
  private fail(failure: Failure): void {
    if (this.settleReady) {
      this.initMs = performance.now() - this.createdAt;
      this.settleReady({ ok: false, initMs: this.initMs, failure });
      this.settleReady = undefined;
    }
    this.takeRun()?.(failure);
    this.end();
  }

  private takeRun(): ((outcome: RunOutcome) => void) | undefined {
    const settle = this.settleRun;
    this.settleRun = undefined;
    this.deadline?.cancel();
    this.deadline = undefined;
    return settle;
  }

  private end(): void {
    if (this.state === "ended") return;
    this.state = "ended";
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    this.options.onEnd(this);
  }
}

/** The outcome of a result message: one literal, optional keys assigned (no spreads of `{}`: V8's slow path per invocation). */
function resultOutcome(message: ResultMessage): RunOutcome {
  const outcome: Mutable<RunResult> = {
    kind: "result",
    ok: message[RESULT.ok],
    payload: message[RESULT.payload],
    durationMs: message[RESULT.durationMs],
  };
  const errorType = message[RESULT.errorType];
  const deliveries = message[RESULT.deliveries];
  if (errorType !== undefined) outcome.errorType = errorType;
  if (deliveries !== undefined) outcome.deliveries = deliveries;
  return outcome;
}

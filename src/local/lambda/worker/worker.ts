/**
 * One execution environment: runs in its own worker thread, imports the function's bundle once
 * (init), then runs one invocation at a time on the host's request. Mirrors Lambda's Node.js
 * runtime client: console format, error shapes, crash handling and the empty-event-loop rule.
 */

import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { toErrorPayload, toLogFormat } from "../format-error.ts";
import {
  type ErrorPayload,
  type InvokeRequest,
  REQUEST,
  type ResultMessage,
  type WorkerInit,
  type WorkerMessage,
} from "../protocol.ts";
import { type LogClock, type LogSink, logError, patchConsole, patchStdio } from "./console.ts";
import { contextFactory } from "./context.ts";
import { filterHostWarnings } from "./host-warnings.ts";

type Handler = (event: unknown, context: object) => unknown;

interface Invocation {
  readonly startedAt: number;
  settled: boolean;
}

if (!parentPort) throw new Error("worker.js runs only as an execution environment's worker thread");
const port = parentPort;
const init = workerData as WorkerInit;
const legacy = Number(/nodejs(\d+)/.exec(init.runtime)?.[1] ?? 0) < 24;
const clock: LogClock = { requestId: undefined, offsetMs: init.hostNowMs - Date.now() };
const send = (message: WorkerMessage) => port.postMessage(message);
const log: LogSink = (text, timestamp) => send({ type: "log", text, timestamp });
const makeContext = contextFactory(init.functionArn, legacy);
/** Deliveries of the current invocation, each already JSON text. */
const deliveries: string[] = [];
let handler: Handler = () => undefined;
let current: Invocation | undefined;
let peakMemoryMb = 0;

// Stack traces in dev's logs point at the user's .ts lines (esbuild writes linked source maps);
// deployed functions (transport "aws") keep Lambda's default, which does not map them.
if (init.transport !== "aws") process.setSourceMapsEnabled(true);
patchConsole(clock, log);
patchStdio(clock, log);
filterHostWarnings(init.runtime);
// A deployed function's wrapper finds no transport and routes through the AWS SDK, as on Lambda.
if (init.transport !== "aws") {
  (globalThis as Record<symbol, unknown>)[Symbol.for("sluice.transport")] = {
    async deliver(list: readonly unknown[]): Promise<void> {
      if (!current)
        throw new Error("routing outside an invocation: deliveries must be made before the handler returns");
      // Serialise now, all or nothing, so an unserialisable delivery fails the invocation that made it.
      const texts = list.map((delivery) => JSON.stringify(delivery));
      deliveries.push(...texts);
    },
  };
}
process.on("uncaughtException", (error) => crash("Uncaught Exception", error, toErrorPayload(error), 129));
process.on("unhandledRejection", (reason) => {
  const error = unhandledRejection(reason);
  crash("Unhandled Promise Rejection", error, toErrorPayload(error), 128);
});
// The port is unreferenced while an invocation runs, so an emptied event loop shows up here.
process.on("beforeExit", onEventLoopEmpty);

void initialize();

async function initialize(): Promise<void> {
  try {
    // Loaded only when there is a CA to trust (apps with WebSocket APIs): node:tls adds ~4 ms to
    // the start of every environment, of ~60 ms on a small machine (docs/benchmarks.md, session
    // 15). Here, not at the module's top level: a top-level await makes this an async module, and
    // a worker terminated during an async module's evaluation can abort the whole process in V8
    // ("Check failed: (location_) != nullptr" in SourceTextModule::ExecuteAsyncModule; seen in
    // npm test, nodejs/node#53238).
    if (init.trustedCa !== undefined)
      (await import("./trust-ca.ts")).trustCertificateAuthority(init.trustedCa);
    const module = (await import(pathToFileURL(init.file).href)) as Record<string, unknown>;
    const exported = module[init.exportName];
    if (typeof exported !== "function") {
      throw Object.assign(new Error(`${init.exportName} is undefined or not exported`), {
        name: "Runtime.HandlerNotFound",
      });
    }
    handler = exported as Handler;
  } catch (error) {
    const mapped = initError(error);
    logError(clock, log, legacy ? "Uncaught Exception" : "Init Error", toLogFormat(mapped));
    const payload = toErrorPayload(mapped);
    send({ type: "init-error", errorType: payload.errorType, payload: JSON.stringify(payload) });
    return;
  }
  send({ type: "ready", memoryUsedMb: measureMemory() });
  port.on("message", invoke);
}

function invoke(request: InvokeRequest): void {
  const requestId = request[REQUEST.requestId];
  const offsetMs = request[REQUEST.hostNowMs] - Date.now();
  clock.requestId = requestId;
  clock.offsetMs = offsetMs;
  // Lambda sets the invocation's trace header here; the AWS SDK sends it with every call it makes
  // (its recursion detection middleware), which is how a write to S3 continues the chain.
  const traceHeader = request[REQUEST.traceHeader];
  if (traceHeader === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = traceHeader;
  const invocation: Invocation = { startedAt: performance.now(), settled: false };
  current = invocation;
  port.unref();
  let outcome: unknown;
  try {
    const event: unknown = JSON.parse(request[REQUEST.payload]);
    const deadlineMs = request[REQUEST.deadlineMs];
    outcome = handler(event, makeContext(requestId, deadlineMs, request[REQUEST.clientContext], offsetMs));
  } catch (error) {
    outcome = Promise.reject(error);
  }
  Promise.resolve(outcome).then(
    (value) => succeed(invocation, value),
    (error: unknown) => fail(invocation, error),
  );
}

function succeed(invocation: Invocation, value: unknown): void {
  if (invocation.settled) return;
  let payload: string;
  try {
    payload = JSON.stringify(value) ?? "null";
  } catch (error) {
    fail(
      invocation,
      Object.assign(new Error(`Unable to stringify response body: ${(error as Error).message}`), {
        name: "Runtime.JSONStringifyError",
      }),
    );
    return;
  }
  finish(invocation, true, payload, undefined);
}

function fail(invocation: Invocation, error: unknown): void {
  if (invocation.settled) return;
  logError(
    clock,
    log,
    "Invoke Error",
    toLogFormat(error instanceof Error ? error : new Error(String(error))),
  );
  const payload = toErrorPayload(error);
  finish(invocation, false, JSON.stringify(payload), payload.errorType);
}

function finish(invocation: Invocation, ok: boolean, payload: string, errorType: string | undefined): void {
  invocation.settled = true;
  current = undefined;
  const durationMs = performance.now() - invocation.startedAt;
  const routed = deliveries.length > 0 ? `[${deliveries.join(",")}]` : undefined;
  deliveries.length = 0;
  port.ref();
  const message: ResultMessage = [ok, payload, durationMs, measureMemory(), errorType, routed];
  send(message);
}

/**
 * Nothing left to run while the handler has not finished. Node.js 20/22's runtime client then
 * answers `null` for a non-async handler (the wrapper is one); Node.js 24's simply exits.
 */
function onEventLoopEmpty(): void {
  const invocation = current;
  if (!invocation) return;
  if (legacy) succeed(invocation, null);
  else process.exit(0);
}

function crash(label: string, error: unknown, payload: ErrorPayload, exitCode: number): void {
  logError(clock, log, label, toLogFormat(error));
  send({ type: "crash", errorType: payload.errorType, payload: JSON.stringify(payload) });
  process.exit(exitCode);
}

function unhandledRejection(reason: unknown): Error {
  const error = new Error(String(reason));
  error.name = "Runtime.UnhandledPromiseRejection";
  return Object.assign(error, { reason, promise: {} });
}

/** Import failures reported under the names Lambda's runtime gives them. */
function initError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof SyntaxError) return rename(error, "Runtime.UserCodeSyntaxError");
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
    return rename(error as Error, "Runtime.ImportModuleError");
  return error;
}

function rename(error: Error, name: string): Error {
  const renamed = new Error(String(error));
  renamed.name = name;
  renamed.stack = `${name}: ${String(error)}\n${(error.stack ?? "").split("\n").slice(1).join("\n")}`;
  return renamed;
}

/** Peak of this isolate's heap plus external memory: the thread's own share, in MB. */
function measureMemory(): number {
  const heap = getHeapStatistics();
  const mb = Math.ceil((heap.total_heap_size + heap.external_memory) / (1024 * 1024));
  if (mb > peakMemoryMb) peakMemoryMb = mb;
  return peakMemoryMb;
}

/**
 * Messages between the host and an execution environment's worker thread: plain objects and
 * tuples of strings and numbers, which postMessage copies cheaply. The two messages of every
 * invocation (its request and its result) are tuples. Payloads stay JSON text end to end.
 */
import type { Runtime } from "../../model/app-spec.ts";

export interface WorkerInit {
  /** Absolute path of the function's ESM bundle. */
  readonly file: string;
  readonly exportName: string;
  /** `aws`: install no local route transport (a deployed function routes through the AWS SDK). */
  readonly transport?: "local" | "aws";
  readonly functionArn: string;
  readonly runtime: Runtime;
  /** The host clock when the worker was created; timestamps before the first invoke use it. */
  readonly hostNowMs: number;
  /** A CA certificate (PEM) the environment trusts besides the usual roots: the local CA. */
  readonly trustedCa?: string;
}

/**
 * An invoke request as it crosses to the worker: a tuple, read by the indexes in `REQUEST`. A
 * structured clone writes an object's key names into every message and the receiving thread
 * internalises each again; for an object of these six keys that cost the worker about as much as
 * parsing the event itself (perf, issue 14). An array's elements carry no names.
 */
export type InvokeRequest = readonly [
  requestId: string,
  /** The event as JSON text (already validated by the host). */
  payload: string,
  /** When the invocation times out, on the host's clock. */
  deadlineMs: number,
  /** The host's clock at dispatch; the worker offsets its own wall clock by the difference. */
  hostNowMs: number,
  /** The invocation's X-Ray trace header: the worker's `_X_AMZN_TRACE_ID` while it runs. */
  traceHeader: string | undefined,
  /** Decoded client context JSON, when the caller sent one. */
  clientContext: string | undefined,
];

/** Where each field of an InvokeRequest is. */
export const REQUEST = {
  requestId: 0,
  payload: 1,
  deadlineMs: 2,
  hostNowMs: 3,
  traceHeader: 4,
  clientContext: 5,
} as const;

/** An invocation's result, sent once per invocation: a tuple for the reason InvokeRequest is one. */
export type ResultMessage = readonly [
  /** False for a function error; `payload` is then Lambda's error object. */
  ok: boolean,
  payload: string,
  durationMs: number,
  memoryUsedMb: number,
  /** The function error's type, when `ok` is false. */
  errorType: string | undefined,
  /** JSON array of the deliveries the routing wrapper asked for, when any. */
  deliveries: string | undefined,
];

/** Where each field of a ResultMessage is. */
export const RESULT = {
  ok: 0,
  payload: 1,
  durationMs: 2,
  memoryUsedMb: 3,
  errorType: 4,
  deliveries: 5,
} as const;

/** Lambda's error object: what the invoke response carries for a function error. */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

/** What a worker sends: an invocation's result (the only message every invocation sends), or one of these. */
export type WorkerMessage =
  | ResultMessage
  | { readonly type: "ready"; readonly memoryUsedMb: number }
  | { readonly type: "init-error"; readonly errorType: string; readonly payload: string }
  | { readonly type: "log"; readonly text: string; readonly timestamp: number }
  /** An uncaught exception or unhandled rejection; the worker exits right after. */
  | { readonly type: "crash"; readonly errorType: string; readonly payload: string };

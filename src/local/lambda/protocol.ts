/**
 * Messages between the host and an execution environment's worker thread: plain objects of
 * strings and numbers, which postMessage copies cheaply. Payloads stay JSON text end to end.
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

export interface InvokeRequest {
  readonly requestId: string;
  /** The event as JSON text (already validated by the host). */
  readonly payload: string;
  /** When the invocation times out, on the host's clock. */
  readonly deadlineMs: number;
  /** The host's clock at dispatch; the worker offsets its own wall clock by the difference. */
  readonly hostNowMs: number;
  /** Decoded client context JSON, when the caller sent one. */
  readonly clientContext?: string;
  /** The invocation's X-Ray trace header: the worker's `_X_AMZN_TRACE_ID` while it runs. */
  readonly traceHeader?: string;
}

/** Lambda's error object: what the invoke response carries for a function error. */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type WorkerMessage =
  | { readonly type: "ready"; readonly memoryUsedMb: number }
  | { readonly type: "init-error"; readonly errorType: string; readonly payload: string }
  | { readonly type: "log"; readonly text: string; readonly timestamp: number }
  | {
      readonly type: "result";
      /** False for a function error; `payload` is then Lambda's error object. */
      readonly ok: boolean;
      readonly payload: string;
      readonly errorType?: string;
      /** JSON array of the deliveries the routing wrapper asked for, when any. */
      readonly deliveries?: string;
      readonly durationMs: number;
      readonly memoryUsedMb: number;
    }
  /** An uncaught exception or unhandled rejection; the worker exits right after. */
  | { readonly type: "crash"; readonly errorType: string; readonly payload: string };

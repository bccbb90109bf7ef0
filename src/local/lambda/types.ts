/**
 * The Lambda surface's one interface: invoke a function by its definition name, see its
 * environments, reload code. Event source mappings, routing, the CLI and the endpoint use it.
 */
import type { RouteDelivery } from "../../model/app-spec.ts";

export type InvocationType = "RequestResponse" | "Event" | "DryRun";

export interface InvokeInput {
  /** The event, as the JSON text Lambda would receive. */
  readonly payload: string;
  /** Ask for the last 4 KB of the log (LogType: Tail). */
  readonly tailLog?: boolean;
  /** Base64 client context, passed to `context.clientContext`. */
  readonly clientContext?: string;
  /** Use this request id instead of a fresh one (async retries keep their id). */
  readonly requestId?: string;
}

export interface InvokeResult {
  readonly requestId: string;
  /** 200 for RequestResponse, including function errors, as Lambda answers. */
  readonly statusCode: number;
  /** The JSON text the function returned, or Lambda's error object for a function error. */
  readonly payload: string;
  /** `Unhandled` when the function threw, timed out or crashed. */
  readonly functionError?: "Unhandled";
  /** Last 4 KB of the invocation's log lines, when asked for. */
  readonly logTail?: string;
  readonly executedVersion: string;
  /** Deliveries the routing wrapper asked for; the router sends them before the invoke settles. */
  readonly deliveries: readonly RouteDelivery[];
  /** True when this invoke started a new environment. */
  readonly coldStart: boolean;
}

export interface EnvironmentStats {
  readonly functionName: string;
  readonly warm: number;
  readonly busy: number;
  readonly codeGeneration: number;
}

export interface LogLine {
  readonly functionName: string;
  readonly requestId?: string;
  readonly text: string;
  readonly timestamp: number;
}

export interface LambdaService {
  /**
   * Runs the function synchronously. Throws LambdaError TooManyRequestsException above the
   * function's reserved concurrency, ResourceNotFoundException for an unknown name, and
   * RequestTooLargeException over the synchronous payload limit.
   */
  invoke(functionName: string, input: InvokeInput): Promise<InvokeResult>;
  /** True when `invoke` would start without waiting (an environment is free or may be added). */
  hasCapacity(functionName: string): boolean;
  stats(): EnvironmentStats[];
  /** New invocations run new code in new environments; in-flight ones finish on the old code. */
  reload(): void;
  onLog(listener: (line: LogLine) => void): () => void;
  close(): Promise<void>;
}

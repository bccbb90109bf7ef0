/**
 * The Lambda surface's one interface: invoke a function by its definition name, see its
 * environments, reload code. Event source mappings, routing, the CLI and the endpoint use it.
 */
import type { RouteDelivery } from "../../model/app-spec.ts";
import type { FunctionConfigurationState } from "./function-state.ts";

export type { FunctionConfigurationState, FunctionState, LastUpdateStatus } from "./function-state.ts";

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
  /**
   * The X-Ray trace header of the request that caused this invocation (an S3 event carries the
   * writer's), so the invocation continues its chain: recursive loop detection counts it.
   * @default a new trace
   */
  readonly traceHeader?: string;
  /**
   * What caused this invocation, for its trace hop (issue 20): `queue:pages`, `rule:orders.audit`,
   * `api:GET /pages`, `function:ingest` (an async invoke a route made), `client`.
   * @default "client"
   */
  readonly source?: string;
  /** Which attempt this is: an async retry's, a redelivered message's receive count. @default 1 */
  readonly attempt?: number;
  /**
   * The trace headers of the other traces this invocation belongs to: an SQS batch whose messages
   * came from several traces runs under the first one's and is recorded in each of these too.
   */
  readonly linkedHeaders?: readonly string[];
  /**
   * The payload is JSON text the caller produced itself (JSON.stringify), so only its size is
   * checked, not its syntax: the API gateways invoke with events they have just serialised.
   * @default false
   */
  readonly serialized?: boolean;
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
  /**
   * The X-Ray trace header the invocation ran under (its `_X_AMZN_TRACE_ID`): what the router
   * passes on with its deliveries, as the SDK passes it on with the calls the function makes.
   */
  readonly traceHeader: string;
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
  /**
   * Called each time an invocation gives its concurrency back (its result or error is in): the
   * async invoke queue starts events that waited for room then, not on a clock timer, so settling
   * (LocalCloud.pendingWork) can wait for them. Optional: a service without it is rechecked on the clock.
   */
  onInvocationEnd?(listener: (functionName: string) => void): () => void;
  close(): Promise<void>;
}

/** One function as `sluice functions` and the control endpoint show it. */
export interface FunctionInfo extends EnvironmentStats, FunctionConfigurationState {
  /** Provisioned concurrency asked for now (fixed, or as its schedule last set it). */
  readonly provisioned?: number;
  /** Provisioned environments initialised and free now. */
  readonly provisionedAvailable?: number;
}

/** A function whose new code did not load; its previous code keeps serving. */
export interface UpdateFailure {
  readonly functionName: string;
  readonly reason: string;
  readonly reasonCode: string;
}

/**
 * The local Lambda surface: LambdaService plus Lambda's function states and code updates, which
 * GetFunction and `sluice functions` report.
 */
export interface LocalLambdaService extends LambdaService {
  /**
   * GetFunction's State, StateReason(Code), LastUpdateStatus and LastUpdateStatusReason(Code).
   * Throws LambdaError ResourceNotFoundException for an unknown name.
   */
  configuration(functionName: string): FunctionConfigurationState;
  /** Every function: its state, last update status, warm and busy environments. */
  functionStates(): FunctionInfo[];
  /** Invocations running now across every function (LocalCloud.pendingWork reads it while settling). */
  runningInvocations(): number;
  /**
   * Initialises one environment per function that has none yet, as Lambda prepares a function it
   * creates, so each becomes Active (or Failed when its code cannot load). The environment is then
   * shut down: the first invocation still starts cold.
   */
  activate(): Promise<void>;
  /** A code update began (a rebuild): LastUpdateStatus is InProgress until reload or failUpdate. */
  beginUpdate(): void;
  /**
   * Applies new code: each function whose bundle changed starts one environment on it first. When
   * it loads, new invocations run it (LastUpdateStatus Successful); when it does not, the previous
   * code keeps serving (LastUpdateStatus Failed). Resolves when every function has settled.
   */
  reload(): Promise<readonly UpdateFailure[]>;
  /**
   * One function's configuration changed, as UpdateFunctionConfiguration changes one function
   * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): its LastUpdateStatus is
   * InProgress until its code initialises again, then Successful; its new invocations get new
   * environments (which read its variables anew), in-flight ones finish on theirs. The other
   * functions are untouched. Throws LambdaError ResourceNotFoundException for an unknown name.
   */
  reloadFunction(functionName: string): Promise<UpdateFailure | undefined>;
  /**
   * The function's environment variables, as GetFunctionConfiguration reports them and its new
   * environments get them: its definition's, then those set on it outside the definition
   * (LambdaServiceOptions.variables). Throws for an unknown name.
   */
  variables(functionName: string): Readonly<Record<string, string>>;
  /** The update could not be applied (the build failed): LastUpdateStatus Failed, old code serves. */
  failUpdate(reason: string): void;
  /** Resolves when the provisioned environments being initialised now are ready (tests wait on it). */
  provisioningSettled(): Promise<void>;
  /** Bundle files that environments may still load (current code of every function). */
  codeFiles(): ReadonlySet<string>;
}

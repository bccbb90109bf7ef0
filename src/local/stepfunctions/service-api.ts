/**
 * What the local Step Functions offers the rest of Sluice: the API operations (the wire in
 * wire/sfn-json.ts translates AWS's JSON 1.0 protocol to these; the CLI and the control API call
 * them too), shaped as AWS's API shapes them
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html).
 * Dates are epoch milliseconds here; the wire writes them as AWS's JSON protocol does (epoch seconds).
 * Errors are thrown as SfnApiError with AWS's codes (ExecutionDoesNotExist, StateMachineDoesNotExist,
 * ExecutionAlreadyExists, InvalidArn, InvalidName, InvalidExecutionInput, TaskDoesNotExist,
 * TaskTimedOut, InvalidToken, StateMachineTypeNotSupported, ValidationException, InvalidDefinition, ...).
 */

/** An execution's statuses (ListExecutions' statusFilter takes the same), the API's ExecutionStatus enum. */
export const EXECUTION_STATUSES = [
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "TIMED_OUT",
  "ABORTED",
  "PENDING_REDRIVE",
] as const;

export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export class SfnApiError extends Error {
  constructor(
    /** AWS's error code, e.g. ExecutionDoesNotExist. */
    readonly code: string,
    message: string,
    /** HTTP status (400 for every Step Functions client error). */
    readonly status = 400,
  ) {
    super(message);
    this.name = "SfnApiError";
  }
}

export interface StateMachineSummary {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: "STANDARD" | "EXPRESS";
  readonly creationDate: number;
}

export interface StateMachineDescription extends StateMachineSummary {
  readonly status: "ACTIVE" | "DELETING";
  /** The ASL document as JSON text, Sluice names resolved to this cloud's ARNs. */
  readonly definition: string;
  readonly roleArn: string;
  readonly loggingConfiguration: { readonly level: string; readonly includeExecutionData: boolean };
}

export interface ExecutionSummary {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate?: number;
}

export interface ExecutionDescription extends ExecutionSummary {
  /** JSON text. */
  readonly input: string;
  /** JSON text, when SUCCEEDED. */
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly traceHeader?: string;
}

/** One history event as GetExecutionHistory returns it: `type` is AWS's HistoryEventType, details under AWS's key for that type (e.g. `taskScheduledEventDetails`). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

export interface StartExecutionInput {
  readonly stateMachineArn: string;
  readonly name?: string;
  /** JSON text; default "{}". */
  readonly input?: string;
  readonly traceHeader?: string;
}

export interface StepFunctionsApi {
  listStateMachines(): readonly StateMachineSummary[];
  describeStateMachine(stateMachineArn: string): StateMachineDescription;
  /** STANDARD or EXPRESS (asynchronous Express): starts, returns at once. */
  startExecution(input: StartExecutionInput): { executionArn: string; startDate: number };
  /** EXPRESS only: runs to the end and answers as StartSyncExecution does. */
  startSyncExecution(input: StartExecutionInput): Promise<
    ExecutionDescription & {
      readonly billingDetails?: { billedMemoryUsedInMB: number; billedDurationInMilliseconds: number };
    }
  >;
  describeExecution(executionArn: string): ExecutionDescription;
  stopExecution(input: { executionArn: string; error?: string; cause?: string }): { stopDate: number };
  /** Newest first, as AWS lists them; `nextToken` pages. */
  listExecutions(input: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): { executions: readonly ExecutionSummary[]; nextToken?: string };
  getExecutionHistory(input: {
    executionArn: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
    maxResults?: number;
    nextToken?: string;
  }): { events: readonly HistoryEvent[]; nextToken?: string };
  sendTaskSuccess(input: { taskToken: string; output: string }): void;
  sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): void;
  sendTaskHeartbeat(input: { taskToken: string }): void;
  /**
   * The ARN of the state machine whose execution issued `taskToken`: IAM authorises SendTask* on it
   * (model/iam/function-grants.ts). Undefined for a token this cloud never issued.
   */
  taskTokenOwner(taskToken: string): string | undefined;
}

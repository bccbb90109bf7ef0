/**
 * An error as Step Functions names it: `error` is the name Retry and Catch match on
 * (`States.TaskFailed`, `States.Timeout`, `Lambda.ServiceException`, a function's own error
 * type, ...), `cause` the human text. Every failure inside an execution is one of these.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = "StatesError";
  }
}

/** The predefined error names (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation). */
export const STATES_ERRORS = {
  all: "States.ALL",
  dataLimitExceeded: "States.DataLimitExceeded",
  exceedToleratedFailureThreshold: "States.ExceedToleratedFailureThreshold",
  heartbeatTimeout: "States.HeartbeatTimeout",
  intrinsicFailure: "States.IntrinsicFailure",
  itemReaderFailed: "States.ItemReaderFailed",
  noChoiceMatched: "States.NoChoiceMatched",
  parameterPathFailure: "States.ParameterPathFailure",
  permissions: "States.Permissions",
  queryEvaluationError: "States.QueryEvaluationError",
  resultPathMatchFailure: "States.ResultPathMatchFailure",
  resultWriterFailed: "States.ResultWriterFailed",
  runtime: "States.Runtime",
  taskFailed: "States.TaskFailed",
  timeout: "States.Timeout",
  branchFailed: "States.BranchFailed",
} as const;

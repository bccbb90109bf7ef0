/** CloudFormation's errors as its query API names them (all are the caller's fault, HTTP 400). */
import { AwsError } from "../../model/errors.ts";

export const CFN_ERROR = {
  validation: "ValidationError",
  alreadyExists: "AlreadyExistsException",
  changeSetNotFound: "ChangeSetNotFound",
  insufficientCapabilities: "InsufficientCapabilitiesException",
  invalidChangeSetStatus: "InvalidChangeSetStatus",
  limitExceeded: "LimitExceededException",
  tokenAlreadyExists: "TokenAlreadyExistsException",
} as const;

export type CfnErrorCode = (typeof CFN_ERROR)[keyof typeof CFN_ERROR];

export class CfnError extends AwsError {
  constructor(code: CfnErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, code === CFN_ERROR.changeSetNotFound ? 404 : 400, context);
  }
}

export function validationError(message: string): CfnError {
  return new CfnError(CFN_ERROR.validation, message);
}

import { AwsError } from "../../model/errors.ts";

/**
 * CloudWatch Logs' errors. Over AWS JSON 1.1 every one is a 400 with `__type` and `message`
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html and
 * each action's Errors section).
 */
export type LogsErrorCode =
  | "ResourceNotFoundException"
  | "ResourceAlreadyExistsException"
  | "InvalidParameterException"
  | "UnknownOperationException"
  | "SerializationException";

export class LogsError extends AwsError {
  override readonly code: LogsErrorCode;

  constructor(code: LogsErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, 400, context);
    this.code = code;
  }
}

export function logGroupNotFound(name: string): LogsError {
  return new LogsError("ResourceNotFoundException", "The specified log group does not exist.", {
    logGroupName: name,
  });
}

export function logStreamNotFound(group: string, stream: string): LogsError {
  return new LogsError("ResourceNotFoundException", "The specified log stream does not exist.", {
    logGroupName: group,
    logStreamName: stream,
  });
}

export function invalidParameter(message: string): LogsError {
  return new LogsError("InvalidParameterException", message);
}

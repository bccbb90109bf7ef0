import { AwsError } from "../../model/errors.ts";

/**
 * SQS's errors as AWS answers them. `code` is the JSON-protocol name (the SDK v3 exception name);
 * `queryCode` is what the query (XML) protocol and the `x-amzn-query-error` header carry.
 * Statuses and query codes come from the AWS service model as the SDK ships it
 * (`@aws-sdk/client-sqs` schemas: `awsQueryError` and `httpError` traits of each error shape) and
 * the SQS API reference "Common Errors" table.
 */
export const SQS_ERRORS = {
  QueueDoesNotExist: { queryCode: "AWS.SimpleQueueService.NonExistentQueue", statusCode: 400 },
  QueueNameExists: { queryCode: "QueueAlreadyExists", statusCode: 400 },
  QueueDeletedRecently: { queryCode: "AWS.SimpleQueueService.QueueDeletedRecently", statusCode: 400 },
  ReceiptHandleIsInvalid: { queryCode: "ReceiptHandleIsInvalid", statusCode: 404 },
  /** Modelled by AWS, but SQS answers a stale handle with success or InvalidParameterValue. */
  MessageNotInflight: { queryCode: "AWS.SimpleQueueService.MessageNotInflight", statusCode: 400 },
  InvalidMessageContents: { queryCode: "InvalidMessageContents", statusCode: 400 },
  InvalidParameterValue: { queryCode: "InvalidParameterValue", statusCode: 400 },
  MissingParameter: { queryCode: "MissingParameter", statusCode: 400 },
  InvalidAttributeName: { queryCode: "InvalidAttributeName", statusCode: 400 },
  InvalidAttributeValue: { queryCode: "InvalidAttributeValue", statusCode: 400 },
  PurgeQueueInProgress: { queryCode: "AWS.SimpleQueueService.PurgeQueueInProgress", statusCode: 403 },
  EmptyBatchRequest: { queryCode: "AWS.SimpleQueueService.EmptyBatchRequest", statusCode: 400 },
  TooManyEntriesInBatchRequest: {
    queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    statusCode: 400,
  },
  BatchEntryIdsNotDistinct: { queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", statusCode: 400 },
  BatchRequestTooLong: { queryCode: "AWS.SimpleQueueService.BatchRequestTooLong", statusCode: 400 },
  InvalidBatchEntryId: { queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId", statusCode: 400 },
  UnsupportedOperation: { queryCode: "AWS.SimpleQueueService.UnsupportedOperation", statusCode: 400 },
  ResourceNotFoundException: { queryCode: "ResourceNotFoundException", statusCode: 404 },
  /** Common error: the action is not one SQS has. */
  InvalidAction: { queryCode: "InvalidAction", statusCode: 400 },
} as const;

export type SqsErrorCode = keyof typeof SQS_ERRORS;

export class SqsError extends AwsError {
  override readonly code: SqsErrorCode;
  override readonly queryCode: string;

  constructor(code: SqsErrorCode, message: string, context: Record<string, unknown> = {}) {
    const { queryCode, statusCode } = SQS_ERRORS[code];
    super(code, message, statusCode, context);
    this.code = code;
    this.queryCode = queryCode;
  }
}

export function queueDoesNotExist(queue: string): SqsError {
  return new SqsError(
    "QueueDoesNotExist",
    `The specified queue does not exist: "${queue}". Use a queue name from the definition, a physical queue name, URL or ARN of a created queue.`,
    { queue },
  );
}

/** AWS's wording for a bad parameter: "Value X for parameter Y is invalid. Reason: Z." */
export function invalidParameter(parameter: string, value: unknown, reason: string): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    `Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`,
    { parameter },
  );
}

export function missingParameter(parameter: string): SqsError {
  return new SqsError("MissingParameter", `The request must contain the parameter ${parameter}.`, {
    parameter,
  });
}

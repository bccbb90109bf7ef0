/** PartiQL's own errors and the per-statement error codes of BatchExecuteStatement. */
import type { AwsError } from "../../../model/errors.ts";
import { DynamoDbError } from "../errors.ts";

/**
 * An INSERT whose key exists. The API reference names the error DuplicateItemException
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html#API_ExecuteStatement_Errors);
 * the message is DynamoDB's.
 */
export const DUPLICATE_ITEM_MESSAGE = "Duplicate primary key exists in table";

export function duplicateItem(): DynamoDbError {
  return new DynamoDbError("DuplicateItemException", DUPLICATE_ITEM_MESSAGE);
}

/**
 * A BatchExecuteStatement response's Error.Code (BatchStatementErrorCodeEnum:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchStatementError.html).
 */
export function batchErrorCode(error: AwsError): string {
  switch (error.code) {
    case "ValidationException":
      return "ValidationError";
    case "ConditionalCheckFailedException":
      return "ConditionalCheckFailed";
    case "DuplicateItemException":
      return "DuplicateItem";
    case "ResourceNotFoundException":
      return "ResourceNotFound";
    case "AccessDeniedException":
      return "AccessDenied";
    case "TransactionConflictException":
      return "TransactionConflict";
    case "ProvisionedThroughputExceededException":
      return "ProvisionedThroughputExceeded";
    default:
      return "InternalServerError";
  }
}

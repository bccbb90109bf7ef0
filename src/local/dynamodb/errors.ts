/**
 * DynamoDB's errors, with the codes and messages DynamoDB answers (checked against DynamoDB
 * Local 3.3, which bundles AWS's own engine, and the API reference's error lists, e.g.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#API_PutItem_Errors).
 * Every one is HTTP 400. `fields` are extra members of the error body (the ConditionalCheckFailed
 * item, a transaction's CancellationReasons), which the wire handler writes beside `message`.
 */
import { AwsError } from "../../model/errors.ts";
import { DynamoDbValidationError, type Item } from "./expressions/index.ts";

export class DynamoDbError extends AwsError {
  constructor(
    code: string,
    message: string,
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(code, message, 400);
  }
}

export function validation(message: string): DynamoDbValidationError {
  return new DynamoDbValidationError(message);
}

/** "One or more parameter values were invalid: <detail>", DynamoDB's wording for bad values. */
export function invalidParameter(detail: string): DynamoDbValidationError {
  return new DynamoDbValidationError(`One or more parameter values were invalid: ${detail}`);
}

/**
 * A constraint of the API model, worded as AWS's request validation words it:
 * "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: ...".
 */
export function constraint(member: string, value: unknown, rule: string): DynamoDbValidationError {
  const shown = value === undefined || value === null ? "null" : `'${String(value)}'`;
  return new DynamoDbValidationError(
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${rule}`,
  );
}

/**
 * A missing table: the table calls (DescribeTable, UpdateTable, DeleteTable) name it, the item
 * calls do not, as dynalite's tests (checked against the live service) have them.
 */
export function tableNotFound(name: string, named: boolean): DynamoDbError {
  return new DynamoDbError(
    "ResourceNotFoundException",
    named ? `Requested resource not found: Table: ${name} not found` : "Requested resource not found",
  );
}

export function resourceNotFound(detail = "Requested resource not found"): DynamoDbError {
  return new DynamoDbError("ResourceNotFoundException", detail);
}

export function resourceInUse(message: string): DynamoDbError {
  return new DynamoDbError("ResourceInUseException", message);
}

export const CONDITION_FAILED_MESSAGE = "The conditional request failed";

/** A failed ConditionExpression; `item` only with ReturnValuesOnConditionCheckFailure ALL_OLD. */
export function conditionFailed(item: Item | undefined): DynamoDbError {
  return new DynamoDbError(
    "ConditionalCheckFailedException",
    CONDITION_FAILED_MESSAGE,
    item === undefined ? {} : { Item: item },
  );
}

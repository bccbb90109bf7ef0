import { AwsError } from "../../../model/errors.ts";

/** The expression parameters AWS names in its messages ("Invalid UpdateExpression: ..."). */
export type ExpressionKind =
  | "ConditionExpression"
  | "FilterExpression"
  | "KeyConditionExpression"
  | "UpdateExpression"
  | "ProjectionExpression";

/**
 * DynamoDB answers every malformed or inapplicable expression with `ValidationException` (HTTP
 * 400); only the message differs. Messages follow AWS's texts, as DynamoDB returns them.
 */
export class DynamoDbValidationError extends AwsError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super("ValidationException", message, 400, context);
  }
}

/** An error in one expression, worded as AWS words it: "Invalid <Kind>: <detail>". */
export function invalidExpression(kind: ExpressionKind, detail: string): DynamoDbValidationError {
  return new DynamoDbValidationError(`Invalid ${kind}: ${detail}`, { expressionKind: kind });
}

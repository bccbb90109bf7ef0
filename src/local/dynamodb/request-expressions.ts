/**
 * The expression parameters of a request: its placeholders (shared by all its expressions,
 * every one of which must be used), and DynamoDB's legacy parameters, which Sluice refuses.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
 */

import { validation } from "./errors.ts";
import {
  type CompiledCondition,
  type CompiledProjection,
  compileCondition,
  compileProjection,
  DynamoDbValidationError,
  invalidValue,
  Placeholders,
} from "./expressions/index.ts";
import { type Input, optNames, optString, optValues } from "./input.ts";
import { checkValue } from "./item-validation.ts";

/** The legacy (pre-expression) parameters and the expression that replaces each (pairs: read per call). */
const LEGACY: readonly (readonly [string, string])[] = [
  ["Expected", "ConditionExpression"],
  ["ConditionalOperator", "ConditionExpression or FilterExpression"],
  ["AttributeUpdates", "UpdateExpression"],
  ["AttributesToGet", "ProjectionExpression"],
  ["KeyConditions", "KeyConditionExpression"],
  ["QueryFilter", "FilterExpression"],
  ["ScanFilter", "FilterExpression"],
];

/**
 * Sluice serves the expression parameters only (a decision, docs/fidelity.md): a legacy one is
 * refused with a ValidationException naming its replacement.
 */
function refuseLegacy(input: Input): void {
  for (const [name, replacement] of LEGACY) {
    if (input[name] !== undefined && input[name] !== null) {
      throw validation(
        `Sluice's DynamoDB does not support the legacy parameter ${name}; use ${replacement} instead`,
      );
    }
  }
}

/** The request's placeholders; refused, as DynamoDB does, when the request has no expression. */
export function placeholdersOf(input: Input, expressions: readonly string[]): Placeholders {
  refuseLegacy(input);
  const names = optNames(input, "ExpressionAttributeNames");
  const values = optValues(input, "ExpressionAttributeValues");
  const given = (name: string) => input[name] !== undefined && input[name] !== null;
  if (names !== undefined && !expressions.some(given)) {
    throw validation("ExpressionAttributeNames can only be specified when using expressions");
  }
  // A ProjectionExpression takes no values: DynamoDB names the expressions that could.
  const valued = expressions.filter((name) => name !== "ProjectionExpression");
  if (values !== undefined && !valued.some(given)) {
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valued.join(" and ")} ${valued.length === 1 ? "is" : "are"} null`,
    );
  }
  const placeholders = new Placeholders({
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
  // After the Placeholders' own checks (keys, then numbers, in DynamoDB's words), each value is
  // checked as an item's attribute value is: a value of the wrong JSON type (`{"S": 5}`, `null`)
  // otherwise reached the engine and failed there as an internal error.
  for (const [key, value] of Object.entries(values ?? {})) {
    try {
      checkValue(value);
    } catch (error) {
      if (!(error instanceof DynamoDbValidationError)) throw error;
      throw invalidValue(key, error.message);
    }
  }
  return placeholders;
}

export function conditionOf(
  input: Input,
  placeholders: Placeholders,
  name: "ConditionExpression" | "FilterExpression" = "ConditionExpression",
): CompiledCondition | undefined {
  const expression = optString(input, name);
  return expression === undefined ? undefined : compileCondition(expression, placeholders, name);
}

export function projectionOf(input: Input, placeholders: Placeholders): CompiledProjection | undefined {
  const expression = optString(input, "ProjectionExpression");
  return expression === undefined ? undefined : compileProjection(expression, placeholders);
}

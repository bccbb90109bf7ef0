// Helpers for the DynamoDB expression tests: compile with placeholders in one call, and assert
// AWS's ValidationException with its exact message.
import assert from "node:assert/strict";
import {
  type AttributeValue,
  compileCondition,
  compileKeyCondition,
  compileProjection,
  compileUpdate,
  DynamoDbValidationError,
  type Item,
  type KeySchema,
  Placeholders,
} from "../../src/local/dynamodb/index.ts";

export type Values = Record<string, AttributeValue>;
export type Names = Record<string, string>;

/** Results are built without prototypes; a plain copy compares with object literals. */
function plain(item: Item): Item {
  return JSON.parse(JSON.stringify(item)) as Item;
}

function placeholders(values?: Values, names?: Names): Placeholders {
  return new Placeholders({ ExpressionAttributeValues: values, ExpressionAttributeNames: names });
}

/** Evaluates a condition over an item; every placeholder given must be used. */
export function holds(item: Item, expression: string, values?: Values, names?: Names): boolean {
  const request = placeholders(values, names);
  const condition = compileCondition(expression, request);
  request.assertAllUsed();
  return condition.evaluate(item);
}

export function update(
  item: Item,
  expression: string,
  values?: Values,
  names?: Names,
  keyAttributes: readonly string[] = [],
): Item {
  const request = placeholders(values, names);
  const compiled = compileUpdate(expression, request, keyAttributes);
  request.assertAllUsed();
  return plain(compiled.apply(item));
}

export function project(item: Item, expression: string, names?: Names): Item {
  const request = placeholders(undefined, names);
  const compiled = compileProjection(expression, request);
  request.assertAllUsed();
  return plain(compiled.project(item));
}

export function keyCondition(expression: string, schema: KeySchema, values?: Values, names?: Names) {
  const request = placeholders(values, names);
  const compiled = compileKeyCondition(expression, request, schema);
  request.assertAllUsed();
  return compiled;
}

/** Asserts that `run` throws DynamoDB's ValidationException with exactly `message`. */
export function refuses(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(
      error instanceof DynamoDbValidationError,
      `expected a ValidationException, got ${String(error)}`,
    );
    assert.equal(error.code, "ValidationException");
    assert.equal(error.statusCode, 400);
    assert.equal(error.message, message);
    return true;
  });
}

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: string | number): AttributeValue => ({ N: String(value) });
export const B = (bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString("base64") });

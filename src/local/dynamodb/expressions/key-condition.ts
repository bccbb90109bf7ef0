import { type AttributeValue, type Item, typeOf } from "./attribute-value.ts";
import {
  evaluateCondition,
  type ResolvedCondition,
  type ResolvedOperand,
  resolveCondition,
} from "./condition.ts";
import { DynamoDbValidationError, invalidExpression } from "./errors.ts";
import { parseConditionTree } from "./parse.ts";
import type { Placeholders } from "./placeholders.ts";

/** A table's (or index's) key, as KeySchema and AttributeDefinitions state it. */
export interface KeySchema {
  readonly partitionKey: { readonly name: string; readonly type: "S" | "N" | "B" };
  readonly sortKey?: { readonly name: string; readonly type: "S" | "N" | "B" } | undefined;
}

export type SortKeyCondition =
  | { readonly op: "=" | "<" | "<=" | ">" | ">="; readonly value: AttributeValue }
  | { readonly op: "BETWEEN"; readonly low: AttributeValue; readonly high: AttributeValue }
  | { readonly op: "begins_with"; readonly value: AttributeValue };

/**
 * A Query's KeyConditionExpression: equality on the partition key and at most one condition on
 * the sort key (= < <= > >= BETWEEN begins_with), combined with AND.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
 */
export interface CompiledKeyCondition {
  readonly expression: string;
  readonly partitionKey: { readonly name: string; readonly value: AttributeValue };
  readonly sortKey?: { readonly name: string; readonly condition: SortKeyCondition } | undefined;
  matches(item: Item): boolean;
}

const KIND = "KeyConditionExpression";

/**
 * The refusals of a key condition that parses but cannot select a key range. AWS words them without
 * the "Invalid KeyConditionExpression: " prefix of other expression errors (the CLI prints "An error
 * occurred (ValidationException) when calling the Query operation: Query key condition not
 * supported"); DynamoDB Local answers the same texts, pinned by
 * test/integration/local-dynamodb-oracle.test.ts.
 */
function keyConditionRefusal(detail: string): DynamoDbValidationError {
  return new DynamoDbValidationError(detail, { expressionKind: KIND });
}

interface KeyPredicate {
  readonly name: string;
  readonly condition: SortKeyCondition;
}

function keyName(operand: ResolvedOperand): string | undefined {
  if (operand.type !== "path") return undefined;
  if (operand.path.length !== 1) return undefined;
  return operand.path[0] as string;
}

function operandConstant(operand: ResolvedOperand | undefined): AttributeValue {
  if (operand?.type !== "value") throw keyConditionRefusal("Query key condition not supported");
  return operand.value;
}

function predicates(condition: ResolvedCondition, out: KeyPredicate[]): void {
  switch (condition.type) {
    case "and":
      predicates(condition.left, out);
      predicates(condition.right, out);
      return;
    case "or":
    case "not":
      throw keyConditionRefusal(
        `Invalid operator used in KeyConditionExpression: ${condition.type.toUpperCase()}`,
      );
    case "in":
      throw keyConditionRefusal("Invalid operator used in KeyConditionExpression: IN");
    case "compare": {
      if (condition.op === "<>")
        throw keyConditionRefusal("Invalid operator used in KeyConditionExpression: <>");
      // `:v = pk` is the same condition written the other way round.
      const flipped = { "=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;
      const leftName = keyName(condition.left);
      if (leftName !== undefined) {
        out.push({
          name: leftName,
          condition: { op: condition.op, value: operandConstant(condition.right) },
        });
        return;
      }
      const rightName = keyName(condition.right);
      if (rightName === undefined) throw keyConditionRefusal("Query key condition not supported");
      out.push({
        name: rightName,
        condition: { op: flipped[condition.op], value: operandConstant(condition.left) },
      });
      return;
    }
    case "between": {
      const name = keyName(condition.subject);
      if (name === undefined) throw keyConditionRefusal("Query key condition not supported");
      out.push({
        name,
        condition: {
          op: "BETWEEN",
          low: operandConstant(condition.low),
          high: operandConstant(condition.high),
        },
      });
      return;
    }
    case "function": {
      const { name } = condition;
      if (name !== "begins_with")
        throw keyConditionRefusal(`Invalid operator used in KeyConditionExpression: ${name}`);
      const key = keyName(condition.args[0] as ResolvedOperand);
      if (key === undefined) throw keyConditionRefusal("Query key condition not supported");
      out.push({ name: key, condition: { op: "begins_with", value: operandConstant(condition.args[1]) } });
      return;
    }
  }
}

function conditionValues(condition: SortKeyCondition): AttributeValue[] {
  return condition.op === "BETWEEN" ? [condition.low, condition.high] : [condition.value];
}

/**
 * Parses a KeyConditionExpression and checks it against the key schema, with AWS's refusals:
 * a missing partition key, a non-equality on it, a second condition on a key, an attribute that
 * is not a key, an operator key conditions do not allow, or a value of the wrong type.
 */
export function compileKeyCondition(
  expression: string,
  placeholders: Placeholders,
  schema: KeySchema,
): CompiledKeyCondition {
  const tree = resolveCondition(KIND, parseConditionTree(KIND, expression), placeholders);
  const found: KeyPredicate[] = [];
  predicates(tree, found);
  const names = found.map((predicate) => predicate.name);
  if (found.length > 2 || new Set(names).size !== names.length) {
    throw keyConditionRefusal("KeyConditionExpressions must only contain one condition per key");
  }
  const partition = found.find((predicate) => predicate.name === schema.partitionKey.name);
  if (partition === undefined) {
    throw new DynamoDbValidationError(
      `Query condition missed key schema element: ${schema.partitionKey.name}`,
    );
  }
  const other = found.find((predicate) => predicate !== partition);
  if (other !== undefined && other.name !== schema.sortKey?.name) {
    throw new DynamoDbValidationError(
      `Query condition missed key schema element: ${schema.sortKey?.name ?? schema.partitionKey.name}`,
    );
  }
  if (partition.condition.op !== "=") throw keyConditionRefusal("Query key condition not supported");
  const checks: [KeyPredicate, "S" | "N" | "B"][] = [[partition, schema.partitionKey.type]];
  if (other !== undefined && schema.sortKey !== undefined) checks.push([other, schema.sortKey.type]);
  for (const [predicate, type] of checks) {
    if (conditionValues(predicate.condition).some((value) => typeOf(value) !== type)) {
      throw new DynamoDbValidationError(
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
      );
    }
  }
  if (other?.condition.op === "begins_with" && schema.sortKey?.type === "N") {
    throw invalidExpression(
      KIND,
      "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
    );
  }
  return {
    expression,
    partitionKey: { name: partition.name, value: (partition.condition as { value: AttributeValue }).value },
    sortKey: other === undefined ? undefined : { name: other.name, condition: other.condition },
    matches: (item) => evaluateCondition(tree, item),
  };
}

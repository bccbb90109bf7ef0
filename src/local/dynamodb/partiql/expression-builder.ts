/**
 * Writes parts of a PartiQL statement as DynamoDB expressions (condition, key condition, update,
 * projection) with `#n` name and `:v` value placeholders, so the engine's own expression
 * languages check and evaluate them: PartiQL's operators and functions are the expressions' ones
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-operators.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-functions.html).
 */
import { type AttributeValue, DynamoDbValidationError } from "../expressions/index.ts";
import type { Operand, PartiqlCondition, Path } from "./ast.ts";
import { attributeValue, type Parameters } from "./attribute-values.ts";

/** The functions a WHERE clause may call, as DynamoDB's PartiQL names them (case-insensitive). */
const CONDITION_FUNCTIONS = new Set([
  "begins_with",
  "contains",
  "attribute_type",
  "attribute_exists",
  "attribute_not_exists",
  "size",
]);
/** The functions a SET value may call. */
const VALUE_FUNCTIONS = new Set(["size", "list_append", "if_not_exists"]);

export class ExpressionBuilder {
  readonly names: Record<string, string> = Object.create(null) as Record<string, string>;
  readonly values: Record<string, AttributeValue> = Object.create(null) as Record<string, AttributeValue>;
  private readonly nameOf = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly params: Parameters) {}

  name(attribute: string): string {
    let placeholder = this.nameOf.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#n${this.nameOf.size}`;
      this.nameOf.set(attribute, placeholder);
      this.names[placeholder] = attribute;
    }
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:v${this.valueCount++}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  path(path: Path): string {
    return path
      .map((step, i) =>
        step.kind === "index" ? `[${step.index}]` : `${i === 0 ? "" : "."}${this.name(step.name)}`,
      )
      .join("");
  }

  operand(operand: Operand, functions: ReadonlySet<string> = CONDITION_FUNCTIONS): string {
    switch (operand.type) {
      case "value":
        return this.value(attributeValue(operand.value, this.params));
      case "path":
        return this.path(operand.path);
      case "arithmetic":
        return `${this.operand(operand.left, functions)} ${operand.op} ${this.operand(operand.right, functions)}`;
      case "function": {
        const name = operand.name.toLowerCase();
        if (!functions.has(name)) throw new DynamoDbValidationError(`Unrecognized function: ${operand.name}`);
        return `${name}(${operand.args.map((arg) => this.operand(arg, functions)).join(", ")})`;
      }
    }
  }

  /** A SET action's value. */
  setValue(operand: Operand): string {
    return this.operand(operand, VALUE_FUNCTIONS);
  }

  condition(condition: PartiqlCondition): string {
    switch (condition.type) {
      case "and":
      case "or":
        return `(${this.condition(condition.left)}) ${condition.type.toUpperCase()} (${this.condition(condition.right)})`;
      case "not":
        return `NOT (${this.condition(condition.condition)})`;
      case "compare":
        return `${this.operand(condition.left)} ${condition.op} ${this.operand(condition.right)}`;
      case "between":
        return `${this.operand(condition.subject)} BETWEEN ${this.operand(condition.low)} AND ${this.operand(condition.high)}`;
      case "in":
        return `${this.operand(condition.subject)} IN (${condition.list.map((item) => this.operand(item)).join(", ")})`;
      case "call":
        return this.operand(condition.call);
      case "is": {
        const subject = this.operand(condition.subject);
        if (condition.what === "MISSING") {
          return condition.negated ? `attribute_exists(${subject})` : `attribute_not_exists(${subject})`;
        }
        const isNull = `attribute_type(${subject}, ${this.value({ S: "NULL" })})`;
        return condition.negated ? `NOT ${isNull}` : isNull;
      }
    }
  }

  /** The placeholders for a request: only the maps that have entries (DynamoDB refuses empty ones). */
  attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

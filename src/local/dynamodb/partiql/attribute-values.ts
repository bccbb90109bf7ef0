/**
 * PartiQL values as DynamoDB attribute values: 'strings' → S, numbers → N, TRUE/FALSE → BOOL,
 * NULL → NULL, [lists] → L, {tuples} → M, <<bags>> → SS/NS/BS, `?` → the request's Parameters
 * in order. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.data-types.html
 * Messages are DynamoDB's (checked against DynamoDB Local 3.3.1).
 */
import { newAttributeMap } from "../expressions/attribute-value.ts";
import { type AttributeValue, DynamoDbValidationError } from "../expressions/index.ts";
import type { PartiqlValueNode, Statement } from "./ast.ts";

/** `line:column:length` of a node, as DynamoDB's PartiQL messages place it. */
export function at(statement: string, offset: number, length: number): string {
  const before = statement.slice(0, offset).split("\n");
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}:${length}`;
}

/** Binds a statement's `?` markers to the request's Parameters, by their order in the text. */
export class Parameters {
  private readonly ranks = new Map<number, number>();

  constructor(
    readonly statement: string,
    tree: Statement,
    private readonly values: readonly AttributeValue[],
  ) {
    const offsets: number[] = [];
    collect(tree, offsets);
    for (const [rank, offset] of offsets.sort((a, b) => a - b).entries()) this.ranks.set(offset, rank);
    if (offsets.length > values.length) {
      throw new DynamoDbValidationError("Number of parameters in request and statement don't match.");
    }
  }

  at(offset: number): AttributeValue {
    return this.values[this.ranks.get(offset) ?? -1] as AttributeValue;
  }
}

function collect(node: unknown, offsets: number[]): void {
  if (Array.isArray(node)) for (const child of node) collect(child, offsets);
  else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.kind === "parameter" && typeof record.offset === "number") offsets.push(record.offset);
    for (const value of Object.values(record)) collect(value, offsets);
  }
}

/** The attribute value a PartiQL value stands for. */
export function attributeValue(node: PartiqlValueNode, params: Parameters): AttributeValue {
  switch (node.kind) {
    case "parameter":
      return params.at(node.offset);
    case "string":
      return { S: node.value };
    case "number":
      return { N: node.text };
    case "boolean":
      return { BOOL: node.value };
    case "null":
      return { NULL: true };
    case "missing":
      throw new DynamoDbValidationError(
        `Unsupported data type: MISSING at ${at(params.statement, node.offset, "MISSING".length)}`,
      );
    case "list":
      return { L: node.items.map((item) => attributeValue(item, params)) };
    case "bag":
      return bag(node, params);
    case "tuple": {
      const map = newAttributeMap();
      for (const entry of node.entries) {
        const where = at(params.statement, entry.key.offset, entry.key.value.length + 2);
        if (entry.key.kind !== "string") {
          throw new DynamoDbValidationError(
            `Tuple keys must be of type String. Actual type: VariableReference under root at ${where}`,
          );
        }
        if (Object.hasOwn(map, entry.key.value)) {
          throw new DynamoDbValidationError(
            `Duplicate keys in tuple. Key: ${entry.key.value} under root at ${where}`,
          );
        }
        if (entry.value.kind === "missing") {
          const missing = at(params.statement, entry.value.offset, "MISSING".length);
          throw new DynamoDbValidationError(`Unsupported data type: MISSING under key root at ${missing}`);
        }
        map[entry.key.value] = attributeValue(entry.value, params);
      }
      return { M: map };
    }
  }
}

function bag(node: Extract<PartiqlValueNode, { kind: "bag" }>, params: Parameters): AttributeValue {
  if (node.items.length === 0) {
    throw new DynamoDbValidationError(
      `Empty bags are not supported at ${at(params.statement, node.offset, 2)}`,
    );
  }
  const members = node.items.map((item) => attributeValue(item, params));
  if (members.every((member) => "S" in member))
    return { SS: members.map((member) => (member as { S: string }).S) };
  if (members.every((member) => "N" in member))
    return { NS: members.map((member) => (member as { N: string }).N) };
  if (members.every((member) => "B" in member))
    return { BS: members.map((member) => (member as { B: string }).B) };
  throw new DynamoDbValidationError(
    "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
  );
}

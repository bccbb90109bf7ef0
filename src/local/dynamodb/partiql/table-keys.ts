/**
 * The key schema a statement works on (the table's, or an index's for `FROM "t"."index"`), read
 * through the service's own DescribeTable, and the key equalities a WHERE clause states.
 */

import { DynamoDbError } from "../errors.ts";
import type { AttributeValue } from "../expressions/index.ts";
import { DynamoDbValidationError, typeOf } from "../expressions/index.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import type { KeyAttribute } from "../table-meta.ts";
import type { Operand, PartiqlCondition } from "./ast.ts";
import { attributeValue, type Parameters } from "./attribute-values.ts";

export interface TargetKeys {
  readonly table: string;
  readonly index?: string;
  readonly hash: KeyAttribute;
  readonly range?: KeyAttribute;
}

interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: "HASH" | "RANGE";
}

interface Description {
  readonly Table: {
    readonly KeySchema: readonly KeySchemaElement[];
    readonly AttributeDefinitions: readonly {
      readonly AttributeName: string;
      readonly AttributeType: "S" | "N" | "B";
    }[];
    readonly GlobalSecondaryIndexes?: readonly {
      readonly IndexName: string;
      readonly KeySchema: readonly KeySchemaElement[];
    }[];
    readonly LocalSecondaryIndexes?: readonly {
      readonly IndexName: string;
      readonly KeySchema: readonly KeySchemaElement[];
    }[];
  };
}

/** DynamoDB's PartiQL answer for a table that does not exist (DynamoDB Local 3.3.1). */
function noSuchTable(): DynamoDbError {
  return new DynamoDbError("ResourceNotFoundException", "Cannot do operations on a non-existent table");
}

export function targetKeys(service: DynamoDbServiceApi, table: string, index?: string): TargetKeys {
  let description: Description;
  try {
    description = service.execute("DescribeTable", { TableName: table }) as Description;
  } catch (error) {
    if (error instanceof DynamoDbError && error.code === "ResourceNotFoundException") throw noSuchTable();
    if (error instanceof DynamoDbValidationError) throw noSuchTable();
    throw error;
  }
  const { Table } = description;
  let schema = Table.KeySchema;
  if (index !== undefined) {
    const found = [...(Table.GlobalSecondaryIndexes ?? []), ...(Table.LocalSecondaryIndexes ?? [])].find(
      (candidate) => candidate.IndexName === index,
    );
    if (found === undefined) {
      throw new DynamoDbValidationError(`The table does not have the specified index: ${index}`);
    }
    schema = found.KeySchema;
  }
  const attribute = (keyType: "HASH" | "RANGE"): KeyAttribute | undefined => {
    const name = schema.find((element) => element.KeyType === keyType)?.AttributeName;
    if (name === undefined) return undefined;
    const type = Table.AttributeDefinitions.find(
      (definition) => definition.AttributeName === name,
    )?.AttributeType;
    return { name, type: type ?? "S" };
  };
  const range = attribute("RANGE");
  return {
    table,
    ...(index === undefined ? {} : { index }),
    hash: attribute("HASH") as KeyAttribute,
    ...(range === undefined ? {} : { range }),
  };
}

/** The conditions joined by the top-level ANDs of a WHERE clause. */
export function conjuncts(condition: PartiqlCondition | undefined): PartiqlCondition[] {
  if (condition === undefined) return [];
  if (condition.type === "and") return [...conjuncts(condition.left), ...conjuncts(condition.right)];
  return [condition];
}

/** The top-level attribute an operand names, when it is a bare attribute. */
export function attributeOf(operand: Operand): string | undefined {
  if (operand.type !== "path" || operand.path.length !== 1) return undefined;
  const [step] = operand.path;
  return step?.kind === "name" ? step.name : undefined;
}

/** `key = value` (either way round) for one key attribute: the conjunct and the value, type-checked. */
export function keyEquality(
  conditions: readonly PartiqlCondition[],
  key: KeyAttribute,
  params: Parameters,
): { readonly condition: PartiqlCondition; readonly value: AttributeValue } | undefined {
  for (const condition of conditions) {
    if (condition.type !== "compare" || condition.op !== "=") continue;
    const [path, other] =
      attributeOf(condition.left) === key.name
        ? [condition.left, condition.right]
        : attributeOf(condition.right) === key.name
          ? [condition.right, condition.left]
          : [undefined, undefined];
    if (path === undefined || other?.type !== "value") continue;
    const value = attributeValue(other.value, params);
    checkKeyType(key, value);
    return { condition, value };
  }
  return undefined;
}

export function checkKeyType(key: KeyAttribute, value: AttributeValue): void {
  if (typeOf(value) !== key.type) {
    throw new DynamoDbValidationError(
      `Key attribute's data type should match its data type in table's schema: Key ${key.name}`,
    );
  }
}

/** Whether a condition reads any of the given top-level attributes. */
export function mentions(node: unknown, names: ReadonlySet<string>): boolean {
  if (Array.isArray(node)) return node.some((child) => mentions(child, names));
  if (node === null || typeof node !== "object") return false;
  const record = node as Record<string, unknown>;
  if (record.type === "path") {
    const first = (record.path as readonly { kind: string; name?: string }[])[0];
    return first?.kind === "name" && first.name !== undefined && names.has(first.name);
  }
  return Object.values(record).some((child) => mentions(child, names));
}

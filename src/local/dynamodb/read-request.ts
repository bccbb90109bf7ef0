/**
 * What Query and Scan share: the table or index read, Select and ProjectionExpression, Limit,
 * ConsistentRead, FilterExpression and ExclusiveStartKey, checked as DynamoDB checks them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */

import type { CapacityMode } from "./capacity.ts";
import type { Engine } from "./engine.ts";
import { constraint, invalidParameter, validation } from "./errors.ts";
import type { CompiledCondition, CompiledProjection, Item, Placeholders } from "./expressions/index.ts";
import { type Input, optBoolean, optEnum, optInteger, optItem, optString, tableNameOf } from "./input.ts";
import { capacityMode } from "./item-operations.ts";
import { checkAttributes } from "./item-validation.ts";
import { conditionOf, placeholdersOf, projectionOf } from "./request-expressions.ts";
import { type IndexMeta, type KeyDef, keyNames, type TableMeta } from "./table-meta.ts";

export type Select = "ALL_ATTRIBUTES" | "ALL_PROJECTED_ATTRIBUTES" | "SPECIFIC_ATTRIBUTES" | "COUNT";
const SELECTS: readonly Select[] = [
  "ALL_ATTRIBUTES",
  "ALL_PROJECTED_ATTRIBUTES",
  "SPECIFIC_ATTRIBUTES",
  "COUNT",
];

/** The expressions a Scan, and a Query, may carry (in the order DynamoDB's messages name them). */
const SCAN_EXPRESSIONS: readonly string[] = ["FilterExpression", "ProjectionExpression"];
export const QUERY_EXPRESSIONS: readonly string[] = [...SCAN_EXPRESSIONS, "KeyConditionExpression"];

export interface ReadRequest {
  readonly table: TableMeta;
  readonly index?: IndexMeta | undefined;
  /** The key the read walks: the index's, or the table's. */
  readonly key: KeyDef;
  readonly select: Select;
  readonly projection?: CompiledProjection | undefined;
  readonly filter?: CompiledCondition | undefined;
  readonly limit?: number | undefined;
  readonly consistent: boolean;
  readonly startKey?: Item | undefined;
  readonly capacity?: CapacityMode | undefined;
  readonly placeholders: Placeholders;
}

export function prepareRead(engine: Engine, input: Input, operation: "Query" | "Scan"): ReadRequest {
  const table = engine.tables.get(tableNameOf(input));
  const indexName = optString(input, "IndexName");
  const index =
    indexName === undefined ? undefined : table.indexes.find((candidate) => candidate.name === indexName);
  if (indexName !== undefined && index === undefined)
    throw validation(`The table does not have the specified index: ${indexName}`);
  const placeholders = placeholdersOf(input, operation === "Query" ? QUERY_EXPRESSIONS : SCAN_EXPRESSIONS);
  const projection = projectionOf(input, placeholders);
  const filter = conditionOf(input, placeholders, "FilterExpression");
  const select = selectOf(input, operation, table, index, projection !== undefined);
  const limit = optInteger(input, "Limit");
  if (limit !== undefined && limit < 1)
    throw constraint("limit", limit, "Member must have value greater than or equal to 1");
  const consistent = optBoolean(input, "ConsistentRead") ?? false;
  if (consistent && index?.kind === "global")
    throw validation("Consistent reads are not supported on global secondary indexes");
  const key: KeyDef = index ?? table;
  const rawStart = optItem(input, "ExclusiveStartKey");
  const startKey = rawStart === undefined ? undefined : startKeyOf(table, index, checkAttributes(rawStart));
  return {
    table,
    index,
    key,
    select,
    projection,
    filter,
    limit,
    consistent,
    startKey,
    capacity: capacityMode(input),
    placeholders,
  };
}

function selectOf(
  input: Input,
  operation: "Query" | "Scan",
  table: TableMeta,
  index: IndexMeta | undefined,
  hasProjection: boolean,
): Select {
  const given = optEnum(input, "Select", SELECTS);
  if (given === undefined)
    return hasProjection
      ? "SPECIFIC_ATTRIBUTES"
      : index === undefined
        ? "ALL_ATTRIBUTES"
        : "ALL_PROJECTED_ATTRIBUTES";
  if (given === "SPECIFIC_ATTRIBUTES" && !hasProjection) {
    throw validation(
      "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
    );
  }
  if (given === "COUNT" && hasProjection)
    throw validation("Cannot specify the ProjectionExpression when choosing to get only the Count");
  if ((given === "ALL_ATTRIBUTES" || given === "ALL_PROJECTED_ATTRIBUTES") && hasProjection) {
    throw validation(`Cannot specify the ProjectionExpression when choosing to get ${given}`);
  }
  if (given === "ALL_PROJECTED_ATTRIBUTES" && index === undefined) {
    throw validation(
      `ALL_PROJECTED_ATTRIBUTES can be used only when ${operation === "Query" ? "Querying" : "Scanning"} using an IndexName`,
    );
  }
  if (given === "ALL_ATTRIBUTES" && index?.kind === "global" && index.projection.type !== "ALL") {
    throw invalidParameter(
      `Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
  void table;
  return given;
}

/** ExclusiveStartKey: the table's key, plus the index's key when reading an index. */
function startKeyOf(table: TableMeta, index: IndexMeta | undefined, key: Item): Item {
  const names = new Set([...keyNames(table), ...(index === undefined ? [] : keyNames(index))]);
  const given = Object.keys(key);
  if (given.length !== names.size)
    throw validation("Exclusive Start Key must have same size as table's key schema");
  for (const def of [table, ...(index === undefined ? [] : [index])]) {
    for (const attribute of [def.partitionKey, def.sortKey]) {
      if (attribute === undefined) continue;
      const value = key[attribute.name];
      if (value === undefined || !(attribute.type in value)) {
        throw validation(
          "The provided starting key is invalid: The provided key element does not match the schema",
        );
      }
    }
  }
  return key;
}

/**
 * One secondary index of a table: a global index has its own partition key; a local one shares
 * the table's partition key, needs a sort key of its own, and exists only on a table with a sort
 * key (CreateTable: LocalSecondaryIndexes). Projection is `"all"`, `"keys"` or the names to
 * INCLUDE.
 */

import type { TableIndexSpec } from "../app-spec.ts";
import { LIMITS } from "../limits.ts";
import {
  checkDistinctKeys,
  EXAMPLE_KEY,
  type KeyTypes,
  readAttributeName,
  readKey,
  readRequiredKey,
  type TableKeys,
} from "./table-keys.ts";
import { checkKeys, type Issues, join, readBoolean, readObject } from "./values.ts";

const INDEX_KEYS = ["partitionKey", "sortKey", "projection", "local"] as const;
const PROJECTION_EXAMPLE = `projection: "all"`;

export function readIndex(
  issues: Issues,
  path: string,
  name: string,
  value: unknown,
  table: TableKeys,
  keyTypes: KeyTypes,
): TableIndexSpec | undefined {
  const before = issues.list.length;
  const fields = readObject(issues, path, value, `{ partitionKey: ${EXAMPLE_KEY}, ${PROJECTION_EXAMPLE} }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, INDEX_KEYS);
  const at = (key: string): string => join(path, key);
  const local = fields.local === undefined ? false : readBoolean(issues, at("local"), fields.local);
  const partitionKey = local
    ? readLocalPartitionKey(issues, at("partitionKey"), fields.partitionKey, table)
    : readRequiredKey(issues, at("partitionKey"), fields.partitionKey, "partitionKey");
  const sortKey = local
    ? readRequiredKey(issues, at("sortKey"), fields.sortKey, "sortKey of a local index")
    : fields.sortKey === undefined
      ? undefined
      : readKey(issues, at("sortKey"), fields.sortKey);
  if (local && !table.sortKeyGiven) {
    issues.add(
      at("local"),
      true,
      `"${name}" is a local secondary index, but the table has no sort key; DynamoDB allows local indexes only on a table with one`,
      "a local index on a table with partitionKey and sortKey",
      "give the table a sortKey, or make the index global (remove local: true)",
    );
  }
  if (partitionKey && !local) keyTypes.check(at("partitionKey"), partitionKey);
  if (sortKey && checkDistinctKeys(issues, at("sortKey"), partitionKey, sortKey)) {
    keyTypes.check(at("sortKey"), sortKey);
  }
  const projection = readProjection(issues, at("projection"), fields.projection);
  if (issues.list.length > before || partitionKey === undefined || projection === undefined) return undefined;
  return {
    name,
    kind: local ? "local" : "global",
    partitionKey,
    ...(sortKey === undefined ? {} : { sortKey }),
    projection,
  };
}

/** A local index's partition key is the table's: leaving it out means that one. */
function readLocalPartitionKey(issues: Issues, path: string, value: unknown, table: TableKeys) {
  if (value === undefined) return table.partitionKey;
  const key = readKey(issues, path, value);
  const own = table.partitionKey;
  if (key === undefined || own === undefined) return undefined;
  if (key.name === own.name && key.type === own.type) return key;
  issues.add(
    path,
    key,
    `a local secondary index has the table's partition key ("${own.name}", ${own.type}), not "${key.name}" (${key.type})`,
    `{ name: "${own.name}", type: "${own.type}" }, or no partitionKey`,
    "remove partitionKey from the index, or make the index global (remove local: true)",
  );
  return undefined;
}

function readProjection(
  issues: Issues,
  path: string,
  value: unknown,
): TableIndexSpec["projection"] | undefined {
  if (value === "all") return { type: "ALL" };
  if (value === "keys") return { type: "KEYS_ONLY" };
  const perIndex = LIMITS.dynamodb.projectedAttributesPerIndex;
  if (Array.isArray(value) && value.length > perIndex.max) {
    issues.add(
      path,
      value,
      `an index projects at most ${perIndex.max} non-key attributes; this one names ${value.length}`,
      `1 to ${perIndex.max} attribute names, "all" or "keys"`,
      `project fewer attributes, or write projection: "all"`,
    );
    return undefined;
  }
  if (Array.isArray(value) && value.length > 0) {
    const names = value.map((attribute: unknown, i) => readAttributeName(issues, join(path, i), attribute));
    const valid = names.filter((n): n is string => n !== undefined);
    const duplicate = valid.find((n, i) => valid.indexOf(n) !== i);
    if (duplicate !== undefined) {
      issues.add(
        path,
        duplicate,
        `"${duplicate}" is projected twice`,
        "each attribute once",
        `remove the second "${duplicate}"`,
      );
      return undefined;
    }
    return valid.length === value.length ? { type: "INCLUDE", nonKeyAttributes: valid } : undefined;
  }
  issues.add(
    path,
    value,
    value === undefined
      ? "an index needs a projection: which attributes it holds besides the keys"
      : 'projection is "all", "keys", or a non-empty list of attribute names',
    `"all", "keys", or a list of attribute names (INCLUDE)`,
    `write ${PROJECTION_EXAMPLE}, projection: "keys" or projection: ["score"]`,
  );
  return undefined;
}

/**
 * What an index holds of an item: its projection (ALL; KEYS_ONLY: the table's and the index's
 * keys; INCLUDE: those plus the named attributes).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections
 */
import { type Item, newAttributeMap } from "./expressions/index.ts";
import { type IndexMeta, keyNames, type TableMeta } from "./table-meta.ts";

function projectedNames(table: TableMeta, index: IndexMeta): ReadonlySet<string> | undefined {
  if (index.projection.type === "ALL") return undefined;
  return new Set([...keyNames(table), ...keyNames(index), ...(index.projection.nonKeyAttributes ?? [])]);
}

export function projectForIndex(table: TableMeta, index: IndexMeta, item: Item): Item {
  const names = projectedNames(table, index);
  if (names === undefined) return item;
  const out = newAttributeMap();
  for (const name of names) {
    const value = Object.hasOwn(item, name) ? item[name] : undefined;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

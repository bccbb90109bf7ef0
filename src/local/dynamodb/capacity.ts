/**
 * ReturnConsumedCapacity: what a request would cost a table in on-demand mode. Writes: 1 unit
 * per 1 KB of the larger of the item before and after (at least 1), plus the same for each index
 * whose entry changes (2 when its key changes: a delete and a put). Reads: 1 unit per 4 KB read,
 * half for eventually consistent reads; a read of a missing item still costs the minimum.
 * Transactions cost twice. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
import { LIMITS } from "../../model/limits.ts";
import { equalValues, type Item } from "./expressions/index.ts";
import { projectForIndex } from "./index-projection.ts";
import { itemSize } from "./item-size.ts";
import { encodeItemKey } from "./item-store.ts";
import type { TableMeta } from "./table-meta.ts";

export type CapacityMode = "NONE" | "TOTAL" | "INDEXES";

const WRITE_UNIT = LIMITS.dynamodb.writeUnitBytes.max;
const READ_UNIT = LIMITS.dynamodb.readUnitBytes.max;

function writeUnits(size: number): number {
  return Math.max(1, Math.ceil(size / WRITE_UNIT));
}

export function readUnits(size: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(size / READ_UNIT)) * (consistent ? 1 : 0.5);
}

/** Units a table and its indexes consume, by index name. */
export class Consumption {
  table = 0;
  readonly indexes = new Map<string, number>();

  add(other: Consumption): void {
    this.table += other.table;
    for (const [name, units] of other.indexes) this.indexes.set(name, (this.indexes.get(name) ?? 0) + units);
  }

  scale(factor: number): this {
    this.table *= factor;
    for (const [name, units] of this.indexes) this.indexes.set(name, units * factor);
    return this;
  }

  get total(): number {
    let total = this.table;
    for (const units of this.indexes.values()) total += units;
    return total;
  }
}

export function writeConsumption(
  table: TableMeta,
  previous: Item | undefined,
  next: Item | undefined,
): Consumption {
  const consumption = new Consumption();
  consumption.table = writeUnits(
    Math.max(previous === undefined ? 0 : itemSize(previous), next === undefined ? 0 : itemSize(next)),
  );
  for (const index of table.indexes) {
    const before =
      previous === undefined || encodeItemKey(index, previous) === undefined
        ? undefined
        : projectForIndex(table, index, previous);
    const after =
      next === undefined || encodeItemKey(index, next) === undefined
        ? undefined
        : projectForIndex(table, index, next);
    if (before === undefined && after === undefined) continue;
    if (before !== undefined && after !== undefined && equalValues({ M: before }, { M: after })) continue;
    const keyChanged =
      before !== undefined &&
      after !== undefined &&
      !(
        encodeItemKey(index, before)?.pk.equals(encodeItemKey(index, after)?.pk ?? Buffer.alloc(0)) &&
        encodeItemKey(index, before)?.sk.equals(encodeItemKey(index, after)?.sk ?? Buffer.alloc(0))
      );
    const size = Math.max(
      before === undefined ? 0 : itemSize(before),
      after === undefined ? 0 : itemSize(after),
    );
    consumption.indexes.set(index.name, writeUnits(size) * (keyChanged ? 2 : 1));
  }
  return consumption;
}

/** The ConsumedCapacity member of an answer, or undefined when not asked for. */
export function consumedCapacity(
  table: TableMeta,
  mode: CapacityMode | undefined,
  consumption: Consumption,
): Record<string, unknown> | undefined {
  if (mode === undefined || mode === "NONE") return undefined;
  const out: Record<string, unknown> = { TableName: table.name, CapacityUnits: consumption.total };
  if (mode === "INDEXES") {
    out.Table = { CapacityUnits: consumption.table };
    for (const kind of ["global", "local"] as const) {
      const entries = table.indexes
        .filter((index) => index.kind === kind && consumption.indexes.has(index.name))
        .map((index) => [index.name, { CapacityUnits: consumption.indexes.get(index.name) }] as const);
      if (entries.length > 0)
        out[kind === "global" ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes"] =
          Object.fromEntries(entries);
    }
  }
  return out;
}

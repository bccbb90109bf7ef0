/**
 * The tables' metadata rows, cached in memory (the engine is the file's only writer while the
 * cloud runs), their item counts and sizes, and the not-found error every operation on a missing
 * table answers with.
 */
import type { Statement } from "better-sqlite3";
import type { Db } from "../store/index.ts";
import { tableNotFound } from "./errors.ts";
import type { TableMeta } from "./table-meta.ts";

export interface TableCounts {
  itemCount: number;
  sizeBytes: number;
}

export class TableRegistry {
  private readonly cache = new Map<string, TableMeta>();
  private loaded = false;
  /**
   * Item count and size per table id: summed from the items at first use, then moved by every
   * write (`addToCounts`). Kept in memory rather than in a row each write updates: that row was a
   * fifth of a PutItem's WAL pages. Exact, because this engine is the file's only writer while
   * the cloud runs and a rolled-back transaction drops them (`reset`) to be summed again.
   */
  private readonly countsById = new Map<number, TableCounts>();
  private readonly insertRow: Statement;
  private readonly updateRow: Statement;
  private readonly deleteRow: Statement;
  private readonly sumItems: Statement;

  constructor(private readonly db: Db) {
    this.insertRow = db.prepare("INSERT INTO ddb_tables (name, meta) VALUES (?, '{}')");
    this.updateRow = db.prepare("UPDATE ddb_tables SET meta = ? WHERE id = ?");
    this.deleteRow = db.prepare("DELETE FROM ddb_tables WHERE id = ?");
    this.sumItems = db.prepare(
      "SELECT COUNT(*) AS itemCount, COALESCE(SUM(size), 0) AS sizeBytes FROM ddb_items WHERE table_id = ?",
    );
  }

  private load(): void {
    if (this.loaded) return;
    const rows = this.db.prepare("SELECT id, meta FROM ddb_tables ORDER BY name").all() as {
      id: number;
      meta: string;
    }[];
    for (const row of rows) {
      const meta = { ...(JSON.parse(row.meta) as TableMeta), id: row.id };
      this.cache.set(meta.name, meta);
    }
    this.loaded = true;
  }

  find(name: string): TableMeta | undefined {
    this.load();
    return this.cache.get(name);
  }

  /** The table, or ResourceNotFoundException as DynamoDB answers for a missing one. */
  get(name: string, named = false): TableMeta {
    const table = this.find(name);
    if (table === undefined) throw tableNotFound(name, named);
    return table;
  }

  all(): TableMeta[] {
    this.load();
    return [...this.cache.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A new row for `name`; returns its id for the metadata `save` then writes. */
  allocate(name: string): number {
    return Number(this.insertRow.run(name).lastInsertRowid);
  }

  save(meta: TableMeta): void {
    this.load();
    this.updateRow.run(JSON.stringify(meta), meta.id);
    this.cache.set(meta.name, meta);
  }

  remove(meta: TableMeta): void {
    this.deleteRow.run(meta.id);
    this.countsById.delete(meta.id);
    this.cache.delete(meta.name);
  }

  /** The table's item count and total item size (DescribeTable's ItemCount, TableSizeBytes). */
  counts(meta: TableMeta): Readonly<TableCounts> {
    let counts = this.countsById.get(meta.id);
    if (counts === undefined) {
      counts = this.sumItems.get(meta.id) as TableCounts;
      this.countsById.set(meta.id, counts);
    }
    return { ...counts };
  }

  /**
   * A write's change to its table's counts, inside the write's transaction. Counts not summed yet
   * need nothing: summing reads the rows this transaction wrote.
   */
  addToCounts(tableId: number, items: number, bytes: number): void {
    const counts = this.countsById.get(tableId);
    if (counts === undefined) return;
    counts.itemCount += items;
    counts.sizeBytes += bytes;
  }

  /** Drops the caches after a rolled-back transaction that may have changed metadata or items. */
  reset(): void {
    this.cache.clear();
    this.countsById.clear();
    this.loaded = false;
  }
}

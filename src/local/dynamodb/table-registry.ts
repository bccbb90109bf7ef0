/**
 * The tables' metadata rows, cached in memory (the engine is the file's only writer while the
 * cloud runs), and the not-found error every operation on a missing table answers with.
 */
import type { Statement } from "better-sqlite3";
import type { Db } from "../store/index.ts";
import { tableNotFound } from "./errors.ts";
import type { TableMeta } from "./table-meta.ts";

export class TableRegistry {
  private readonly cache = new Map<string, TableMeta>();
  private loaded = false;
  private readonly insertRow: Statement;
  private readonly updateRow: Statement;
  private readonly deleteRow: Statement;
  private readonly countsRow: Statement;
  private readonly insertCounts: Statement;
  private readonly deleteCounts: Statement;

  constructor(private readonly db: Db) {
    this.insertRow = db.prepare("INSERT INTO ddb_tables (name, meta) VALUES (?, '{}')");
    this.insertCounts = db.prepare("INSERT INTO ddb_table_counts (table_id) VALUES (?)");
    this.deleteCounts = db.prepare("DELETE FROM ddb_table_counts WHERE table_id = ?");
    this.updateRow = db.prepare("UPDATE ddb_tables SET meta = ? WHERE id = ?");
    this.deleteRow = db.prepare("DELETE FROM ddb_tables WHERE id = ?");
    this.countsRow = db.prepare("SELECT item_count, size_bytes FROM ddb_table_counts WHERE table_id = ?");
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
    const id = Number(this.insertRow.run(name).lastInsertRowid);
    this.insertCounts.run(id);
    return id;
  }

  save(meta: TableMeta): void {
    this.load();
    this.updateRow.run(JSON.stringify(meta), meta.id);
    this.cache.set(meta.name, meta);
  }

  remove(meta: TableMeta): void {
    this.deleteRow.run(meta.id);
    this.deleteCounts.run(meta.id);
    this.cache.delete(meta.name);
  }

  counts(meta: TableMeta): { itemCount: number; sizeBytes: number } {
    const row = this.countsRow.get(meta.id) as { item_count: number; size_bytes: number } | undefined;
    return { itemCount: row?.item_count ?? 0, sizeBytes: row?.size_bytes ?? 0 };
  }

  /** Drops the cache after a rolled-back transaction that may have changed metadata. */
  reset(): void {
    this.cache.clear();
    this.loaded = false;
  }
}

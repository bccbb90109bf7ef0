/**
 * The engine's side of global tables, called inside each write's transaction: a write the region
 * takes itself gets its version and an outbox row; a replicated write only its version. Also what
 * the replication reads and writes of this region (outbox, checkpoints), each in this file's
 * tables (replica-schema.ts).
 */
import type { Statement } from "better-sqlite3";
import type { Clock } from "../../clock/index.ts";
import type { Db } from "../../store/index.ts";
import type { Item } from "../expressions/index.ts";
import { type EncodedKey, keyOf, type LocalWriteLog, parseItem, type StoredRow } from "../item-store.ts";
import type { TableMeta } from "../table-meta.ts";
import { migrateReplicas } from "./replica-schema.ts";
import { localVersion, type WriteVersion } from "./write-version.ts";

/** One write a region took itself, waiting in its outbox. */
export interface ReplicaWrite {
  readonly seq: number;
  /** Epoch ms on the clock when the write committed: the replication lag counts from here. */
  readonly writtenAt: number;
  readonly version: WriteVersion;
  /** The item's key attributes. */
  readonly keys: Item;
  /** The item after the write; undefined for a delete. */
  readonly item: Item | undefined;
}

/**
 * Write listeners by database file, not by ReplicaLog: a region's cloud is reopened over the same
 * file (dev reloads, `sluice cloud` rebuilds) without telling the replication, which arms no timer
 * while nothing waits and so must hear of the new engine's first write through the old listener.
 */
const listenersByFile = new Map<string, Set<() => void>>();

interface OutboxRow {
  seq: number;
  written_at: number;
  ts: number;
  region: string;
  keys: string;
  item: string | null;
}

export class ReplicaLog implements LocalWriteLog {
  private readonly selectVersion: Statement;
  private readonly upsertVersion: Statement;
  private readonly insertOutbox: Statement;
  private readonly selectOutbox: Statement;
  private readonly selectCheckpoint: Statement;
  private readonly upsertCheckpoint: Statement;
  private readonly countWaiting: Statement;
  private readonly deleteThrough: Statement;
  private readonly deleteVersionsBefore: Statement;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly region: string,
  ) {
    migrateReplicas(db);
    this.selectVersion = db.prepare(
      "SELECT ts, region FROM ddb_replica_versions WHERE table_id = ? AND pk = ? AND sk = ?",
    );
    this.upsertVersion = db.prepare(
      `INSERT INTO ddb_replica_versions (table_id, pk, sk, ts, region, deleted) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(table_id, pk, sk) DO UPDATE SET ts = excluded.ts, region = excluded.region, deleted = excluded.deleted`,
    );
    this.insertOutbox = db.prepare(
      "INSERT INTO ddb_replica_outbox (table_name, written_at, ts, region, keys, item) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.selectOutbox = db.prepare(
      "SELECT seq, written_at, ts, region, keys, item FROM ddb_replica_outbox WHERE table_name = ? AND seq > ? ORDER BY seq LIMIT ?",
    );
    this.selectCheckpoint = db.prepare(
      "SELECT seq, applied_at FROM ddb_replica_checkpoints WHERE source_region = ? AND table_name = ?",
    );
    this.countWaiting = db.prepare(
      "SELECT COUNT(*) AS count, MIN(written_at) AS oldest FROM ddb_replica_outbox WHERE table_name = ? AND seq > ?",
    );
    this.deleteThrough = db.prepare("DELETE FROM ddb_replica_outbox WHERE table_name = ? AND seq <= ?");
    this.deleteVersionsBefore = db.prepare("DELETE FROM ddb_replica_versions WHERE table_id = ? AND ts < ?");
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO ddb_replica_checkpoints (source_region, table_name, seq, applied_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(source_region, table_name) DO UPDATE SET seq = excluded.seq, applied_at = excluded.applied_at`,
    );
  }

  /** The item's last write here, tombstones included. */
  versionOf(tableId: number, key: EncodedKey): WriteVersion | undefined {
    return this.selectVersion.get(tableId, key.pk, key.sk) as WriteVersion | undefined;
  }

  setVersion(tableId: number, key: EncodedKey, version: WriteVersion, deleted: boolean): void {
    this.upsertVersion.run(tableId, key.pk, key.sk, version.ts, version.region, deleted ? 1 : 0);
  }

  /** A write this region took to a global table: its version, and its row for the other regions. */
  localWrite(tableId: number, tableName: string, key: EncodedKey, keys: Item, next: Item | undefined): void {
    const now = this.clock.now();
    const version = localVersion(now, this.region, this.versionOf(tableId, key));
    this.setVersion(tableId, key, version, next === undefined);
    this.insertOutbox.run(
      tableName,
      now,
      version.ts,
      version.region,
      JSON.stringify(keys),
      next === undefined ? null : JSON.stringify(next),
    );
    this.wake();
  }

  /**
   * A write to a global table no replication has named other replicas for yet (one added by a
   * reload): wakes the replication, which names them and copies the table's items (`copyExisting`).
   */
  unreplicatedWrite(): void {
    this.wake();
  }

  /** Tells this file's listeners, after the commit (once the transaction's synchronous work is done). */
  private wake(): void {
    const listeners = listenersByFile.get(this.db.name);
    if (listeners !== undefined)
      queueMicrotask(() => {
        for (const listener of listeners) listener();
      });
  }

  /**
   * A table that becomes a replica here copies its items to the other replicas, as a table
   * turned into a global table does (its new replicas start with its data): each item joins the
   * outbox as a write of now. Items the other regions hold too are settled by last writer wins.
   * Call inside the transaction that marks the table global.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
   */
  copyExisting(table: TableMeta): void {
    const rows = this.db
      .prepare("SELECT pk, sk, item FROM ddb_items WHERE table_id = ?")
      .all(table.id) as StoredRow[];
    for (const row of rows) {
      const item = parseItem(row.item);
      this.localWrite(table.id, table.name, row, keyOf(table, item), item);
    }
  }

  /**
   * Called after each write that joins the outbox of this database file, through this engine or
   * any later one over the same file; returns the unsubscribe.
   */
  onWrite(listener: () => void): () => void {
    const file = this.db.name;
    const listeners = listenersByFile.get(file) ?? new Set();
    listenersByFile.set(file, listeners);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && listenersByFile.get(file) === listeners) listenersByFile.delete(file);
    };
  }

  /** The table's outbox rows after `afterSeq`, oldest first. */
  outbox(tableName: string, afterSeq: number, limit: number): ReplicaWrite[] {
    const rows = this.selectOutbox.all(tableName, afterSeq, limit) as OutboxRow[];
    return rows.map((row) => ({
      seq: row.seq,
      writtenAt: row.written_at,
      version: { ts: row.ts, region: row.region },
      keys: JSON.parse(row.keys) as Item,
      item: row.item === null ? undefined : (JSON.parse(row.item) as Item),
    }));
  }

  /** The table's rows after `afterSeq` still waiting, and the oldest one's commit time. */
  waiting(
    tableName: string,
    afterSeq: number,
  ): { readonly count: number; readonly oldestWrittenAt: number | undefined } {
    const row = this.countWaiting.get(tableName, afterSeq) as { count: number; oldest: number | null };
    return { count: row.count, oldestWrittenAt: row.oldest ?? undefined };
  }

  /**
   * A dropped (or replaced) table's versions go with its items, and so do its writes still
   * queued: they would otherwise reach a table made again under the name in another region.
   */
  dropTable(tableId: number, tableName: string): void {
    this.db.prepare("DELETE FROM ddb_replica_versions WHERE table_id = ?").run(tableId);
    this.db.prepare("DELETE FROM ddb_replica_outbox WHERE table_name = ?").run(tableName);
  }

  /**
   * Forgets the table's versions older than `beforeTs` (the replication knows no older write can
   * still arrive): an item without a version takes any replicated write, which is then newer.
   */
  forgetVersions(tableId: number, beforeTs: number): void {
    this.deleteVersionsBefore.run(tableId, beforeTs);
  }

  /** Forgets the table's outbox rows every other region has applied. */
  prune(tableName: string, throughSeq: number): void {
    this.deleteThrough.run(tableName, throughSeq);
  }

  /** The last row of `sourceRegion`'s outbox for the table applied here (0: none), and when. */
  checkpoint(
    sourceRegion: string,
    tableName: string,
  ): { readonly seq: number; readonly appliedAt: number | undefined } {
    const row = this.selectCheckpoint.get(sourceRegion, tableName) as
      | { seq: number; applied_at: number }
      | undefined;
    return { seq: row?.seq ?? 0, appliedAt: row?.applied_at };
  }

  /** Inside the transaction that applied the rows. */
  saveCheckpoint(sourceRegion: string, tableName: string, seq: number): void {
    this.upsertCheckpoint.run(sourceRegion, tableName, seq, this.clock.now());
  }
}

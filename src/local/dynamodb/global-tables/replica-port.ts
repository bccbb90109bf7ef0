/**
 * What one region's DynamoDB offers the replication between regions (global-table-replication.ts):
 * its outbox, its checkpoints, applying another region's writes, and which tables are replicas.
 * Everything is per table: each global table has its own replica regions and its own queues.
 */
import { type Engine, inTransaction } from "../engine.ts";
import { replicates } from "../table-meta.ts";
import { type ApplyResult, applyReplicated } from "./replica-apply.ts";
import type { ReplicaWrite } from "./replica-log.ts";

export interface ReplicaPort {
  /**
   * Marks the named tables that exist here as replicas, so their writes join the outbox, with
   * the app's replica regions (DescribeTable names the others); the first one expires the
   * items by TTL, the others receive its deletes.
   */
  markGlobal(tableNames: Iterable<string>, regions: readonly string[]): void;
  /** This region's own writes to the table after `afterSeq`, oldest first. */
  outbox(tableName: string, afterSeq: number, limit: number): ReplicaWrite[];
  /** The table's outbox rows after `afterSeq`, and the oldest one's commit time. */
  waiting(
    tableName: string,
    afterSeq: number,
  ): { readonly count: number; readonly oldestWrittenAt: number | undefined };
  /** The last row of `sourceRegion`'s outbox for the table applied here (0: none), and when. */
  checkpoint(
    sourceRegion: string,
    tableName: string,
  ): { readonly seq: number; readonly appliedAt: number | undefined };
  apply(sourceRegion: string, tableName: string, entries: readonly ReplicaWrite[]): ApplyResult;
  /** Forgets the table's outbox rows every other region has applied. */
  prune(tableName: string, throughSeq: number): void;
  /** Forgets the table's item versions (tombstones included) older than `beforeTs`: no write still to come is older. */
  forgetVersions(tableName: string, beforeTs: number): void;
  /**
   * Called (after the commit) for each write that joins this region's outbox, also through a
   * later engine over the same file (a reopened cloud); returns the unsubscribe.
   */
  onWrite(listener: () => void): () => void;
}

export function replicaPort(engine: Engine): ReplicaPort {
  const log = engine.replicas;
  return {
    markGlobal(tableNames, regions) {
      const others = regions.filter((region) => region !== engine.region);
      const same = (a: readonly string[] | undefined) =>
        a !== undefined && a.join("\u0000") === others.join("\u0000");
      const unmarked = [...tableNames]
        .map((name) => engine.tables.find(name))
        .filter(
          (table) =>
            table !== undefined &&
            (table.global !== true || !same(table.replicaRegions) || table.ttlRegion !== regions[0]),
        );
      if (unmarked.length === 0) return;
      inTransaction(engine, () => {
        for (const table of unmarked) {
          if (table === undefined) continue;
          const marked = { ...table, global: true as const, replicaRegions: others, ttlRegion: regions[0] };
          engine.tables.save(marked);
          if (!replicates(table) && replicates(marked)) log.copyExisting(marked);
        }
      });
    },
    outbox: (tableName, afterSeq, limit) => log.outbox(tableName, afterSeq, limit),
    waiting: (tableName, afterSeq) => log.waiting(tableName, afterSeq),
    checkpoint: (sourceRegion, tableName) => log.checkpoint(sourceRegion, tableName),
    apply: (sourceRegion, tableName, entries) => applyReplicated(engine, sourceRegion, tableName, entries),
    prune: (tableName, throughSeq) => log.prune(tableName, throughSeq),
    forgetVersions(tableName, beforeTs) {
      const table = engine.tables.find(tableName);
      if (table !== undefined) log.forgetVersions(table.id, beforeTs);
    },
    onWrite: (listener) => log.onWrite(listener),
  };
}

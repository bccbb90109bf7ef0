/**
 * Applying another region's writes to one of this region's replicas: in one transaction with the
 * table's checkpoint, item by item, each only when it is newer than the item's version here (last
 * writer wins, write-version.ts). Conditions are not evaluated again: a conditional write is
 * checked only in the region that took it. The write reaches this region's indexes, TTL column
 * and stream (a replicated write appears in every replica's stream, as on AWS) but not its
 * outbox, so it is never replicated again. A transaction arrives item by item: AWS gives ACID
 * guarantees only in the region that took it, and another region may see it partly applied.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 * https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/overview.html
 */
import { type Engine, inTransaction } from "../engine.ts";
import { encodeItemKey } from "../item-store.ts";
import type { ReplicaWrite } from "./replica-log.ts";
import { isNewer } from "./write-version.ts";

export type ApplyResult =
  /** Writes applied: those newer than the item's version here (an older one lost to a later write). */
  | { readonly applied: number }
  /** The table does not exist here (yet): nothing applied, its queue waits. */
  | { readonly missingTable: true };

/** Applies `entries` (the source's outbox rows of `tableName`, in order) to this region. */
export function applyReplicated(
  engine: Engine,
  sourceRegion: string,
  tableName: string,
  entries: readonly ReplicaWrite[],
): ApplyResult {
  const last = entries.at(-1);
  if (last === undefined) return { applied: 0 };
  return inTransaction(engine, () => {
    const table = engine.tables.find(tableName);
    if (table === undefined) return { missingTable: true } as const;
    let applied = 0;
    for (const entry of entries) {
      const key = encodeItemKey(table, entry.keys);
      if (key === undefined) continue; // a key schema that differs here: nothing to write
      const stored = engine.replicas.versionOf(table.id, key);
      if (stored !== undefined && !isNewer(entry.version, stored)) continue;
      const previous = engine.items.get(table, entry.keys);
      engine.items.write(table, previous, entry.item, false, true);
      engine.replicas.setVersion(table.id, key, entry.version, entry.item === undefined);
      applied++;
    }
    engine.replicas.saveCheckpoint(sourceRegion, tableName, last.seq);
    return { applied };
  });
}

/**
 * TTL deletions on Sluice's clock: every item whose TTL attribute (a top-level Number, epoch
 * seconds) is earlier than now, and not more than five years in the past, is deleted, with a
 * stream REMOVE carrying DynamoDB's service identity. AWS deletes expired items within days and
 * still returns them until then; Sluice deletes them at each sweep (docs/fidelity.md).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-before-you-start.html
 */
import { LIMITS } from "../../model/limits.ts";
import { type Engine, inTransaction } from "./engine.ts";
import { parseItem, type StoredRow } from "./item-store.ts";

const YEAR_SECONDS = 365.25 * 24 * 3600;

export function expireItems(engine: Engine): number {
  const nowSeconds = engine.clock.now() / 1000;
  const oldest = nowSeconds - LIMITS.dynamodb.ttlMaxPastYears.max * YEAR_SECONDS;
  const select = engine.db.prepare(
    "SELECT pk, sk, item FROM ddb_items WHERE table_id = ? AND ttl IS NOT NULL AND ttl < ? AND ttl >= ?",
  );
  let deleted = 0;
  for (const table of engine.tables.all()) {
    if (table.ttl?.enabled !== true) continue;
    // A global table's items expire in one region; the others get its deletes, as "that work can
    // be done in any Region" and "the replica tables will get a replicated write of that delete"
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.prescriptive-guidance.throughput.html).
    if (table.global === true && table.ttlRegion !== undefined && table.ttlRegion !== engine.region) continue;
    inTransaction(engine, () => {
      const rows = select.all(table.id, nowSeconds, oldest) as StoredRow[];
      for (const row of rows) engine.items.write(table, parseItem(row.item), undefined, true);
      deleted += rows.length;
    });
  }
  return deleted;
}

/**
 * Items and index entries in SQLite. One write keeps together, in the caller's transaction: the
 * item row, its entries in every index whose key it carries (sparse indexes), the TTL column, and
 * the stream record (ItemChange) when the table streams; and it moves the table's item count and
 * size, which the registry keeps in memory (table-registry.ts).
 */
import type { Statement } from "better-sqlite3";
import { servicePrincipal } from "../../model/naming.ts";
import type { Db } from "../store/index.ts";
import { withNullPrototypes } from "../wire/index.ts";
import { type AttributeValue, equalValues, type Item, newAttributeMap } from "./expressions/index.ts";
import { itemSize } from "./item-size.ts";
import { encodeKey, NO_SORT_KEY, partitionHash } from "./key-encoding.ts";
import type { StreamSink } from "./streams/item-change.ts";
import { type IndexMeta, type KeyDef, keyNames, replicates, type TableMeta } from "./table-meta.ts";
import type { TableRegistry } from "./table-registry.ts";

/**
 * What a global table's replication learns of each write this region takes itself, inside the
 * write's transaction (global-tables/replica-log.ts implements it; declared here so the store
 * does not import the replication code that reads its rows).
 */
export interface LocalWriteLog {
  localWrite(tableId: number, tableName: string, key: EncodedKey, keys: Item, next: Item | undefined): void;
  /** A write to a global table that does not replicate yet (no other replica named). */
  unreplicatedWrite(): void;
  dropTable(tableId: number, tableName: string): void;
}

/** An item's place in a table or an index: encoded partition and sort keys. */
export interface EncodedKey {
  readonly pk: Buffer;
  readonly sk: Buffer;
}

export function encodeItemKey(key: KeyDef, item: Item): EncodedKey | undefined {
  const partition = item[key.partitionKey.name];
  if (partition === undefined || !(key.partitionKey.type in partition)) return undefined;
  if (key.sortKey === undefined) return { pk: encodeKey(partition, key.partitionKey.type), sk: NO_SORT_KEY };
  const sort = item[key.sortKey.name];
  if (sort === undefined || !(key.sortKey.type in sort)) return undefined;
  return { pk: encodeKey(partition, key.partitionKey.type), sk: encodeKey(sort, key.sortKey.type) };
}

/** The item's key attributes only. */
export function keyOf(key: KeyDef, item: Item): Record<string, AttributeValue> {
  const out = newAttributeMap();
  for (const name of keyNames(key)) {
    const value = item[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * JSON text back into an item whose maps have no prototype (wire data is never an object path);
 * a walk after parsing rather than a reviver, which is called for every value and took a third of
 * a Query's time.
 */
export function parseItem(text: string): Item {
  return withNullPrototypes(JSON.parse(text)) as Item;
}

export interface StoredRow {
  readonly pk: Buffer;
  readonly sk: Buffer;
  readonly hash: number;
  readonly item: string;
  readonly size: number;
}

/** The TTL column's value: the attribute's number when the table's TTL is on. */
function ttlOf(table: TableMeta, item: Item): number | null {
  if (table.ttl === undefined || !table.ttl.enabled) return null;
  const value = item[table.ttl.attribute];
  if (value === undefined || !("N" in value)) return null;
  const seconds = Number(value.N);
  return Number.isFinite(seconds) ? seconds : null;
}

export class ItemStore {
  private readonly selectItem: Statement;
  private readonly upsertItem: Statement;
  private readonly deleteItem: Statement;
  private readonly insertEntry: Statement;
  private readonly deleteEntry: Statement;

  constructor(
    readonly db: Db,
    /** Where each write's change to its table's item count and size goes. */
    private readonly tables: Pick<TableRegistry, "addToCounts">,
    private readonly sink: StreamSink,
    /** Global tables: each change's version and outbox row, in the same transaction. */
    private readonly replicas?: LocalWriteLog,
  ) {
    this.selectItem = db.prepare(
      "SELECT item, size FROM ddb_items WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?",
    );
    this.upsertItem = db.prepare(
      `INSERT INTO ddb_items (table_id, hash, pk, sk, item, size, ttl) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(table_id, hash, pk, sk) DO UPDATE SET item = excluded.item, size = excluded.size, ttl = excluded.ttl`,
    );
    this.deleteItem = db.prepare(
      "DELETE FROM ddb_items WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?",
    );
    this.insertEntry = db.prepare(
      `INSERT OR REPLACE INTO ddb_index_entries (table_id, index_name, ipk, isk, hash, pk, sk, item_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteEntry = db.prepare(
      "DELETE FROM ddb_index_entries WHERE table_id = ? AND index_name = ? AND ipk = ? AND isk = ? AND pk = ? AND sk = ?",
    );
  }

  /** The stored item at `key` (an item's key attributes, already checked), or undefined. */
  get(table: TableMeta, key: Item): Item | undefined {
    const text = this.getText(table, key);
    return text === undefined ? undefined : parseItem(text);
  }

  /** The stored item's JSON text at `key`, or undefined. */
  getText(table: TableMeta, key: Item): string | undefined {
    const encoded = encodeItemKey(table, key);
    if (encoded === undefined) return undefined;
    const row = this.selectItem.get(table.id, partitionHash(encoded.pk), encoded.pk, encoded.sk) as
      | { item: string }
      | undefined;
    return row?.item;
  }

  /**
   * Writes `next` in place of `previous` (either may be absent: insert, delete). Call inside a
   * transaction. A write that changes nothing leaves no stream record, as DynamoDB Streams does
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html), and is not
   * replicated either. A change to a global table joins the outbox for the other regions, unless
   * it is `replicated` from one (then the caller keeps its version: global-tables/replica-apply.ts).
   */
  write(
    table: TableMeta,
    previous: Item | undefined,
    next: Item | undefined,
    byTtl = false,
    replicated = false,
  ): void {
    // Deleting an item that is not there changes nothing (and gives no item whose key to encode).
    if (next === undefined && previous === undefined) return;
    const subject = (next ?? previous) as Item;
    const encoded = encodeItemKey(table, subject) as EncodedKey;
    // The item row's key and every index entry's `item_hash` hold it: computed once per write.
    const hash = partitionHash(encoded.pk);
    const oldSize = previous === undefined ? 0 : itemSize(previous);
    if (next === undefined) {
      if (previous === undefined) return;
      this.deleteItem.run(table.id, hash, encoded.pk, encoded.sk);
      this.tables.addToCounts(table.id, -1, -oldSize);
    } else {
      const size = itemSize(next);
      this.upsertItem.run(
        table.id,
        hash,
        encoded.pk,
        encoded.sk,
        JSON.stringify(next),
        size,
        ttlOf(table, next),
      );
      this.tables.addToCounts(table.id, previous === undefined ? 1 : 0, size - oldSize);
    }
    for (const index of table.indexes) this.writeEntry(table, index, encoded, hash, previous, next);
    const replicating = replicates(table) && !replicated;
    if (!replicating && !replicated && table.global === true) this.replicas?.unreplicatedWrite();
    if (table.stream === undefined && !replicating) return;
    if (previous !== undefined && next !== undefined && equalValues({ M: previous }, { M: next })) return;
    this.record(table, previous, next, byTtl);
    if (replicating) this.replicas?.localWrite(table.id, table.name, encoded, keyOf(table, subject), next);
  }

  private writeEntry(
    table: TableMeta,
    index: IndexMeta,
    item: EncodedKey,
    itemHash: number,
    previous: Item | undefined,
    next: Item | undefined,
  ): void {
    const before = previous === undefined ? undefined : encodeItemKey(index, previous);
    const after = next === undefined ? undefined : encodeItemKey(index, next);
    if (
      before !== undefined &&
      after !== undefined &&
      before.pk.equals(after.pk) &&
      before.sk.equals(after.sk)
    )
      return;
    if (before !== undefined)
      this.deleteEntry.run(table.id, index.name, before.pk, before.sk, item.pk, item.sk);
    if (after !== undefined) {
      this.insertEntry.run(
        table.id,
        index.name,
        after.pk,
        after.sk,
        partitionHash(after.pk),
        item.pk,
        item.sk,
        itemHash,
      );
    }
  }

  /** Adds index entries for every item of the table (a new global secondary index). */
  backfillIndex(table: TableMeta, index: IndexMeta): void {
    const rows = this.db
      .prepare("SELECT hash, pk, sk, item FROM ddb_items WHERE table_id = ?")
      .all(table.id) as StoredRow[];
    for (const row of rows) this.writeEntry(table, index, row, row.hash, undefined, parseItem(row.item));
  }

  dropIndex(table: TableMeta, indexName: string): void {
    this.db
      .prepare("DELETE FROM ddb_index_entries WHERE table_id = ? AND index_name = ?")
      .run(table.id, indexName);
  }

  /** Recomputes every item's TTL column (TTL turned on or off). */
  refreshTtl(table: TableMeta): void {
    const rows = this.db
      .prepare("SELECT hash, pk, sk, item FROM ddb_items WHERE table_id = ?")
      .all(table.id) as StoredRow[];
    const update = this.db.prepare(
      "UPDATE ddb_items SET ttl = ? WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?",
    );
    for (const row of rows) update.run(ttlOf(table, parseItem(row.item)), table.id, row.hash, row.pk, row.sk);
  }

  dropTable(table: TableMeta): void {
    this.db.prepare("DELETE FROM ddb_items WHERE table_id = ?").run(table.id);
    this.replicas?.dropTable(table.id, table.name);
    this.db.prepare("DELETE FROM ddb_index_entries WHERE table_id = ?").run(table.id);
  }

  private record(table: TableMeta, previous: Item | undefined, next: Item | undefined, byTtl: boolean): void {
    const stream = table.stream;
    if (stream === undefined) return;
    const subject = (next ?? previous) as Item;
    this.sink.record({
      tableName: table.name,
      streamArn: stream.arn,
      viewType: stream.viewType,
      eventName: previous === undefined ? "INSERT" : next === undefined ? "REMOVE" : "MODIFY",
      keys: keyOf(table, subject),
      partitionKey: table.partitionKey.name,
      ...(previous === undefined ? {} : { oldImage: previous }),
      ...(next === undefined ? {} : { newImage: next }),
      ...(byTtl
        ? { userIdentity: { type: "Service" as const, principalId: servicePrincipal("dynamodb") } }
        : {}),
    });
  }
}

/**
 * PutItem, UpdateItem and DeleteItem over the wire, answered before their commit (issue 15; the
 * mechanism is local/store/intent-slot.ts). A write's condition is checked and its new item made
 * before the answer, as always; the slot then holds what the item store will apply (the table's
 * name, the item before and the item after), the answer goes out, and the item, its index
 * entries, counts and stream record are committed right after, in the same synchronous run.
 *
 * After a crash the next open reads the item the slot names: equal to the item after, the commit
 * happened; equal to the item before, it is applied now. Nothing else can have written the item
 * in between (a held write is committed before anything else runs). A write that changes nothing
 * wrote no stream record and needs none.
 */
import type { IntentSlot } from "../store/index.ts";
import { type AnswerFirst, type Engine, inTransaction } from "./engine.ts";
import { equalValues, type Item } from "./expressions/index.ts";
import { keyOf, parseItem } from "./item-store.ts";
import type { TableMeta } from "./table-meta.ts";

/** The slot's file: the state file's name with this after it, beside it. */
export const WRITE_INTENT_SUFFIX = "-dynamodb-write";

interface HeldWrite {
  readonly table: TableMeta;
  readonly previous: Item | undefined;
  readonly next: Item | undefined;
}

/** The slot's JSON: items as DynamoDB JSON, null for none. */
interface SlotRecord {
  readonly table: string;
  readonly previous: Item | null;
  readonly next: Item | null;
}

export class AnsweredWrites implements AnswerFirst {
  /** The write answered last, until it is committed. */
  private held: HeldWrite | undefined;

  constructor(private readonly slot: IntentSlot) {}

  /** Puts the write into the slot; the caller answers, then runs `commit`. */
  hold(table: TableMeta, previous: Item | undefined, next: Item | undefined): void {
    const record: SlotRecord = { table: table.name, previous: previous ?? null, next: next ?? null };
    this.slot.write(record);
    this.held = { table, previous, next };
  }

  /**
   * Commits the held write, then empties the slot. Also run before every call (DynamoDbService):
   * a commit that failed after its answer is retried then, and while it fails every call fails.
   */
  commit(engine: Engine): void {
    const held = this.held;
    if (held === undefined) return;
    inTransaction(engine, () => engine.items.write(held.table, held.previous, held.next));
    this.held = undefined;
    this.slot.clear();
  }

  /** At open: applies a write a crashed process answered for and did not commit. */
  recover(engine: Engine): void {
    const text = this.slot.pending();
    if (text === undefined) return;
    const record = parseItem(text) as unknown as SlotRecord;
    const previous = record.previous ?? undefined;
    const next = record.next ?? undefined;
    const subject = next ?? previous;
    // A slot left beside a state file made anew may name a table that no longer exists.
    const table = typeof record.table === "string" ? engine.tables.find(record.table) : undefined;
    if (table !== undefined && subject !== undefined) {
      const stored = engine.items.get(table, keyOf(table, subject));
      if (!sameItem(stored, next) && sameItem(stored, previous)) {
        inTransaction(engine, () => engine.items.write(table, previous, next));
      }
    }
    this.slot.clear();
  }

  /** Commits a held write, then closes the slot's file. */
  close(engine: Engine): void {
    this.commit(engine);
    this.slot.close();
  }
}

function sameItem(a: Item | undefined, b: Item | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return equalValues({ M: a }, { M: b });
}

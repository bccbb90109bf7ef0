/**
 * SendMessage answered before its commit (issue 14; the mechanism is local/store/intent-slot.ts):
 * the slot holds the rows of the last send answered first, as the insert statement's values.
 */
import type { Db, IntentSlot } from "../store/index.ts";
import type { InsertValues } from "./insert-message.ts";
import type { MessageStore } from "./message-store.ts";

/** The slot's file: the state file's name with this after it, beside it. */
export const SEND_INTENT_SUFFIX = "-sqs-send";

/**
 * At open: commits the rows a crashed process answered for and did not commit. A row already
 * stored is the newest (nothing runs between a commit and the slot's emptying), so the newest rows
 * are all that is looked at.
 */
export function commitAnsweredSends(slot: IntentSlot, db: Db, store: MessageStore): void {
  const text = slot.pending();
  if (text === undefined) return;
  const parsed: unknown = JSON.parse(text);
  const rows = Array.isArray(parsed) ? parsed.filter(Array.isArray) : [];
  const newest = new Set(
    db
      .prepare("SELECT message_id FROM sqs_messages ORDER BY seq DESC LIMIT ?")
      .pluck()
      .all(rows.length) as string[],
  );
  // A slot left beside a state file made anew names queues that no longer exist: those rows go.
  const queueExists = db.prepare<[unknown], number>("SELECT 1 FROM sqs_queues WHERE id = ?").pluck();
  db.transaction(() => {
    for (const values of rows) {
      if (newest.has(values[1] as string) || queueExists.get(values[0]) === undefined) continue;
      store.insert.run(...(values as InsertValues));
    }
  })();
  slot.clear();
}

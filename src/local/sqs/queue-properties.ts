import type { Db } from "../store/index.ts";

/** `tag`: TagQueue's tags. `attribute`: attributes kept verbatim (see queue-attributes.ts). */
export type PropertyKind = "tag" | "attribute";

/** A queue's tags and stored attributes, in `sqs_queue_properties`; deleted with the queue. */
export class QueueProperties {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(db: Db) {
    this.select = db.prepare<[number, string], { key: string; value: string }>(
      "SELECT key, value FROM sqs_queue_properties WHERE queue_id = ? AND kind = ? ORDER BY key",
    );
    this.upsert = db.prepare(
      `INSERT INTO sqs_queue_properties (queue_id, kind, key, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (queue_id, kind, key) DO UPDATE SET value = excluded.value`,
    );
    this.remove = db.prepare("DELETE FROM sqs_queue_properties WHERE queue_id = ? AND kind = ? AND key = ?");
  }

  get(queueId: number, kind: PropertyKind): Record<string, string> {
    return Object.fromEntries(this.select.all(queueId, kind).map((row) => [row.key, row.value]));
  }

  /** Sets each entry; with `emptyRemoves`, an empty value deletes the key instead. */
  set(
    queueId: number,
    kind: PropertyKind,
    entries: Readonly<Record<string, string>>,
    emptyRemoves = false,
  ): void {
    for (const [key, value] of Object.entries(entries)) {
      if (emptyRemoves && value === "") this.remove.run(queueId, kind, key);
      else this.upsert.run(queueId, kind, key, value);
    }
  }

  delete(queueId: number, kind: PropertyKind, keys: readonly string[]): void {
    for (const key of keys) this.remove.run(queueId, kind, key);
  }
}

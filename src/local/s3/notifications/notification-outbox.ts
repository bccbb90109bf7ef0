/**
 * The durable outbox of S3 notifications: one row per matched destination, written in the same
 * SQLite transaction as the object change it is about, so an event exists exactly when its change
 * does (a kill -9 right after PutObject answered loses neither). The dispatcher deletes a row once
 * its destination accepted it.
 */
import { type Db, migrate } from "../../store/index.ts";

/** `function` and `queue` carry the S3 event message; `bus` an S3BusEvent for the default bus. */
export type OutboxKind = "function" | "queue" | "bus";

export interface OutboxRow {
  readonly id: number;
  readonly kind: OutboxKind;
  /** The function's or queue's ARN; the bucket's ARN for `bus`. */
  readonly target: string;
  readonly bucket: string;
  /** The message (JSON text). */
  readonly body: string;
  /** The writer's `X-Amzn-Trace-Id`, so the invocation continues its chain (recursive loop detection). */
  readonly traceHeader: string | undefined;
  readonly createdAt: number;
}

export interface OutboxEntry {
  readonly kind: OutboxKind;
  readonly target: string;
  readonly bucket: string;
  readonly body: string;
  readonly traceHeader?: string;
  readonly createdAt: number;
}

interface Row {
  id: number;
  kind: OutboxKind;
  target: string;
  bucket: string;
  body: string;
  trace_header: string | null;
  created_at: number;
}

export class NotificationOutbox {
  private readonly statements;

  constructor(readonly db: Db) {
    migrate(db, "s3-notifications", [
      `CREATE TABLE s3_notification_outbox (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         kind TEXT NOT NULL,
         target TEXT NOT NULL,
         bucket TEXT NOT NULL,
         body TEXT NOT NULL,
         trace_header TEXT,
         created_at INTEGER NOT NULL
       )`,
    ]);
    this.statements = {
      insert: db.prepare(
        "INSERT INTO s3_notification_outbox (kind, target, bucket, body, trace_header, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      oldest: db.prepare("SELECT * FROM s3_notification_outbox WHERE id > ? ORDER BY id LIMIT ?"),
      remove: db.prepare("DELETE FROM s3_notification_outbox WHERE id = ?"),
      count: db.prepare("SELECT COUNT(*) AS n FROM s3_notification_outbox"),
    };
  }

  add(entry: OutboxEntry): void {
    this.statements.insert.run(
      entry.kind,
      entry.target,
      entry.bucket,
      entry.body,
      entry.traceHeader ?? null,
      entry.createdAt,
    );
  }

  /** Up to `limit` rows after `afterId`, oldest first (the order the changes were made in). */
  after(afterId: number, limit: number): OutboxRow[] {
    return (this.statements.oldest.all(afterId, limit) as Row[]).map((row) => ({
      id: row.id,
      kind: row.kind,
      target: row.target,
      bucket: row.bucket,
      body: row.body,
      traceHeader: row.trace_header ?? undefined,
      createdAt: row.created_at,
    }));
  }

  remove(id: number): void {
    this.statements.remove.run(id);
  }

  pending(): number {
    return (this.statements.count.get() as { n: number }).n;
  }
}

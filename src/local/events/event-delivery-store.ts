/**
 * The bus's durable state: one row per (event, rule target) still to deliver, and a count of the
 * events dropped per target. A PutEvents that answered with an EventId has its rows committed,
 * so accepted events survive a crash (and may then be delivered twice: at least once, as on AWS).
 */
import { type Db, migrate } from "../store/index.ts";

export interface DeliveryRow {
  readonly id: number;
  readonly rule: string;
  readonly target_id: string;
  /** JSON of the event. */
  readonly event: string;
  readonly ingested_at: number;
  /** Failed attempts so far. */
  readonly retries: number;
  readonly due_at: number;
  readonly last_error: string | null;
  /**
   * The trace header of the hop that made this delivery (the event's `put`, or a forwarding
   * `match`): each attempt's `match` hop continues it (issue 20). Null for rows from before.
   */
  readonly trace_header: string | null;
}

const SCHEMA = [
  `CREATE TABLE event_deliveries (
     id INTEGER PRIMARY KEY AUTOINCREMENT, rule TEXT NOT NULL, target_id TEXT NOT NULL, event TEXT NOT NULL,
     ingested_at INTEGER NOT NULL, retries INTEGER NOT NULL, due_at INTEGER NOT NULL, last_error TEXT);
   CREATE INDEX event_deliveries_due ON event_deliveries (due_at);
   CREATE TABLE event_drops (rule TEXT NOT NULL, target_id TEXT NOT NULL, count INTEGER NOT NULL,
     PRIMARY KEY (rule, target_id));`,
  // Traces across hops (issue 20): the trace each delivery continues.
  "ALTER TABLE event_deliveries ADD COLUMN trace_header TEXT;",
];

export class EventDeliveryStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    migrate(db, "events", SCHEMA);
    this.statements = {
      insert: db.prepare(
        "INSERT INTO event_deliveries (rule, target_id, event, ingested_at, retries, due_at, trace_header) VALUES (?, ?, ?, ?, 0, ?, ?)",
      ),
      due: db.prepare("SELECT * FROM event_deliveries WHERE due_at <= ? ORDER BY due_at, id LIMIT 256"),
      next: db.prepare("SELECT MIN(due_at) AS due FROM event_deliveries"),
      remove: db.prepare("DELETE FROM event_deliveries WHERE id = ?"),
      retry: db.prepare("UPDATE event_deliveries SET retries = ?, due_at = ?, last_error = ? WHERE id = ?"),
      drop: db.prepare(
        "INSERT INTO event_drops (rule, target_id, count) VALUES (?, ?, 1) ON CONFLICT(rule, target_id) DO UPDATE SET count = count + 1",
      ),
      drops: db.prepare("SELECT rule, target_id, count FROM event_drops"),
      pending: db.prepare("SELECT COUNT(*) AS n FROM event_deliveries"),
      // A range of the due_at index: cheap however many deliveries wait for later.
      dueCount: db.prepare("SELECT COUNT(*) AS n FROM event_deliveries WHERE due_at <= ?"),
    };
  }

  /** Inserts every row in one transaction. */
  insertAll(
    rows: readonly { rule: string; targetId: string; event: string; nowMs: number; traceHeader: string }[],
  ): void {
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const r of rows)
        this.statements.insert.run(r.rule, r.targetId, r.event, r.nowMs, r.nowMs, r.traceHeader);
    })();
  }

  due(nowMs: number): DeliveryRow[] {
    return this.statements.due.all(nowMs) as DeliveryRow[];
  }

  nextDue(): number | undefined {
    return (this.statements.next.get() as { due: number | null }).due ?? undefined;
  }

  remove(id: number): void {
    this.statements.remove.run(id);
  }

  reschedule(id: number, retries: number, dueAt: number, error: string): void {
    this.statements.retry.run(retries, dueAt, error, id);
  }

  /** Removes the row and counts the event as dropped for its target. */
  drop(row: DeliveryRow): void {
    this.db.transaction(() => {
      this.statements.remove.run(row.id);
      this.statements.drop.run(row.rule, row.target_id);
    })();
  }

  /** Dropped events per `rule/targetId`. */
  drops(): Record<string, number> {
    const rows = this.statements.drops.all() as { rule: string; target_id: string; count: number }[];
    return Object.fromEntries(rows.map((r) => [`${r.rule}/${r.target_id}`, r.count]));
  }

  pending(): number {
    return (this.statements.pending.get() as { n: number }).n;
  }

  /** Deliveries due at `nowMs` (their first attempt, or a retry whose time has come). */
  dueCount(nowMs: number): number {
    return (this.statements.dueCount.get(nowMs) as { n: number }).n;
  }
}

import { type Db, migrate } from "../store/index.ts";

/**
 * The scheduler's durable cursor: per schedule, the due time it last fired (or, before its first
 * fire, the time it was first seen, from which `rate()` counts). It is written before the target
 * is called, so a crash between the two loses that one delivery rather than repeating it: with
 * the flexible time window off, EventBridge Scheduler fires at most once per due time.
 */
export class ScheduleStore {
  constructor(private readonly db: Db) {
    migrate(db, "scheduler", [
      `CREATE TABLE scheduler_cursors (
        name TEXT PRIMARY KEY,
        expression TEXT NOT NULL,
        timezone TEXT NOT NULL,
        cursor_ms INTEGER NOT NULL,
        fired INTEGER NOT NULL DEFAULT 0
      )`,
    ]);
  }

  /**
   * The cursor of a schedule, or undefined when it is new or its expression or time zone changed
   * (a changed schedule starts afresh, as an UpdateSchedule does).
   */
  cursor(name: string, expression: string, timezone: string): number | undefined {
    const row = this.db
      .prepare("SELECT expression, timezone, cursor_ms FROM scheduler_cursors WHERE name = ?")
      .get(name) as { expression: string; timezone: string; cursor_ms: number } | undefined;
    if (row === undefined || row.expression !== expression || row.timezone !== timezone) return undefined;
    return row.cursor_ms;
  }

  /** Records the cursor; `fired` says whether it is a fire (true) or the start anchor (false). */
  save(name: string, expression: string, timezone: string, cursorMs: number, fired: boolean): void {
    this.db
      .prepare(
        `INSERT INTO scheduler_cursors (name, expression, timezone, cursor_ms, fired) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET expression = excluded.expression, timezone = excluded.timezone,
           cursor_ms = excluded.cursor_ms,
           fired = CASE WHEN scheduler_cursors.expression = excluded.expression
             AND scheduler_cursors.timezone = excluded.timezone
             THEN scheduler_cursors.fired + excluded.fired ELSE excluded.fired END`,
      )
      .run(name, expression, timezone, cursorMs, fired ? 1 : 0);
  }

  /** How many times each schedule has fired since it was created or last changed. */
  firedCount(name: string): number {
    const row = this.db.prepare("SELECT fired FROM scheduler_cursors WHERE name = ?").get(name) as
      | { fired: number }
      | undefined;
    return row?.fired ?? 0;
  }
}

/** The engine's SQLite tables (`cfn_*`): each record is a JSON document keyed for its lookups. */
import { randomUUID } from "node:crypto";
import { type Db, migrate } from "../store/index.ts";
import type { ChangeSetRecord, EventRecord, ResourceRecord, StackRecord } from "./records.ts";

const MIGRATIONS = [
  `CREATE TABLE cfn_stacks (stack_id TEXT PRIMARY KEY, region TEXT NOT NULL, name TEXT NOT NULL,
     status TEXT NOT NULL, created_seq INTEGER NOT NULL, data TEXT NOT NULL);
   CREATE INDEX cfn_stacks_name ON cfn_stacks (region, name);
   CREATE TABLE cfn_resources (stack_id TEXT NOT NULL, logical_id TEXT NOT NULL, seq INTEGER NOT NULL,
     data TEXT NOT NULL, PRIMARY KEY (stack_id, logical_id));
   CREATE TABLE cfn_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, stack_id TEXT NOT NULL, data TEXT NOT NULL);
   CREATE INDEX cfn_events_stack ON cfn_events (stack_id, seq);
   CREATE TABLE cfn_change_sets (change_set_id TEXT PRIMARY KEY, stack_id TEXT NOT NULL, name TEXT NOT NULL,
     created_seq INTEGER NOT NULL, data TEXT NOT NULL);
   CREATE INDEX cfn_change_sets_stack ON cfn_change_sets (stack_id, name);`,
];

export class CfnStore {
  private seq: number;

  constructor(readonly db: Db) {
    migrate(db, "cloudformation", MIGRATIONS);
    const row = db.prepare("SELECT MAX(created_seq) AS s FROM cfn_stacks").get() as { s: number | null };
    this.seq = row.s ?? 0;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  putStack(stack: StackRecord): void {
    this.db
      .prepare(
        `INSERT INTO cfn_stacks (stack_id, region, name, status, created_seq, data) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(stack_id) DO UPDATE SET status = excluded.status, data = excluded.data`,
      )
      .run(stack.stackId, stack.region, stack.name, stack.status, ++this.seq, JSON.stringify(stack));
  }

  stack(stackId: string): StackRecord | undefined {
    return this.one<StackRecord>("SELECT data FROM cfn_stacks WHERE stack_id = ?", stackId);
  }

  /** The live (not DELETE_COMPLETE) stack of that name in a region. */
  liveStack(region: string, name: string): StackRecord | undefined {
    return this.one<StackRecord>(
      "SELECT data FROM cfn_stacks WHERE region = ? AND name = ? AND status != 'DELETE_COMPLETE'",
      region,
      name,
    );
  }

  stacks(region?: string): StackRecord[] {
    return region === undefined
      ? this.all<StackRecord>("SELECT data FROM cfn_stacks ORDER BY created_seq DESC")
      : this.all<StackRecord>(
          "SELECT data FROM cfn_stacks WHERE region = ? ORDER BY created_seq DESC",
          region,
        );
  }

  putResource(resource: ResourceRecord): void {
    this.db
      .prepare(
        `INSERT INTO cfn_resources (stack_id, logical_id, seq, data) VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM cfn_resources), ?)
         ON CONFLICT(stack_id, logical_id) DO UPDATE SET data = excluded.data`,
      )
      .run(resource.stackId, resource.logicalId, JSON.stringify(resource));
  }

  deleteResource(stackId: string, logicalId: string): void {
    this.db
      .prepare("DELETE FROM cfn_resources WHERE stack_id = ? AND logical_id = ?")
      .run(stackId, logicalId);
  }

  resources(stackId: string): ResourceRecord[] {
    return this.all<ResourceRecord>(
      "SELECT data FROM cfn_resources WHERE stack_id = ? ORDER BY seq",
      stackId,
    );
  }

  addEvent(event: Omit<EventRecord, "eventId">): EventRecord {
    const record: EventRecord = { eventId: randomUUID(), ...event };
    this.db
      .prepare("INSERT INTO cfn_events (stack_id, data) VALUES (?, ?)")
      .run(event.stackId, JSON.stringify(record));
    return record;
  }

  /** Newest first, `offset` events skipped. */
  events(stackId: string, offset: number, limit: number): EventRecord[] {
    return this.all<EventRecord>(
      "SELECT data FROM cfn_events WHERE stack_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
      stackId,
      limit,
      offset,
    );
  }

  putChangeSet(changeSet: ChangeSetRecord): void {
    this.db
      .prepare(
        `INSERT INTO cfn_change_sets (change_set_id, stack_id, name, created_seq, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(change_set_id) DO UPDATE SET data = excluded.data`,
      )
      .run(changeSet.changeSetId, changeSet.stackId, changeSet.name, ++this.seq, JSON.stringify(changeSet));
  }

  changeSet(changeSetId: string): ChangeSetRecord | undefined {
    return this.one<ChangeSetRecord>("SELECT data FROM cfn_change_sets WHERE change_set_id = ?", changeSetId);
  }

  changeSetByName(stackId: string, name: string): ChangeSetRecord | undefined {
    return this.one<ChangeSetRecord>(
      "SELECT data FROM cfn_change_sets WHERE stack_id = ? AND name = ?",
      stackId,
      name,
    );
  }

  changeSets(stackId: string): ChangeSetRecord[] {
    return this.all<ChangeSetRecord>(
      "SELECT data FROM cfn_change_sets WHERE stack_id = ? ORDER BY created_seq",
      stackId,
    );
  }

  deleteChangeSet(changeSetId: string): void {
    this.db.prepare("DELETE FROM cfn_change_sets WHERE change_set_id = ?").run(changeSetId);
  }

  /** Change sets of a stack other than `keep` (AWS deletes them when one is executed). */
  deleteChangeSetsOf(stackId: string, keep: string): void {
    this.db
      .prepare("DELETE FROM cfn_change_sets WHERE stack_id = ? AND change_set_id != ?")
      .run(stackId, keep);
  }

  /** The JSON document of the one row `sql` selects (`SELECT data …`), if any. */
  private one<T>(sql: string, ...params: unknown[]): T | undefined {
    const row = this.db.prepare(sql).get(...params) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as T) : undefined;
  }

  /** The JSON documents of the rows `sql` selects (`SELECT data …`), in its order. */
  private all<T>(sql: string, ...params: unknown[]): T[] {
    const rows = this.db.prepare(sql).all(...params) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as T);
  }
}

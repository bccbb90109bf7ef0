import { type Db, migrate } from "../store/index.ts";

/**
 * The trace store's tables in the app's SQLite file.
 * - `trace_hops`: one row per recorded hop; `seq` is the cursor for "what is new".
 * - `trace_summaries`: one row per trace, kept up to date as its hops are written, so listing the
 *   newest (or failed, or a resource's) traces reads an index instead of grouping every hop.
 * - `trace_resources`: which traces touched which resource (`name` is the part after `kind:`, for
 *   a bare-name filter).
 * - `trace_logs`: the log lines of invocations, under a key the store gives each request id when
 *   its first line comes (increasing, so lines are appended to the table's b-tree, never written
 *   between others' as random request ids would be); an invocation's hop holds its `log_key`.
 * Every index costs each recorded hop a write, so there are only those the reads need: hops by
 * trace (timeline), traces by start (newest first, failed), by resource and by name. "Oldest"
 * and "changed since a seq" read `trace_hops` in seq order, its rowid.
 */
export function migrateTraces(db: Db): void {
  migrate(db, "traces", [
    `CREATE TABLE trace_hops (
       seq INTEGER PRIMARY KEY,
       trace_id TEXT NOT NULL,
       hop_id TEXT NOT NULL,
       parent_id TEXT,
       kind TEXT NOT NULL,
       source TEXT NOT NULL,
       target TEXT NOT NULL,
       start_ms INTEGER NOT NULL,
       duration_ms INTEGER NOT NULL,
       outcome TEXT NOT NULL,
       attempt INTEGER NOT NULL,
       payload TEXT NOT NULL,
       truncated INTEGER NOT NULL,
       detail TEXT,
       request_id TEXT,
       log_key INTEGER
     )`,
    "CREATE INDEX trace_hops_trace ON trace_hops (trace_id, seq)",
    `CREATE TABLE trace_summaries (
       trace_id TEXT PRIMARY KEY,
       first_seq INTEGER NOT NULL,
       last_seq INTEGER NOT NULL,
       start_ms INTEGER NOT NULL,
       end_ms INTEGER NOT NULL,
       source TEXT NOT NULL,
       target TEXT NOT NULL,
       hops INTEGER NOT NULL,
       failed INTEGER NOT NULL
     ) WITHOUT ROWID`,
    "CREATE INDEX trace_summaries_newest ON trace_summaries (start_ms, first_seq)",
    "CREATE INDEX trace_summaries_failed ON trace_summaries (start_ms, first_seq) WHERE failed = 1",
    // Keyed by name first: one b-tree answers both `kind:name` and a bare name.
    `CREATE TABLE trace_resources (
       name TEXT NOT NULL,
       resource TEXT NOT NULL,
       trace_id TEXT NOT NULL,
       PRIMARY KEY (name, resource, trace_id)
     ) WITHOUT ROWID`,
    `CREATE TABLE trace_logs (
       log_key INTEGER NOT NULL,
       line INTEGER NOT NULL,
       request_id TEXT NOT NULL,
       function TEXT NOT NULL,
       ts INTEGER NOT NULL,
       text TEXT NOT NULL,
       PRIMARY KEY (log_key, line)
     ) WITHOUT ROWID`,
  ]);
}

/** The tables the trace store kept in the app's state.sqlite before they had a file of their own. */
const STATE_TRACE_TABLES = ["trace_logs", "trace_resources", "trace_summaries", "trace_hops"];

/**
 * Drops the trace tables an earlier Sluice made in the app's state.sqlite (traces now live in
 * traces.sqlite beside it), once: a file without them costs one lookup.
 */
export function dropStateTraces(db: Db): void {
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trace_hops'").get();
  if (old === undefined) return;
  db.transaction(() => {
    for (const table of STATE_TRACE_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec("DELETE FROM schema_versions WHERE surface = 'traces'");
  })();
}

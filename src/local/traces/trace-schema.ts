import { renameSync, rmSync } from "node:fs";
import { type Db, migrate, openStore } from "../store/index.ts";

/** A row of `trace_summaries`. */
export interface TraceSummaryRow {
  readonly trace_id: string;
  readonly first_seq: number;
  readonly last_seq: number;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly source: string;
  readonly target: string;
  readonly hops: number;
  readonly failed: number;
  /** JSON array of the resources the trace's hops touched. */
  readonly resources: string;
}

/**
 * The highest log key the file holds, in a log line or a hop (the store hands out keys after it).
 * Both halves are index lookups: a start never reads the file through (trace_hops_log_key).
 */
export const HIGHEST_LOG_KEY =
  "SELECT MAX((SELECT COALESCE(MAX(log_key), 0) FROM trace_logs), (SELECT COALESCE(MAX(log_key), 0) FROM trace_hops WHERE log_key IS NOT NULL)) AS key";

/** SQLite's answers for a file that is not a whole database. https://sqlite.org/rescode.html */
const DAMAGED = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB"]);

/**
 * Opens the traces file with its tables. The writer does not fsync it (trace-writer.ts), so a
 * crash of the machine can leave it damaged: such a file is set aside as `<file>.damaged` (the
 * last one kept) and a new one begun, since traces are diagnostics and the app must still start.
 */
export function openTraceFile(file: string): Db {
  try {
    return migrated(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== "string" || !DAMAGED.has(code)) throw error;
    renameSync(file, `${file}.damaged`);
    for (const suffix of ["-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
    return migrated(file);
  }
}

function migrated(file: string): Db {
  const db = openStore(file);
  try {
    migrateTraces(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The trace store's tables in its SQLite file (traces.sqlite).
 * - `trace_hops`: one row per recorded hop; `seq` is the cursor for "what is new". A hop whose
 *   payload is the same text as another hop's of its trace recorded with it (an API request and
 *   the invocation it made carry one event) stores it once: `payload` NULL, `payload_seq` the hop
 *   that holds it. Hops are pruned by whole traces, so the holder lives as long as the hop.
 * - `trace_summaries`: one row per trace, kept up to date as its hops are written (once per trace
 *   per written batch), so listing the newest (or failed) traces reads an index instead of
 *   grouping every hop; `resources` is the JSON array of the resources its hops touched, which a
 *   resource filter reads row by row in newest-first order.
 * - `trace_logs`: the log lines of invocations, under a key the store gives each request id when
 *   its first line comes (increasing, so rows are appended to the table's b-tree, never written
 *   between others' as random request ids would be); an invocation's hop holds its `log_key`. The
 *   lines of one key written in one batch are one row: `line` is the first's number, `lines` the
 *   JSON array of `[timestamp, text]` of each (an invocation's START, END and REPORT in one write).
 * Every row and index costs each recorded hop a write on the writer thread, which shares the
 * machine with the app: only the trace index on hops and the two start-time indexes on summaries
 * remain. "Oldest" and "changed since a seq" read `trace_hops` in seq order, its rowid.
 * Version 2 dropped version 1's tables (a table of resources per trace, one log row per line,
 * every payload stored whole): traces are diagnostics, and an upgrade starts with none.
 */
export function migrateTraces(db: Db): void {
  migrate(db, "traces", [
    // Version 1 (a new file runs these too, then version 2's: steps are only ever appended).
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
    // Version 2.
    "DROP TABLE trace_resources",
    "DROP TABLE trace_logs",
    "DROP TABLE trace_summaries",
    "DROP TABLE trace_hops",
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
       payload TEXT,
       payload_seq INTEGER,
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
       failed INTEGER NOT NULL,
       resources TEXT NOT NULL
     ) WITHOUT ROWID`,
    "CREATE INDEX trace_summaries_newest ON trace_summaries (start_ms, first_seq)",
    "CREATE INDEX trace_summaries_failed ON trace_summaries (start_ms, first_seq) WHERE failed = 1",
    `CREATE TABLE trace_logs (
       log_key INTEGER NOT NULL,
       line INTEGER NOT NULL,
       request_id TEXT NOT NULL,
       function TEXT NOT NULL,
       lines TEXT NOT NULL,
       PRIMARY KEY (log_key, line)
     ) WITHOUT ROWID`,
    // The store's next log key comes after the highest a hop holds (trace-store.ts): without an
    // index that read every hop of the file at each start (106 ms for 100,000 hops, 91 MB). Keys
    // grow as hops are written, so a batch's entries land on the index's last page.
    "CREATE INDEX trace_hops_log_key ON trace_hops (log_key) WHERE log_key IS NOT NULL",
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

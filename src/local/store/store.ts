import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { reclaimSpace } from "./free-pages.ts";
import { checkpointInBackground } from "./wal-checkpoints.ts";

export type Db = Database.Database;

/** `PRAGMA auto_vacuum` reads 2 for INCREMENTAL. https://www.sqlite.org/pragma.html#pragma_auto_vacuum */
const INCREMENTAL = 2;
/**
 * The WAL is cut back to this after a checkpoint, so one large transaction does not leave it large
 * (an exclusive store's scheduled checkpoints use their own limit, wal-checkpoints.ts).
 */
const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

export interface StoreOptions {
  /**
   * The connection is the file's only user for as long as it is open (a running local cloud):
   * it takes the file's lock at its first read and keeps it, so a commit makes no lock calls
   * (6 `fcntl`s per commit otherwise), and WAL keeps its index in this process's memory instead of
   * a shared `-shm` file. Another connection to the file, in this process or another, gets
   * SQLITE_BUSY until this one closes. Set before the first access, as SQLite requires for WAL
   * without shared memory. Being the only user, it also checkpoints the WAL on its own schedule,
   * the WAL's fsync on the thread pool first (wal-checkpoints.ts). https://sqlite.org/pragma.html#pragma_locking_mode,
   * https://sqlite.org/wal.html#noshm
   * @default false
   * @example openStore(join(stateDir, "state.sqlite"), { exclusive: true })
   */
  readonly exclusive?: boolean;
}

/**
 * Opens the application's SQLite file. WAL with synchronous=NORMAL survives a `kill -9` of the
 * local cloud (committed pages are in the WAL file the OS already holds); only a power loss could
 * drop the last commits, which docs/fidelity.md states.
 */
export function openStore(file: string, options: StoreOptions = {}): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  if (options.exclusive) db.pragma("locking_mode = EXCLUSIVE");
  db.pragma("busy_timeout = 5000");
  useIncrementalVacuum(db);
  db.pragma("journal_mode = WAL");
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  reclaimSpace(db);
  // The file's only user can checkpoint on its own schedule, its fsyncs mostly off the main thread.
  if (options.exclusive && file !== ":memory:") checkpointInBackground(db);
  return db;
}

/**
 * Without auto_vacuum a file never shrinks: a purged queue left it at its high-water size (issue 11).
 * A new file takes the mode before its first table; a file made before it needs one VACUUM, which
 * in WAL mode may change exactly this property. https://www.sqlite.org/lang_vacuum.html
 */
function useIncrementalVacuum(db: Db): void {
  if (db.pragma("auto_vacuum", { simple: true }) === INCREMENTAL) return;
  db.pragma("auto_vacuum = INCREMENTAL");
  if ((db.pragma("page_count", { simple: true }) as number) === 0) return;
  try {
    db.exec("VACUUM");
  } catch {
    // Another process has the file open mid-transaction: the mode switches at a later open.
  }
}

/**
 * Each surface owns its tables and creates them itself; a version row per surface lets a surface
 * migrate its own schema without knowing the others'.
 */
export function migrate(db: Db, surface: string, steps: readonly string[]): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_versions (surface TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  const row = db.prepare("SELECT version FROM schema_versions WHERE surface = ?").get(surface) as
    | { version: number }
    | undefined;
  const from = row?.version ?? 0;
  if (from >= steps.length) return;
  db.transaction(() => {
    for (const step of steps.slice(from)) db.exec(step);
    db.prepare(
      "INSERT INTO schema_versions (surface, version) VALUES (?, ?) ON CONFLICT(surface) DO UPDATE SET version = excluded.version",
    ).run(surface, steps.length);
  })();
}

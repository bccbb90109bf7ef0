import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type Db = Database.Database;

/**
 * Opens the application's SQLite file. WAL with synchronous=NORMAL survives a `kill -9` of the
 * local cloud (committed pages are in the WAL file the OS already holds); only a power loss could
 * drop the last commits, which docs/fidelity.md states.
 */
export function openStore(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
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

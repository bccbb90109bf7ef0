/**
 * Giving freed pages back to the file system. The store runs with `auto_vacuum = INCREMENTAL`
 * (store.ts), so the pages a large delete frees (PurgeQueue, DeleteQueue, retention sweeps) stay in
 * the file until `PRAGMA incremental_vacuum` moves them out. That runs here, after the delete's
 * transaction has committed, in slices between other work, so no request waits behind a purge's
 * worth of page moves (20,000 messages of 1 KB free about 6,000 pages).
 * https://www.sqlite.org/pragma.html#pragma_incremental_vacuum
 */
import type Database from "better-sqlite3";

// Spelled here rather than imported from store.ts, which imports this file.
type Db = Database.Database;

/** Pages moved per turn of the event loop: 1 MiB of 4 KiB pages, a few milliseconds. */
const SLICE_PAGES = 256;

const running = new WeakMap<Db, Promise<void>>();

export function freePageCount(db: Db): number {
  return db.pragma("freelist_count", { simple: true }) as number;
}

/** Frees every free page now; for opening a file, not for request paths. */
export function reclaimSpace(db: Db): void {
  if (freePageCount(db) > 0) db.pragma("incremental_vacuum");
}

/** Schedules giving the free pages back, once per store however many deletes ask for it. */
export function reclaimSpaceSoon(db: Db): void {
  if (running.has(db) || !db.open) return;
  const done = new Promise<void>((resolve) => {
    const step = (): void => {
      try {
        // A transaction left open by a caller, or a closed store: the next delete or open retries.
        const before = db.open && !db.inTransaction ? freePageCount(db) : 0;
        if (before > 0) {
          db.pragma(`incremental_vacuum(${SLICE_PAGES})`);
          if (freePageCount(db) < before) {
            setImmediate(step);
            return;
          }
        }
      } catch {
        // SQLITE_BUSY from another process holding the file: space is a nicety, data is intact.
      }
      running.delete(db);
      resolve();
    };
    setImmediate(step);
  });
  running.set(db, done);
}

/** Settles when the scheduled reclaiming (if any) has finished. */
export function spaceReclaimed(db: Db): Promise<void> {
  return running.get(db) ?? Promise.resolve();
}

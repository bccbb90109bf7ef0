/**
 * Checkpoints of the local cloud's WAL with their slowest part off the main thread (issue 14 §5).
 *
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages. With
 * synchronous=NORMAL it first fsyncs the WAL (every frame written since the last checkpoint: ~4 MB
 * nobody has synced yet), copies the pages into the database file, fsyncs that, and the next commit
 * fsyncs the restarted WAL's header: ~20 ms on the main thread every ~190 SendMessages of 1 KB
 * (~5 WAL pages each), which every request behind it waits for.
 *
 * Here the store flushes the WAL file with fdatasyncs on libuv's thread pool while requests go on,
 * and every PAGES_PER_CHECKPOINT or so runs a PASSIVE checkpoint on the main thread, whose own WAL
 * fsync is left with the frames since the last flush (measured: 9 ms instead of 20 ms per 1,000
 * pages). SQLite's automatic checkpoint stays on at BACKSTOP_PAGES,
 * so the WAL stays bounded when the event loop does not turn (a long synchronous burst).
 *
 * Durability is unchanged: every commit is in the WAL file when it returns (a killed process loses
 * nothing), and every checkpoint still syncs the WAL before copying and the database after, as
 * synchronous=NORMAL does. https://sqlite.org/wal.html#ckpt, https://sqlite.org/pragma.html#pragma_synchronous
 */
import { open } from "node:fs/promises";
import type Database from "better-sqlite3";

// Spelled here rather than imported from store.ts, which imports this file.
type Db = Database.Database;

/** How often the row count is looked at while rows change: one prepared SELECT, no I/O. */
export const CHECK_EVERY_MS = 25;
/**
 * The longest wait between looks once rows stop changing. Each look wakes the process, which costs
 * more than the look (~0.35 ms of CPU a look on session 20's VM, docs/benchmarks.md): at one look
 * every 25 ms an idle `sluice dev` spent 14 ms of CPU a second. Waits double while nothing changes,
 * up to this, and drop back to CHECK_EVERY_MS at the first look that finds changes. A burst that
 * starts just after a look is seen within this time, and its first checkpoint flushes off the main
 * thread first, like any other; SQLite's backstop bounds the WAL meanwhile.
 */
export const IDLE_CHECK_MS = 250;

/** The wait before the next look: short while rows change, doubling up to IDLE_CHECK_MS while they do not. */
function nextCheckDelay(previousMs: number, changed: boolean): number {
  return changed ? CHECK_EVERY_MS : Math.min(IDLE_CHECK_MS, previousMs * 2);
}

/** Runs `look` once after `ms`; the real one never keeps the process alive (housekeeping). */
export type CheckSchedule = (look: () => void, ms: number) => void;

const unrefTimeout: CheckSchedule = (look, ms) => {
  setTimeout(look, ms).unref();
};
/**
 * WAL pages between scheduled checkpoints (~8 MB). The main thread's share of a checkpoint (the
 * database file's fsync, the WAL's unflushed frames, the restarted WAL's header) hardly grows with
 * the WAL once the thread pool has flushed it, so fewer, larger checkpoints cost each request less.
 */
const PAGES_PER_CHECKPOINT = 2_000;
/**
 * Flushes per checkpoint: the thread pool keeps up with the WAL in steps (an fdatasync of 4 MB
 * took ~14 ms on a quiet disk and far longer on a busy one, while requests go on writing), so the
 * checkpoint finds little left to sync.
 */
const FLUSHES_PER_CHECKPOINT = 4;
/**
 * Flushes a due checkpoint waits for at most: requests keep writing while one runs, and when the
 * disk is slower than they are, the checkpoint syncs the rest itself rather than wait on.
 */
const MAX_FLUSHES_BEFORE_CHECKPOINT = 3;
/** The row changes (rows and trigger rows) the first checkpoint waits for: ~2.6 pages each for SQS. */
const FIRST_CHANGES = 800;
/** SQLite's own checkpoint, for when the event loop does not turn: ~40 MB of WAL. */
export const BACKSTOP_PAGES = 10_000;
/**
 * The WAL is cut back to this when it restarts after a checkpoint: above what a scheduled
 * checkpoint leaves (re-growing a truncated WAL costs block allocations and a slower header fsync
 * every cycle), below what one large transaction or the backstop leaves.
 */
const CHECKPOINTED_WAL_LIMIT_BYTES = 16 * 1024 * 1024;

interface CheckpointResult {
  /** Frames in the WAL when it ran. */
  readonly log: number;
}

/**
 * Starts the schedule for an exclusive store; it ends by itself when the connection closes.
 * SQLite tells no one of its commits, so the schedule reads `total_changes()` (rows written, also
 * by triggers) and learns at each checkpoint how many WAL pages a change has cost, to aim at
 * PAGES_PER_CHECKPOINT. `schedule` runs each look (tests drive it by hand).
 */
export function checkpointInBackground(db: Db, schedule: CheckSchedule = unrefTimeout): void {
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  db.pragma(`journal_size_limit = ${CHECKPOINTED_WAL_LIMIT_BYTES}`);
  const walFile = `${db.name}-wal`;
  const changes = db.prepare<[], number>("SELECT total_changes()").pluck();
  let checkpointedAt = 0;
  let flushedAt = 0;
  let changesPerCheckpoint = FIRST_CHANGES;
  let flushing = false;
  const checkpoint = (): void => {
    // The store closed, or a caller's transaction spans an await: the next tick tries again.
    if (!db.open || db.inTransaction) return;
    const now = changes.get() as number;
    try {
      const [result] = db.pragma("wal_checkpoint(PASSIVE)") as CheckpointResult[];
      const changed = now - checkpointedAt;
      if (result && result.log > 0 && changed > 0) {
        const pagesPerChange = result.log / changed;
        changesPerCheckpoint = Math.max(
          FLUSHES_PER_CHECKPOINT,
          Math.round(PAGES_PER_CHECKPOINT / pagesPerChange),
        );
      }
    } catch {
      // SQLITE_BUSY or a closing store: the next tick, or the backstop, checkpoints.
    }
    checkpointedAt = now;
  };
  /** Flushes until one leaves few changes behind it (or MAX_FLUSHES_BEFORE_CHECKPOINT), then checkpoints. */
  const flushThenCheckpoint = async (): Promise<void> => {
    for (let round = 0; round < MAX_FLUSHES_BEFORE_CHECKPOINT; round++) {
      const before = changes.get() as number;
      flushedAt = before;
      await flushFile(walFile);
      if (!db.open) return;
      const behind = (changes.get() as number) - before;
      if (behind < changesPerCheckpoint / FLUSHES_PER_CHECKPOINT / 4) break;
    }
    checkpoint();
  };
  /** `afterIdle`: the wait before this look was a back-off, not the short one. */
  const tick = (now: number, afterIdle: boolean): void => {
    // A disk slower than the requests: the WAL stops growing here, as SQLite's own checkpoint would.
    // Not after a back-off: a burst that began during it wrote that much before anyone looked, and
    // its checkpoint gets its flushes off the main thread like any other.
    if (!afterIdle && now - checkpointedAt >= changesPerCheckpoint * 2) {
      checkpoint();
      return;
    }
    if (flushing) return;
    const due = now - checkpointedAt >= changesPerCheckpoint;
    if (!due && now - flushedAt < changesPerCheckpoint / FLUSHES_PER_CHECKPOINT) return;
    flushing = true;
    if (!due) flushedAt = now;
    // The checkpoint waits for a flush too: what the last one left is synced off the main thread.
    const work = due ? flushThenCheckpoint() : flushFile(walFile);
    work
      .catch(() => undefined)
      .finally(() => {
        flushing = false;
      });
  };
  let seen = 0;
  let delay = CHECK_EVERY_MS;
  const look = (): void => {
    if (!db.open) return;
    let changed = true;
    try {
      const now = changes.get() as number;
      changed = now !== seen;
      seen = now;
      tick(now, delay > CHECK_EVERY_MS);
    } catch {
      // The connection busy with an open iterator (better-sqlite3 allows nothing else meanwhile):
      // housekeeping never fails a request, the next look (a short wait: the store is in use) tries again.
    }
    delay = nextCheckDelay(delay, changed);
    schedule(look, delay);
  };
  schedule(look, delay);
}

/** fdatasync through a descriptor of our own (the file's dirty pages are the inode's, whoever wrote them). */
async function flushFile(file: string): Promise<void> {
  try {
    const handle = await open(file, "r");
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch {
    // No WAL file (yet, or the store closed and removed it): the checkpoint syncs what there is.
  }
}

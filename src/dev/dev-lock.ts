/**
 * One `sluice dev` per app. Two would share the state file, race on its queues and take turns
 * owning `.sluice/dev.json`, so the second one refuses to start and names the first. A lock whose
 * holder no longer runs (killed, crashed) is taken over, also when its pid has since been given to
 * another process: the lock records its holder's start (process-start.ts) where the system tells it.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SluiceError } from "../model/errors.ts";
import { readDevState } from "./dev-state-file.ts";
import { processStart } from "./process-start.ts";

const FILE = "dev.lock";
/** A dead holder's lock is replaced; more attempts than that mean another dev is starting too. */
const ATTEMPTS = 3;

export interface DevLock {
  /** Removes the lock if this process still holds it. */
  release(): void;
}

/** Takes `.sluice/dev.lock` for this process, or throws SLUICE_DEV_RUNNING naming the holder. */
export function acquireDevLock(stateDir: string, pid: number = process.pid): DevLock {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const lock = join(stateDir, FILE);
  const start = processStart(pid);
  const content = `${JSON.stringify({
    pid,
    startedAt: new Date().toISOString(),
    ...(start === undefined ? {} : { processStart: start }),
  })}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // Written whole under a private name, then linked: the lock never exists half-written, and
    // link(2) fails with EEXIST when another process holds it, atomically.
    const temp = join(stateDir, `.${FILE}.${pid}.tmp`);
    writeFileSync(temp, content, { mode: 0o600 });
    try {
      linkSync(temp, lock);
      return { release: () => releaseLock(lock, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    const holder = readHolder(lock);
    if (holder !== undefined && isRunning(holder)) throw alreadyRunning(stateDir, holder.pid);
    // The holder is gone: remove its lock, unless another dev replaced it meanwhile.
    if (readHolder(lock)?.raw === holder?.raw) rmSync(lock, { force: true });
  }
  const holder = readHolder(lock);
  throw alreadyRunning(stateDir, holder?.pid ?? 0);
}

/**
 * The pid of the `sluice dev` that holds this app's lock and still runs, or undefined. Such a dev
 * holds the state file alone (SQLite's exclusive locking): other commands must go through it.
 */
export function runningDevPid(stateDir: string): number | undefined {
  const holder = readHolder(join(stateDir, FILE));
  return holder !== undefined && isRunning(holder) ? holder.pid : undefined;
}

interface Holder {
  readonly pid: number;
  /** The holder's processStart, when the system could tell it. */
  readonly start: string | undefined;
  /** The lock file as read, to tell whether another dev replaced it meanwhile. */
  readonly raw: string;
}

function releaseLock(lock: string, pid: number): void {
  if (readHolder(lock)?.pid === pid) rmSync(lock, { force: true });
}

function readHolder(lock: string): Holder | undefined {
  try {
    const raw = readFileSync(lock, "utf8");
    const { pid, processStart: start } = JSON.parse(raw) as { pid?: unknown; processStart?: unknown };
    if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, start: typeof start === "string" ? start : undefined, raw };
  } catch {
    return undefined;
  }
}

/**
 * The process the lock names still runs: its pid is alive and, where both starts are known, it
 * is the same process (a different start means the pid was reused after the holder ended).
 */
function isRunning(holder: Holder): boolean {
  if (!isAlive(holder.pid)) return false;
  if (holder.start === undefined) return true;
  const now = processStart(holder.pid);
  return now === undefined || now === holder.start;
}

/** Signal 0 checks the process exists; EPERM means it does, under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function alreadyRunning(stateDir: string, pid: number): SluiceError {
  const state = readDevState(stateDir);
  const url = state?.pid === pid ? state.url : undefined;
  return new SluiceError(
    "SLUICE_DEV_RUNNING",
    `sluice dev is already running for this app (pid ${pid}${url ? `, endpoint ${url}` : ", still starting"}). ` +
      `One dev per app: stop it (Ctrl-C in its terminal, or \`kill ${pid}\`) before starting another; ` +
      "meanwhile commands such as `sluice invoke` and `sluice send` use the running one.",
    { context: { pid, ...(url ? { url } : {}), lock: join(stateDir, FILE) } },
  );
}

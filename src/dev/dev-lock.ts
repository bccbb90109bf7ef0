/**
 * One `sluice dev` per app. Two would share the state file, race on its queues and take turns
 * owning `.sluice/dev.json`, so the second one refuses to start and names the first. A lock whose
 * holder no longer runs (killed, crashed) is taken over.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SluiceError } from "../model/errors.ts";
import { readDevState } from "./dev-state-file.ts";

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
  const content = `${JSON.stringify({ pid, startedAt: new Date().toISOString() })}\n`;
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
    if (holder !== undefined && isAlive(holder)) throw alreadyRunning(stateDir, holder);
    // The holder is gone: remove its lock, unless another dev replaced it meanwhile.
    if (readHolder(lock) === holder) rmSync(lock, { force: true });
  }
  const holder = readHolder(lock);
  throw alreadyRunning(stateDir, holder ?? 0);
}

function releaseLock(lock: string, pid: number): void {
  if (readHolder(lock) === pid) rmSync(lock, { force: true });
}

function readHolder(lock: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(lock, "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
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

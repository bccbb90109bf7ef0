/**
 * The server's structured log: one ServeLogEntry per event, stamped with the serve clock's time.
 * Callers never pass request headers, bodies or credentials; a request is logged by method, path
 * (no query string: it may carry tokens), status and milliseconds.
 */
import type { Clock } from "../local/clock/index.ts";
import type { ServeLogEntry } from "./serve-contract.ts";

export type ServeLog = (entry: Omit<ServeLogEntry, "time">) => void;

export function serveLog(clock: Clock, sink: ((entry: ServeLogEntry) => void) | undefined): ServeLog {
  if (sink === undefined) return () => {};
  // Omit<> of a type with an index signature keeps only the signature: level and event are the caller's.
  return (entry) => sink({ time: new Date(clock.now()).toISOString(), ...entry } as ServeLogEntry);
}

/** `GET /items/1?token=…` → method `GET`, path `/items/1`. */
export function requestLine(request: string): { method: string; path: string } {
  const space = request.indexOf(" ");
  const target = space < 0 ? request : request.slice(space + 1);
  const query = target.indexOf("?");
  return {
    method: space < 0 ? "" : request.slice(0, space),
    path: query < 0 ? target : target.slice(0, query),
  };
}

/** An error as a log message: its message alone (stacks go to debug output, not the log). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Inside an execution environment: console output formatted as Lambda's Node.js runtime formats
 * it (`<ISO time>\t<request id>\t<LEVEL>\t<message>`), and raw stdout/stderr writes passed on as
 * they are. Lines go to the host at once, so a timeout or crash loses nothing already logged.
 */
import { format } from "node:util";

export interface LogClock {
  /** The current invocation's request id; `undefined` during init, as Lambda logs it. */
  requestId: string | undefined;
  /** Host clock minus this thread's wall clock. */
  offsetMs: number;
}

export type LogSink = (text: string, timestamp: number) => void;

const LEVELS = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  log: "INFO",
  warn: "WARN",
  error: "ERROR",
} as const;

export function patchConsole(clock: LogClock, sink: LogSink): void {
  const target = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [method, level] of Object.entries(LEVELS)) {
    target[method] = (...args: unknown[]) => {
      const timestamp = Date.now() + clock.offsetMs;
      sink(
        `${new Date(timestamp).toISOString()}\t${clock.requestId}\t${level}\t${format(...args)}`,
        timestamp,
      );
    };
  }
}

/** Direct writes to stdout/stderr reach the log unformatted, one line per entry, as on Lambda. */
export function patchStdio(clock: LogClock, sink: LogSink): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
      const timestamp = Date.now() + clock.offsetMs;
      for (const line of text.replace(/\n$/, "").split("\n")) sink(line, timestamp);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") queueMicrotask(() => done());
      return true;
    }) as typeof stream.write;
  }
}

/** Logs as the runtime does, for its own messages ("Invoke Error", "Uncaught Exception"). */
export function logError(clock: LogClock, sink: LogSink, message: string, formatted: string): void {
  const timestamp = Date.now() + clock.offsetMs;
  sink(
    `${new Date(timestamp).toISOString()}\t${clock.requestId}\tERROR\t${format(message, formatted)}`,
    timestamp,
  );
}

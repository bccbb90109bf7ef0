/**
 * What the trace store (main thread) and its writer thread (trace-writer.ts) say to each other.
 * Rows go one way in batches; the writer answers through shared memory, so a read on the main
 * thread can wait for the batches before it without a turn of the event loop.
 */
import type { MessagePort } from "node:worker_threads";
import type { TraceRows } from "./trace-writes.ts";

/** The writer's `workerData`. */
export interface TraceWriterInit {
  /** The traces file; the store has created and migrated its tables before the writer starts. */
  readonly file: string;
  /** Int32 slots: WRITTEN_SLOT holds the number of the last batch the writer finished with. */
  readonly progress: SharedArrayBuffer;
  /** Where the writer says what it could not write (read with `receiveMessageOnPort`). */
  readonly failures: MessagePort;
}

export interface TraceWriteBatch {
  /** Increasing from 1; the writer stores it in WRITTEN_SLOT once the batch is written or failed. */
  readonly batch: number;
  /** HOP_COLUMNS values per hop (trace-writes.ts). */
  readonly hops: TraceRows;
  /** LOG_COLUMNS values per log line. */
  readonly logs: TraceRows;
}

export type TraceWriterMessage = TraceWriteBatch | { readonly close: true };

/** A batch the writer could not write, with how many rows it held. */
export interface TraceWriteFailure {
  readonly rows: number;
  readonly error: string;
}

export const WRITTEN_SLOT = 0;

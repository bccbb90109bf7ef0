/**
 * The trace store's writer, a worker thread of its own (built as dist/local/traces/trace-writer.js).
 * Writing a hop, its trace's summary, its resources and its invocation's log lines costs more
 * CPU than a warm invoke itself (bench/traces.ts); on the main thread it halved what `sluice dev`
 * serves. Here it runs beside the services, on its own connection to the traces file, in one
 * transaction per batch, and prunes the oldest traces past TRACE_MAX_HOPS.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type Db, openStore } from "../store/index.ts";
import { TRACE_MAX_HOPS, TRACE_PRUNE_BATCH_HOPS } from "./trace-limits.ts";
import {
  type TraceWriteFailure,
  type TraceWriterInit,
  type TraceWriterMessage,
  WRITTEN_SLOT,
} from "./trace-writer-protocol.ts";
import { HOP_COLUMNS, LOG_COLUMNS, TraceWrites } from "./trace-writes.ts";

if (!parentPort) throw new Error("trace-writer.js runs only as the trace store's worker thread");
const port = parentPort;
const init = workerData as TraceWriterInit;
const progress = new Int32Array(init.progress);
// A file the writer cannot open (removed, its tables dropped) fails each batch, not the thread:
// a reader waiting for a batch is told it failed instead of waiting for a thread that is gone.
let db: Db | undefined;
let writes: TraceWrites | undefined;
let unwritable = "";
let hops = 0;
try {
  db = openStore(init.file);
  // Traces are diagnostics, not acknowledged data: no fsync per checkpoint (it halved the writer's
  // wall time). WAL keeps the file whole when the process dies; after a crash of the machine a
  // file SQLite finds damaged is set aside and begun anew at the next start (trace-store.ts).
  db.pragma("synchronous = OFF");
  writes = new TraceWrites(db);
  hops = (db.prepare("SELECT COUNT(*) AS n FROM trace_hops").get() as { n: number }).n;
} catch (error) {
  unwritable = messageOf(error);
}

port.on("message", (message: TraceWriterMessage) => {
  if ("close" in message) {
    db?.close();
    init.failures.close();
    port.close();
    return;
  }
  try {
    if (writes === undefined) throw new Error(unwritable);
    writes.write(message.hops, message.logs);
    hops += message.hops.length / HOP_COLUMNS;
    if (hops > TRACE_MAX_HOPS) hops -= writes.pruneOldest(hops - (TRACE_MAX_HOPS - TRACE_PRUNE_BATCH_HOPS));
  } catch (error) {
    const failure: TraceWriteFailure = {
      rows: message.hops.length / HOP_COLUMNS + message.logs.length / LOG_COLUMNS,
      error: messageOf(error),
    };
    init.failures.postMessage(failure);
  }
  // Told after the failure is posted: a reader that sees the batch done also finds its failure.
  Atomics.store(progress, WRITTEN_SLOT, message.batch);
  Atomics.notify(progress, WRITTEN_SLOT);
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sluice's own caps on what the trace store keeps (not AWS numbers: X-Ray keeps traces 30 days and
 * does not record payloads at all). They bound the app's SQLite file and keep listing fast.
 */

/** A hop's payload is stored up to this many bytes of UTF-8; a longer one is cut and marked `truncated`. */
export const TRACE_PAYLOAD_MAX_BYTES = 256 * 1024;

/**
 * A hop's detail (why it failed: a function's `errorType: errorMessage`, which Lambda does not cap
 * below its 6 MB response) is stored up to this many bytes of UTF-8.
 */
export const TRACE_DETAIL_MAX_BYTES = 4 * 1024;

/** Hops kept at most; beyond it the oldest traces are deleted whole. */
export const TRACE_MAX_HOPS = 100_000;

/**
 * How far below TRACE_MAX_HOPS a prune goes, so pruning runs once per this many hops recorded,
 * not on every insert.
 */
export const TRACE_PRUNE_BATCH_HOPS = 5_000;

/** Log lines kept per Lambda request id (the last one kept says the rest were dropped). */
export const TRACE_LOG_LINES_PER_REQUEST = 200;

/** Bytes of log text (UTF-8) kept per Lambda request id. */
export const TRACE_LOG_BYTES_PER_REQUEST = 64 * 1024;

/** `list` answers this many traces unless asked for another number, and never more than the max. */
export const TRACE_LIST_DEFAULT_LIMIT = 50;
export const TRACE_LIST_MAX_LIMIT = 1000;

/**
 * Recorded hops and log lines wait in memory at most this long (real time) before they are
 * written in one transaction; a read (list, timeline, hop, latestSeq) or close writes them first.
 * One commit per hop would cost more than a warm invoke does (bench/traces.ts).
 */
export const TRACE_FLUSH_DELAY_MS = 20;

/** …or until this many rows wait, whichever comes first. */
export const TRACE_FLUSH_MAX_ROWS = 2_000;

/**
 * A read waits this long (real time) at most for the writer thread to write what was recorded
 * before it; a writer that takes longer is reported once and not waited for again.
 */
export const TRACE_WRITE_WAIT_MS = 30_000;

/**
 * The trace store's writes, each a prepared statement run inside one transaction per flush: a hop,
 * its trace's summary row (upserted: the first hop names the trace, any failed hop fails it), the
 * resources it touched, and log lines. Pruning deletes whole traces, oldest first.
 */
import type { Db } from "../store/index.ts";

/**
 * A batch's rows, flat: HOP_COLUMNS values per hop in `trace_hops`' column order plus `failed`,
 * LOG_COLUMNS per log line in `trace_logs`' order. Handing a batch to the writer thread clones
 * each value; objects per row cost about twice as much to clone (bench/traces.ts).
 */
export type TraceRows = (string | number | null)[];

/** Where each of a hop's values sits within its HOP_COLUMNS. */
export const HOP = {
  seq: 0,
  traceId: 1,
  hopId: 2,
  parentId: 3,
  kind: 4,
  source: 5,
  target: 6,
  startMs: 7,
  durationMs: 8,
  outcome: 9,
  attempt: 10,
  /** Cut to TRACE_PAYLOAD_MAX_BYTES. */
  payload: 11,
  /** 1 when the payload was cut. */
  truncated: 12,
  detail: 13,
  requestId: 14,
  /** The key its request id's log lines are stored under, when it is an invocation. */
  logKey: 15,
  /** 1 when the hop fails its trace (not stored in the hop's row). */
  failed: 16,
} as const;
export const HOP_COLUMNS = 17;
/** The values `trace_hops` stores, the first of a hop's columns. */
const HOP_ROW_COLUMNS = 16;

/** A log line's values: log_key, line (from 1 within its request id), request_id, function, ts, text. */
export const LOG_COLUMNS = 6;

export class TraceWrites {
  private readonly insertHop;
  private readonly upsertSummary;
  private readonly insertResource;
  private readonly insertLog;
  private readonly oldest;
  private readonly deleteLogs;
  private readonly deleteHops;
  private readonly deleteSummary;
  private readonly deleteResources;
  private readonly resourcesOf;
  private readonly writeBatch: (hops: TraceRows, logs: TraceRows) => void;
  private readonly pruneBatch: (traceIds: readonly string[]) => void;

  constructor(db: Db) {
    this.insertHop = db.prepare(
      `INSERT INTO trace_hops (seq, trace_id, hop_id, parent_id, kind, source, target, start_ms, duration_ms,
         outcome, attempt, payload, truncated, detail, request_id, log_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Every expression reads the row as it was before this update (SQL's UPDATE semantics). A hop
    // starting in the same millisecond as the first and ending where it begins (an API request,
    // recorded once its invocation answered) came before it: it names the trace.
    this.upsertSummary = db.prepare(
      `INSERT INTO trace_summaries (trace_id, first_seq, last_seq, start_ms, end_ms, source, target, hops, failed)
       VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (trace_id) DO UPDATE SET
         last_seq = excluded.last_seq,
         source = CASE WHEN excluded.start_ms < start_ms OR (excluded.start_ms = start_ms AND excluded.target = source) THEN excluded.source ELSE source END,
         target = CASE WHEN excluded.start_ms < start_ms OR (excluded.start_ms = start_ms AND excluded.target = source) THEN excluded.target ELSE target END,
         start_ms = MIN(start_ms, excluded.start_ms),
         end_ms = MAX(end_ms, excluded.end_ms),
         hops = hops + 1,
         failed = MAX(failed, excluded.failed)`,
    );
    this.insertResource = db.prepare(
      "INSERT OR IGNORE INTO trace_resources (name, resource, trace_id) VALUES (?, ?, ?)",
    );
    this.insertLog = db.prepare(
      "INSERT OR REPLACE INTO trace_logs (log_key, line, request_id, function, ts, text) VALUES (?, ?, ?, ?, ?, ?)",
    );
    // Oldest first by their first hop: the seq order of trace_hops is its rowid's, free to read.
    this.oldest = db.prepare(
      "SELECT h.trace_id AS trace_id, s.hops AS hops FROM trace_hops h JOIN trace_summaries s ON s.trace_id = h.trace_id AND s.first_seq = h.seq ORDER BY h.seq",
    );
    // An invocation in two traces (an SQS batch's, linked) loses its lines with the older.
    this.deleteLogs = db.prepare(
      "DELETE FROM trace_logs WHERE log_key IN (SELECT log_key FROM trace_hops WHERE trace_id = ? AND log_key IS NOT NULL)",
    );
    this.resourcesOf = db.prepare(
      "SELECT source AS resource FROM trace_hops WHERE trace_id = ? UNION SELECT target FROM trace_hops WHERE trace_id = ?",
    );
    this.deleteHops = db.prepare("DELETE FROM trace_hops WHERE trace_id = ?");
    this.deleteSummary = db.prepare("DELETE FROM trace_summaries WHERE trace_id = ?");
    this.deleteResources = db.prepare(
      "DELETE FROM trace_resources WHERE name = ? AND resource = ? AND trace_id = ?",
    );
    this.writeBatch = db.transaction((hops: TraceRows, logs: TraceRows) => {
      for (let i = 0; i < hops.length; i += HOP_COLUMNS) this.writeHop(hops, i);
      for (let i = 0; i < logs.length; i += LOG_COLUMNS) this.insertLog.run(logs.slice(i, i + LOG_COLUMNS));
    });
    this.pruneBatch = db.transaction((traceIds: readonly string[]) => {
      for (const id of traceIds) {
        this.deleteLogs.run(id);
        for (const { resource } of this.resourcesOf.all(id, id) as { resource: string }[]) {
          this.deleteResources.run(nameOf(resource), resource, id);
        }
        this.deleteHops.run(id);
        this.deleteSummary.run(id);
      }
    });
  }

  /** Writes hops and log lines in one transaction. */
  write(hops: TraceRows, logs: TraceRows): void {
    this.writeBatch(hops, logs);
  }

  /** Deletes the oldest traces (by their first hop) until at least `hops` hops are gone; how many went. */
  pruneOldest(hops: number): number {
    const ids: string[] = [];
    let removed = 0;
    for (const row of this.oldest.iterate() as Iterable<{ trace_id: string; hops: number }>) {
      if (removed >= hops) break;
      ids.push(row.trace_id);
      removed += row.hops;
    }
    this.pruneBatch(ids);
    return removed;
  }

  private writeHop(rows: TraceRows, at: number): void {
    this.insertHop.run(rows.slice(at, at + HOP_ROW_COLUMNS));
    const traceId = rows[at + HOP.traceId] as string;
    const seq = rows[at + HOP.seq] as number;
    const startMs = rows[at + HOP.startMs] as number;
    const source = rows[at + HOP.source] as string;
    const target = rows[at + HOP.target] as string;
    this.upsertSummary.run(
      traceId,
      seq,
      seq,
      startMs,
      startMs + (rows[at + HOP.durationMs] as number),
      source,
      target,
      rows[at + HOP.failed],
    );
    this.insertResource.run(nameOf(source), source, traceId);
    if (target !== source) this.insertResource.run(nameOf(target), target, traceId);
  }
}

/** `queue:pages` → `pages`; `rule:orders.audit` → `orders.audit`; `client` → `client`. */
export function nameOf(resource: string): string {
  const colon = resource.indexOf(":");
  return colon < 0 ? resource : resource.slice(colon + 1);
}

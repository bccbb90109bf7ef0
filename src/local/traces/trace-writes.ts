/**
 * The trace store's writes, each a prepared statement run inside one transaction per flush: a hop,
 * its trace's summary row (upserted: the first hop names the trace, any failed hop fails it), the
 * resources it touched, and log lines. Pruning deletes whole traces, oldest first.
 */
import type { Db } from "../store/index.ts";

/** A hop as the store writes it (the tracer has cut the payload and found its ids). */
export interface HopWrite {
  readonly traceId: string;
  readonly hopId: string;
  readonly parentId: string | null;
  readonly kind: string;
  readonly source: string;
  readonly target: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly outcome: string;
  readonly attempt: number;
  readonly payload: string;
  readonly truncated: boolean;
  readonly detail: string | null;
  readonly requestId: string | null;
  /** The key its request id's log lines are stored under, when it logged. */
  readonly logKey: number | null;
  readonly failed: boolean;
}

/** A log line as the store writes it. */
export interface LogWrite {
  readonly logKey: number;
  readonly requestId: string;
  /** Its number within its request id's lines, from 1. */
  readonly line: number;
  readonly functionName: string;
  readonly timestamp: number;
  readonly text: string;
}

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
  private readonly writeBatch: (hops: readonly HopWrite[], logs: readonly LogWrite[]) => number[];
  private readonly pruneBatch: (traceIds: readonly string[]) => void;

  constructor(db: Db) {
    this.insertHop = db.prepare(
      `INSERT INTO trace_hops (trace_id, hop_id, parent_id, kind, source, target, start_ms, duration_ms,
         outcome, attempt, payload, truncated, detail, request_id, log_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    this.writeBatch = db.transaction((hops: readonly HopWrite[], logs: readonly LogWrite[]) => {
      const seqs: number[] = [];
      for (const hop of hops) seqs.push(this.writeHop(hop));
      for (const log of logs) {
        this.insertLog.run(log.logKey, log.line, log.requestId, log.functionName, log.timestamp, log.text);
      }
      return seqs;
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

  /** Writes hops and log lines in one transaction; the hops' seqs, in order. */
  write(hops: readonly HopWrite[], logs: readonly LogWrite[]): number[] {
    return this.writeBatch(hops, logs);
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

  private writeHop(hop: HopWrite): number {
    const seq = Number(
      this.insertHop.run(
        hop.traceId,
        hop.hopId,
        hop.parentId,
        hop.kind,
        hop.source,
        hop.target,
        hop.startMs,
        hop.durationMs,
        hop.outcome,
        hop.attempt,
        hop.payload,
        hop.truncated ? 1 : 0,
        hop.detail,
        hop.requestId,
        hop.logKey,
      ).lastInsertRowid,
    );
    this.upsertSummary.run(
      hop.traceId,
      seq,
      seq,
      hop.startMs,
      hop.startMs + hop.durationMs,
      hop.source,
      hop.target,
      hop.failed ? 1 : 0,
    );
    this.insertResource.run(nameOf(hop.source), hop.source, hop.traceId);
    if (hop.target !== hop.source) this.insertResource.run(nameOf(hop.target), hop.target, hop.traceId);
    return seq;
  }
}

/** `queue:pages` → `pages`; `rule:orders.audit` → `orders.audit`; `client` → `client`. */
export function nameOf(resource: string): string {
  const colon = resource.indexOf(":");
  return colon < 0 ? resource : resource.slice(colon + 1);
}

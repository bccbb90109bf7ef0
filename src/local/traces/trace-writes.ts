/**
 * The trace store's writes, on the writer thread, one transaction per batch: the hops, one summary
 * row per trace the batch touched (its hops folded in here, then written once: the first hop names
 * the trace, any failed hop fails it, the resources are gathered), and log lines, one row per
 * request id per batch. Pruning deletes whole traces, oldest first.
 */
import type { Db } from "../store/index.ts";
import type { TraceSummaryRow } from "./trace-schema.ts";

/**
 * A batch's rows, flat: HOP_COLUMNS values per hop in `trace_hops`' column order plus `failed`,
 * LOG_COLUMNS per log line. Handing a batch to the writer thread clones each value; objects per
 * row cost about twice as much to clone (bench/traces.ts).
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
  /** Cut to TRACE_PAYLOAD_MAX_BYTES; null when `payloadSeq` holds the same text. */
  payload: 11,
  /** The seq of the hop of the same trace and batch whose payload this one is, or null. */
  payloadSeq: 12,
  /** 1 when the payload was cut. */
  truncated: 13,
  detail: 14,
  requestId: 15,
  /** The key its request id's log lines are stored under, when it is an invocation. */
  logKey: 16,
  /** 1 when the hop fails its trace (not stored in the hop's row). */
  failed: 17,
} as const;
export const HOP_COLUMNS = 18;
/** The values `trace_hops` stores, the first of a hop's columns. */
const HOP_ROW_COLUMNS = 17;

/** A log line's values: log_key, line (from 1 within its request id), request_id, function, ts, text. */
export const LOG_COLUMNS = 6;

/** A trace's summary row while a batch is folded into it. */
interface Summary {
  readonly firstSeq: number;
  lastSeq: number;
  startMs: number;
  endMs: number;
  source: string;
  target: string;
  hops: number;
  failed: number;
  readonly resources: string[];
}

/** One `trace_logs` row: a request id's lines in one batch. */
interface LogRow {
  readonly key: number;
  readonly line: number;
  readonly requestId: string;
  readonly functionName: string;
  readonly lines: [number, string][];
}

export class TraceWrites {
  private readonly insertHop;
  private readonly summaryOf;
  private readonly writeSummary;
  private readonly insertLog;
  private readonly oldest;
  private readonly deleteLogs;
  private readonly deleteHops;
  private readonly deleteSummary;
  private readonly writeBatch: (hops: TraceRows, logs: TraceRows) => void;
  private readonly pruneBatch: (traceIds: readonly string[]) => void;

  constructor(db: Db) {
    this.insertHop = db.prepare(
      `INSERT INTO trace_hops (seq, trace_id, hop_id, parent_id, kind, source, target, start_ms, duration_ms,
         outcome, attempt, payload, payload_seq, truncated, detail, request_id, log_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.summaryOf = db.prepare(
      "SELECT first_seq, last_seq, start_ms, end_ms, source, target, hops, failed, resources FROM trace_summaries WHERE trace_id = ?",
    );
    // The values are the fold's (every hop of the batch applied): they replace the row's, but for
    // the first seq, which stays the first hop's.
    this.writeSummary = db.prepare(
      `INSERT INTO trace_summaries (trace_id, first_seq, last_seq, start_ms, end_ms, source, target, hops, failed, resources)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (trace_id) DO UPDATE SET last_seq = excluded.last_seq, start_ms = excluded.start_ms,
         end_ms = excluded.end_ms, source = excluded.source, target = excluded.target, hops = excluded.hops,
         failed = excluded.failed, resources = excluded.resources`,
    );
    this.insertLog = db.prepare(
      "INSERT OR REPLACE INTO trace_logs (log_key, line, request_id, function, lines) VALUES (?, ?, ?, ?, ?)",
    );
    // Oldest first by their first hop: the seq order of trace_hops is its rowid's, free to read.
    this.oldest = db.prepare(
      "SELECT h.trace_id AS trace_id, s.hops AS hops FROM trace_hops h JOIN trace_summaries s ON s.trace_id = h.trace_id AND s.first_seq = h.seq ORDER BY h.seq",
    );
    // Each takes the doomed trace ids as one JSON array: three statements per prune, not per trace.
    // An invocation in two traces (an SQS batch's, linked) loses its lines with the older.
    this.deleteLogs = db.prepare(
      "DELETE FROM trace_logs WHERE log_key IN (SELECT log_key FROM trace_hops WHERE trace_id IN (SELECT value FROM json_each(?)) AND log_key IS NOT NULL)",
    );
    this.deleteHops = db.prepare("DELETE FROM trace_hops WHERE trace_id IN (SELECT value FROM json_each(?))");
    this.deleteSummary = db.prepare(
      "DELETE FROM trace_summaries WHERE trace_id IN (SELECT value FROM json_each(?))",
    );
    this.writeBatch = db.transaction((hops: TraceRows, logs: TraceRows) => {
      const summaries = new Map<string, Summary>();
      for (let i = 0; i < hops.length; i += HOP_COLUMNS) {
        this.insertHop.run(hops.slice(i, i + HOP_ROW_COLUMNS));
        this.fold(summaries, hops, i);
      }
      for (const [traceId, s] of summaries) {
        const resources = JSON.stringify(s.resources);
        this.writeSummary.run(
          traceId,
          s.firstSeq,
          s.lastSeq,
          s.startMs,
          s.endMs,
          s.source,
          s.target,
          s.hops,
          s.failed,
          resources,
        );
      }
      for (const row of logRows(logs)) {
        this.insertLog.run(row.key, row.line, row.requestId, row.functionName, JSON.stringify(row.lines));
      }
    });
    this.pruneBatch = db.transaction((traceIds: readonly string[]) => {
      const ids = JSON.stringify(traceIds);
      this.deleteLogs.run(ids);
      this.deleteHops.run(ids);
      this.deleteSummary.run(ids);
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

  /**
   * Folds the hop at `at` into its trace's summary, as the hops would have been applied one at a
   * time. A hop starting before the trace (or in the same millisecond, ending where the trace
   * begins: an API request, recorded once its invocation answered) names the trace.
   */
  private fold(summaries: Map<string, Summary>, rows: TraceRows, at: number): void {
    const traceId = rows[at + HOP.traceId] as string;
    const seq = rows[at + HOP.seq] as number;
    const startMs = rows[at + HOP.startMs] as number;
    const endMs = startMs + (rows[at + HOP.durationMs] as number);
    const source = rows[at + HOP.source] as string;
    const target = rows[at + HOP.target] as string;
    const failed = rows[at + HOP.failed] as number;
    let s = summaries.get(traceId) ?? this.stored(traceId);
    if (s === undefined) {
      s = {
        firstSeq: seq,
        lastSeq: seq,
        startMs,
        endMs,
        source,
        target,
        hops: 1,
        failed,
        resources: [],
      };
    } else {
      if (startMs < s.startMs || (startMs === s.startMs && target === s.source)) {
        s.source = source;
        s.target = target;
      }
      s.lastSeq = seq;
      s.startMs = Math.min(s.startMs, startMs);
      s.endMs = Math.max(s.endMs, endMs);
      s.hops += 1;
      s.failed = Math.max(s.failed, failed);
    }
    summaries.set(traceId, s);
    if (!s.resources.includes(source)) s.resources.push(source);
    if (!s.resources.includes(target)) s.resources.push(target);
  }

  private stored(traceId: string): Summary | undefined {
    const row = this.summaryOf.get(traceId) as Omit<TraceSummaryRow, "trace_id"> | undefined;
    if (row === undefined) return undefined;
    return {
      firstSeq: row.first_seq,
      lastSeq: row.last_seq,
      startMs: row.start_ms,
      endMs: row.end_ms,
      source: row.source,
      target: row.target,
      hops: row.hops,
      failed: row.failed,
      resources: JSON.parse(row.resources) as string[],
    };
  }
}

/** A batch's log lines as rows: one per request id, its lines in order (they come numbered in order). */
function logRows(logs: TraceRows): Iterable<LogRow> {
  const rows = new Map<number, LogRow>();
  for (let i = 0; i < logs.length; i += LOG_COLUMNS) {
    const key = logs[i] as number;
    const line: [number, string] = [logs[i + 4] as number, logs[i + 5] as string];
    const row = rows.get(key);
    if (row !== undefined) {
      row.lines.push(line);
      continue;
    }
    rows.set(key, {
      key,
      line: logs[i + 1] as number,
      requestId: logs[i + 2] as string,
      functionName: logs[i + 3] as string,
      lines: [line],
    });
  }
  return rows.values();
}

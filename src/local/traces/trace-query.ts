/**
 * The trace store's reads: the newest traces (filtered by outcome, resource, time and seq), one
 * trace's hops and log lines, one hop. Listing reads `trace_summaries` through its indexes, so it
 * costs the same with 10,000 traces recorded as with 10 (bench/traces.ts).
 */
import type { Statement } from "better-sqlite3";
import type { Mutable } from "../../model/mutable.ts";
import type { Db } from "../store/index.ts";
import { TRACE_LIST_DEFAULT_LIMIT, TRACE_LIST_MAX_LIMIT } from "./trace-limits.ts";
import { nameOf } from "./trace-writes.ts";
import type {
  HopKind,
  HopOutcome,
  TraceHop,
  TraceLogLine,
  TraceQuery,
  TraceSummary,
  TraceTimeline,
} from "./types.ts";

interface HopRow {
  readonly seq: number;
  readonly trace_id: string;
  readonly hop_id: string;
  readonly parent_id: string | null;
  readonly kind: string;
  readonly source: string;
  readonly target: string;
  readonly start_ms: number;
  readonly duration_ms: number;
  readonly outcome: string;
  readonly attempt: number;
  readonly payload: string;
  readonly truncated: number;
  readonly detail: string | null;
  readonly request_id: string | null;
  readonly log_key: number | null;
}

interface SummaryRow {
  readonly trace_id: string;
  readonly last_seq: number;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly source: string;
  readonly target: string;
  readonly hops: number;
  readonly failed: number;
}

const SUMMARY_COLUMNS = "trace_id, last_seq, start_ms, end_ms, source, target, hops, failed";

export class TraceQueries {
  private readonly hopsOf;
  private readonly oneHop;
  private readonly logsOf;
  private readonly resourcesOf;
  /** List statements by the filters they use (at most 2^5 shapes, prepared once each). */
  private readonly lists = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {
    this.hopsOf = db.prepare("SELECT * FROM trace_hops WHERE trace_id = ? ORDER BY start_ms, seq");
    this.oneHop = db.prepare(
      "SELECT * FROM trace_hops WHERE trace_id = ? AND hop_id = ? ORDER BY seq LIMIT 1",
    );
    this.logsOf = db.prepare("SELECT ts, text FROM trace_logs WHERE log_key = ? ORDER BY line");
    // A trace has a few hops: its resources are read from them, not kept twice.
    this.resourcesOf = db.prepare(
      "SELECT source AS resource FROM trace_hops WHERE trace_id = ? UNION SELECT target FROM trace_hops WHERE trace_id = ? ORDER BY 1",
    );
  }

  list(query: TraceQuery): TraceSummary[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    let shape = "";
    if (query.failed === true) {
      where.push("failed = 1");
      shape += "f";
    }
    if (query.resource !== undefined && query.resource !== "") {
      // `kind:name` names one resource; a bare name any resource of that name, whatever its kind.
      const exact = query.resource.includes(":");
      where.push(
        exact
          ? "trace_id IN (SELECT trace_id FROM trace_resources WHERE name = ? AND resource = ?)"
          : "trace_id IN (SELECT trace_id FROM trace_resources WHERE name = ?)",
      );
      params.push(nameOf(query.resource));
      if (exact) params.push(query.resource);
      shape += exact ? "r" : "n";
    }
    if (query.sinceMs !== undefined) {
      where.push("start_ms >= ?");
      params.push(query.sinceMs);
      shape += "s";
    }
    if (query.untilMs !== undefined) {
      where.push("start_ms < ?");
      params.push(query.untilMs);
      shape += "u";
    }
    if (query.afterSeq !== undefined) {
      // The hops newer than a seq are the end of trace_hops' rowid order.
      where.push("trace_id IN (SELECT trace_id FROM trace_hops WHERE seq > ?)");
      params.push(query.afterSeq);
      shape += "a";
    }
    params.push(listLimit(query.limit));
    let statement = this.lists.get(shape);
    if (statement === undefined) {
      statement = this.db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM trace_summaries ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY start_ms DESC, first_seq DESC LIMIT ?`,
      );
      this.lists.set(shape, statement);
    }
    return (statement.all(...params) as SummaryRow[]).map((row) => this.summary(row));
  }

  timeline(traceId: string): TraceTimeline | undefined {
    const rows = this.hopsOf.all(traceId) as HopRow[];
    if (rows.length === 0) return undefined;
    const hops = rows.map(hopOf);
    // A plain object (callers compare and serialise it), its keys defined so no id is a setter.
    const logs: Record<string, readonly TraceLogLine[]> = {};
    const byRequest = new Map<string, TraceLogLine[]>();
    const seen = new Set<number>();
    // Attempts of one request id (async retries) share a key, or have one each after a restart.
    for (const row of [...rows].sort((a, b) => (a.log_key ?? 0) - (b.log_key ?? 0))) {
      if (row.log_key === null || row.request_id === null || seen.has(row.log_key)) continue;
      seen.add(row.log_key);
      const lines = this.logsOf.all(row.log_key) as { ts: number; text: string }[];
      let value = byRequest.get(row.request_id);
      if (value === undefined) {
        value = [];
        byRequest.set(row.request_id, value);
        Object.defineProperty(logs, row.request_id, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      for (const line of lines) value.push({ timestamp: line.ts, text: line.text });
    }
    return { traceId, hops, logs };
  }

  hop(traceId: string, hopId: string): TraceHop | undefined {
    const row = this.oneHop.get(traceId, hopId) as HopRow | undefined;
    return row && hopOf(row);
  }

  private summary(row: SummaryRow): TraceSummary {
    return {
      traceId: row.trace_id,
      source: row.source,
      target: row.target,
      startMs: row.start_ms,
      durationMs: row.end_ms - row.start_ms,
      hops: row.hops,
      outcome: row.failed ? "error" : "success",
      resources: (this.resourcesOf.all(row.trace_id, row.trace_id) as { resource: string }[]).map(
        (r) => r.resource,
      ),
      lastSeq: row.last_seq,
    };
  }
}

/** TraceQuery.limit as a whole number from 1 to TRACE_LIST_MAX_LIMIT. */
function listLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return TRACE_LIST_DEFAULT_LIMIT;
  return Math.min(TRACE_LIST_MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

export function hopOf(row: HopRow): TraceHop {
  const hop: Mutable<TraceHop> = {
    seq: row.seq,
    traceId: row.trace_id,
    hopId: row.hop_id,
    kind: row.kind as HopKind,
    source: row.source,
    target: row.target,
    startMs: row.start_ms,
    durationMs: row.duration_ms,
    outcome: row.outcome as HopOutcome,
    attempt: row.attempt,
    payload: row.payload,
    truncated: row.truncated === 1,
  };
  if (row.parent_id !== null) hop.parentId = row.parent_id;
  if (row.detail !== null) hop.detail = row.detail;
  if (row.request_id !== null) hop.requestId = row.request_id;
  return hop;
}

/**
 * The trace store's reads: the newest traces (filtered by outcome, resource, time and seq), one
 * trace's hops and log lines, one hop. Listing reads `trace_summaries` through its indexes, so it
 * costs the same with 10,000 traces recorded as with 10 (bench/traces.ts).
 */
import type { Statement } from "better-sqlite3";
import type { Mutable } from "../../model/mutable.ts";
import type { Db } from "../store/index.ts";
import { TRACE_LIST_DEFAULT_LIMIT, TRACE_LIST_MAX_LIMIT } from "./trace-limits.ts";
import type { TraceSummaryRow } from "./trace-schema.ts";
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
  readonly payload: string | null;
  readonly payload_seq: number | null;
  readonly truncated: number;
  readonly detail: string | null;
  readonly request_id: string | null;
  readonly log_key: number | null;
}

const SUMMARY_COLUMNS = "trace_id, last_seq, start_ms, end_ms, source, target, hops, failed, resources";

export class TraceQueries {
  private readonly hopsOf;
  private readonly oneHop;
  private readonly logsOf;
  private readonly payloadOf;
  /** List statements by the filters they use (at most 2^5 shapes, prepared once each). */
  private readonly lists = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {
    this.hopsOf = db.prepare("SELECT * FROM trace_hops WHERE trace_id = ? ORDER BY start_ms, seq");
    this.oneHop = db.prepare(
      "SELECT * FROM trace_hops WHERE trace_id = ? AND hop_id = ? ORDER BY seq LIMIT 1",
    );
    this.logsOf = db.prepare("SELECT lines FROM trace_logs WHERE log_key = ? ORDER BY line");
    this.payloadOf = db.prepare("SELECT payload FROM trace_hops WHERE seq = ?").pluck();
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
      // `kind:name` names one resource; a bare name any resource of that name, whatever its kind
      // (the part after the first colon, or the whole: nameOf in SQL). Read newest first until the
      // limit is met: a resource in few of many traces reads more rows (bench/traces.ts).
      const exact = query.resource.includes(":");
      where.push(
        exact
          ? "EXISTS (SELECT 1 FROM json_each(resources) WHERE value = ?)"
          : "EXISTS (SELECT 1 FROM json_each(resources) WHERE substr(value, instr(value, ':') + 1) = ?)",
      );
      params.push(query.resource);
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
    return (statement.all(...params) as Omit<TraceSummaryRow, "first_seq">[]).map((row) => this.summary(row));
  }

  timeline(traceId: string): TraceTimeline | undefined {
    const rows = this.hopsOf.all(traceId) as HopRow[];
    if (rows.length === 0) return undefined;
    const held = new Map<number, string>();
    for (const row of rows) if (row.payload !== null) held.set(row.seq, row.payload);
    const hops = rows.map((row) => hopOf(row, row.payload ?? held.get(row.payload_seq ?? 0) ?? ""));
    // A plain object (callers compare and serialise it), its keys defined so no id is a setter.
    const logs: Record<string, readonly TraceLogLine[]> = {};
    const byRequest = new Map<string, TraceLogLine[]>();
    const seen = new Set<number>();
    // Attempts of one request id (async retries) share a key, or have one each after a restart.
    for (const row of [...rows].sort((a, b) => (a.log_key ?? 0) - (b.log_key ?? 0))) {
      if (row.log_key === null || row.request_id === null || seen.has(row.log_key)) continue;
      seen.add(row.log_key);
      const stored = this.logsOf.all(row.log_key) as { lines: string }[];
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
      for (const { lines } of stored) {
        for (const [timestamp, text] of JSON.parse(lines) as [number, string][])
          value.push({ timestamp, text });
      }
    }
    return { traceId, hops, logs };
  }

  hop(traceId: string, hopId: string): TraceHop | undefined {
    const row = this.oneHop.get(traceId, hopId) as HopRow | undefined;
    if (row === undefined) return undefined;
    return hopOf(row, row.payload ?? (this.payloadOf.get(row.payload_seq) as string | undefined) ?? "");
  }

  private summary(row: Omit<TraceSummaryRow, "first_seq">): TraceSummary {
    return {
      traceId: row.trace_id,
      source: row.source,
      target: row.target,
      startMs: row.start_ms,
      durationMs: row.end_ms - row.start_ms,
      hops: row.hops,
      outcome: row.failed ? "error" : "success",
      resources: (JSON.parse(row.resources) as string[]).sort(byUtf8),
      lastSeq: row.last_seq,
    };
  }
}

/** TraceQuery.limit as a whole number from 1 to TRACE_LIST_MAX_LIMIT. */
function listLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return TRACE_LIST_DEFAULT_LIMIT;
  return Math.min(TRACE_LIST_MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** SQLite's BINARY order (UTF-8 bytes), which listing used when resources were a table's rows. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A stored hop with its payload (held in its row or in the row its `payload_seq` names). */
function hopOf(row: HopRow, payload: string): TraceHop {
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
    payload,
    truncated: row.truncated === 1,
  };
  if (row.parent_id !== null) hop.parentId = row.parent_id;
  if (row.detail !== null) hop.detail = row.detail;
  if (row.request_id !== null) hop.requestId = row.request_id;
  return hop;
}

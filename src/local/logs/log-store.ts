/**
 * The CloudWatch Logs surface's one interface: log groups, streams and events per region, durable
 * in the application's SQLite file. Lambda's log lines arrive through `append` (lambda-log-sink.ts);
 * `sluice logs` reads them back through the JSON endpoint (logs-json.ts).
 */
import { LIMITS } from "../../model/limits.ts";
import { partition } from "../../model/naming.ts";
import type { Clock } from "../clock.ts";
import type { Db } from "../store/store.ts";
import { invalidParameter, LogsError, logGroupNotFound, logStreamNotFound } from "./errors.ts";
import { compileFilterPattern } from "./filter-pattern.ts";
import { checkGroupName, checkRetention, checkStreamName } from "./log-names.ts";
import {
  decodeName,
  decodeToken,
  encodeName,
  encodeToken,
  pageLimit,
  parseStreamToken,
  streamToken,
} from "./log-pages.ts";
import { migrateLogs } from "./logs-schema.ts";
import type {
  DescribeLogGroupsInput,
  DescribeLogStreamsInput,
  FilteredLogEvent,
  FilterLogEventsInput,
  FilterLogEventsOutput,
  GetLogEventsInput,
  GetLogEventsOutput,
  InputLogEvent,
  LogGroupInfo,
  LogStreamInfo,
  OutputLogEvent,
} from "./types.ts";

const DAY_MS = 86_400_000;
/** AWS counts each event's message bytes plus 26 bytes toward a page's 1 MB. */
const EVENT_OVERHEAD = 26;

interface GroupRow {
  name: string;
  created_at: number;
  retention_days: number | null;
}
interface StreamRow {
  name: string;
  created_at: number;
  first_event: number | null;
  last_event: number | null;
  last_ingestion: number | null;
}
interface EventRow {
  id: number;
  stream: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

export interface LogStoreOptions {
  /** The account in ARNs. @default "000000000000" */
  readonly accountId?: string;
}

export class LogStore {
  private readonly accountId: string;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    options: LogStoreOptions = {},
  ) {
    migrateLogs(db);
    this.accountId = options.accountId ?? "000000000000";
  }

  /** Throws ResourceAlreadyExistsException, or InvalidParameterException for a bad name or retention. */
  createLogGroup(region: string, name: string, retentionDays?: number): void {
    checkGroupName(name);
    if (retentionDays !== undefined) checkRetention(retentionDays);
    if (this.group(region, name)) {
      throw new LogsError("ResourceAlreadyExistsException", "The specified log group already exists", {
        logGroupName: name,
      });
    }
    this.db
      .prepare("INSERT INTO logs_groups (region, name, created_at, retention_days) VALUES (?, ?, ?, ?)")
      .run(region, name, this.clock.now(), retentionDays ?? null);
  }

  /** Deletes the group with its streams and events. Throws ResourceNotFoundException. */
  deleteLogGroup(region: string, name: string): void {
    this.db.transaction(() => {
      this.requiredGroup(region, name);
      for (const table of ["logs_events", "logs_streams"]) {
        this.db.prepare(`DELETE FROM ${table} WHERE region = ? AND group_name = ?`).run(region, name);
      }
      this.db.prepare("DELETE FROM logs_groups WHERE region = ? AND name = ?").run(region, name);
    })();
  }

  /** Sets the retention (undefined: never expire, DeleteRetentionPolicy). */
  putRetention(region: string, name: string, retentionDays: number | undefined): void {
    if (retentionDays !== undefined) checkRetention(retentionDays);
    this.requiredGroup(region, name);
    this.db
      .prepare("UPDATE logs_groups SET retention_days = ? WHERE region = ? AND name = ?")
      .run(retentionDays ?? null, region, name);
  }

  /** Throws ResourceNotFoundException for the group, ResourceAlreadyExistsException for the stream. */
  createLogStream(region: string, group: string, stream: string): void {
    checkStreamName(stream);
    this.requiredGroup(region, group);
    if (this.stream(region, group, stream)) {
      throw new LogsError("ResourceAlreadyExistsException", "The specified log stream already exists", {
        logStreamName: stream,
      });
    }
    this.insertStream(region, group, stream);
  }

  /**
   * Adds events to a stream, creating the group and stream when missing, as Lambda does for its
   * functions' logs. (PutLogEvents over the wire requires both to exist; logs-json.ts checks.)
   */
  append(region: string, group: string, stream: string, events: readonly InputLogEvent[]): void {
    if (events.length === 0) return;
    const now = this.clock.now();
    this.db.transaction(() => {
      if (!this.group(region, group)) this.createLogGroup(region, group);
      if (!this.stream(region, group, stream)) this.insertStream(region, group, stream);
      const insert = this.db.prepare(
        "INSERT INTO logs_events (region, group_name, stream, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const e of events) insert.run(region, group, stream, e.timestamp, now, e.message);
      const times = events.map((e) => e.timestamp);
      this.db
        .prepare(
          `UPDATE logs_streams SET first_event = min(coalesce(first_event, ?), ?), last_event = max(coalesce(last_event, ?), ?),
             last_ingestion = ? WHERE region = ? AND group_name = ? AND name = ?`,
        )
        .run(
          Math.min(...times),
          Math.min(...times),
          Math.max(...times),
          Math.max(...times),
          now,
          region,
          group,
          stream,
        );
    })();
  }

  /** Events of a group across its streams in time order, filtered; pages by `nextToken`. */
  filterLogEvents(region: string, input: FilterLogEventsInput): FilterLogEventsOutput {
    this.requiredGroup(region, input.logGroupName);
    if (input.logStreamNames && input.logStreamNamePrefix !== undefined) {
      throw invalidParameter(
        "logStreamNames and logStreamNamePrefix are mutually exclusive; give one of them.",
      );
    }
    const matches = compileFilterPattern(input.filterPattern);
    const limit = pageLimit(input.limit, LIMITS.logs.eventsPerPage.max, "limit");
    const from = input.nextToken === undefined ? undefined : decodeToken(input.nextToken);
    const streams = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
    const rows = this.db
      .prepare(
        `SELECT id, stream, timestamp, ingestion_time, message FROM logs_events
         WHERE region = ? AND group_name = ? AND timestamp >= ? AND timestamp <= ?
           AND (timestamp > ? OR (timestamp = ? AND id > ?))
         ORDER BY timestamp, id`,
      )
      .iterate(
        region,
        input.logGroupName,
        input.startTime ?? 0,
        input.endTime ?? Number.MAX_SAFE_INTEGER,
        from?.timestamp ?? -1,
        from?.timestamp ?? -1,
        from?.id ?? 0,
      ) as IterableIterator<EventRow>;
    const events: FilteredLogEvent[] = [];
    let bytes = 0;
    let more = false;
    for (const row of rows) {
      if (streams && !streams.has(row.stream)) continue;
      if (input.logStreamNamePrefix !== undefined && !row.stream.startsWith(input.logStreamNamePrefix))
        continue;
      if (!matches(row.message)) continue;
      const size = Buffer.byteLength(row.message) + EVENT_OVERHEAD;
      if (events.length >= limit || bytes + size > LIMITS.logs.bytesPerPage.max) {
        more = true;
        break;
      }
      bytes += size;
      events.push({
        logStreamName: row.stream,
        timestamp: row.timestamp,
        message: row.message,
        ingestionTime: row.ingestion_time,
        eventId: String(row.id).padStart(20, "0"),
      });
    }
    const last = events.at(-1);
    return {
      events,
      ...(more && last
        ? { nextToken: encodeToken({ timestamp: last.timestamp, id: Number(last.eventId) }) }
        : {}),
    };
  }

  /**
   * One stream's events in stored order. Without a token: the first page (startFromHead) or the
   * latest one. `nextForwardToken` repeats the token given when there is nothing newer, which is
   * how a reader knows it has caught up, as with AWS.
   */
  getLogEvents(region: string, input: GetLogEventsInput): GetLogEventsOutput {
    this.requiredGroup(region, input.logGroupName);
    if (!this.stream(region, input.logGroupName, input.logStreamName)) {
      throw logStreamNotFound(input.logGroupName, input.logStreamName);
    }
    const limit = pageLimit(input.limit, LIMITS.logs.eventsPerPage.max, "limit");
    const token = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
    const forward = token ? token.direction === "f" : input.startFromHead === true;
    const rows = this.db
      .prepare(
        `SELECT id, stream, timestamp, ingestion_time, message FROM logs_events
         WHERE region = ? AND group_name = ? AND stream = ? AND timestamp >= ? AND timestamp < ?
           AND id > ? AND id < ?
         ORDER BY id ${forward ? "ASC" : "DESC"}`,
      )
      .all(
        region,
        input.logGroupName,
        input.logStreamName,
        input.startTime ?? 0,
        input.endTime ?? Number.MAX_SAFE_INTEGER,
        token?.direction === "f" ? token.id : 0,
        token?.direction === "b" ? token.id : Number.MAX_SAFE_INTEGER,
      ) as EventRow[];
    const page: EventRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = Buffer.byteLength(row.message) + EVENT_OVERHEAD;
      if (page.length >= limit || bytes + size > LIMITS.logs.bytesPerPage.max) break;
      bytes += size;
      page.push(row);
    }
    if (!forward) page.reverse();
    const events: OutputLogEvent[] = page.map((r) => ({
      timestamp: r.timestamp,
      message: r.message,
      ingestionTime: r.ingestion_time,
    }));
    const first = page[0];
    const last = page.at(-1);
    const forwardFrom = last?.id ?? (token ? (token.direction === "f" ? token.id : token.id - 1) : 0);
    const backwardFrom =
      first?.id ?? (token ? (token.direction === "b" ? token.id : token.id + 1) : forwardFrom + 1);
    return {
      events,
      nextForwardToken: streamToken("f", forwardFrom),
      nextBackwardToken: streamToken("b", backwardFrom),
    };
  }

  describeLogGroups(
    region: string,
    input: DescribeLogGroupsInput = {},
  ): { logGroups: LogGroupInfo[]; nextToken?: string } {
    const limit = pageLimit(input.limit, LIMITS.logs.describePageSize.max, "limit");
    const after = input.nextToken === undefined ? "" : decodeName(input.nextToken);
    const prefix = input.logGroupNamePrefix ?? "";
    const rows = this.db
      .prepare(
        "SELECT name, created_at, retention_days FROM logs_groups WHERE region = ? AND name > ? AND name >= ? ORDER BY name",
      )
      .all(region, after, prefix) as GroupRow[];
    const matching = rows.filter((r) => r.name.startsWith(prefix));
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return {
      logGroups: page.map((r) => this.groupInfo(region, r)),
      ...(matching.length > limit && last ? { nextToken: encodeName(last.name) } : {}),
    };
  }

  describeLogStreams(
    region: string,
    input: DescribeLogStreamsInput,
  ): { logStreams: LogStreamInfo[]; nextToken?: string } {
    this.requiredGroup(region, input.logGroupName);
    const orderBy = input.orderBy ?? "LogStreamName";
    if (orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined) {
      throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    const limit = pageLimit(input.limit, LIMITS.logs.describePageSize.max, "limit");
    const offset = input.nextToken === undefined ? 0 : Number(decodeName(input.nextToken));
    if (!Number.isInteger(offset) || offset < 0)
      throw invalidParameter("The specified nextToken is invalid.");
    const direction = input.descending ? "DESC" : "ASC";
    const order =
      orderBy === "LastEventTime"
        ? `coalesce(last_event, created_at) ${direction}, name`
        : `name ${direction}`;
    const rows = (
      this.db
        .prepare(`SELECT * FROM logs_streams WHERE region = ? AND group_name = ? ORDER BY ${order}`)
        .all(region, input.logGroupName) as StreamRow[]
    ).filter((r) => r.name.startsWith(input.logStreamNamePrefix ?? ""));
    const page = rows.slice(offset, offset + limit);
    return {
      logStreams: page.map((r) => this.streamInfo(region, input.logGroupName, r)),
      ...(rows.length > offset + limit ? { nextToken: encodeName(String(offset + limit)) } : {}),
    };
  }

  /**
   * Deletes events older than their group's retention. CloudWatch Logs does this in the
   * background (and may keep expired events for a while); here the caller decides when.
   */
  expire(now = this.clock.now()): number {
    let deleted = 0;
    const groups = this.db
      .prepare("SELECT region, name, retention_days FROM logs_groups WHERE retention_days IS NOT NULL")
      .all() as { region: string; name: string; retention_days: number }[];
    const remove = this.db.prepare(
      "DELETE FROM logs_events WHERE region = ? AND group_name = ? AND timestamp < ?",
    );
    for (const g of groups) deleted += remove.run(g.region, g.name, now - g.retention_days * DAY_MS).changes;
    return deleted;
  }

  private group(region: string, name: string): GroupRow | undefined {
    return this.db
      .prepare("SELECT name, created_at, retention_days FROM logs_groups WHERE region = ? AND name = ?")
      .get(region, name) as GroupRow | undefined;
  }

  private requiredGroup(region: string, name: string): GroupRow {
    const row = this.group(region, name);
    if (!row) throw logGroupNotFound(name);
    return row;
  }

  private stream(region: string, group: string, name: string): StreamRow | undefined {
    return this.db
      .prepare("SELECT * FROM logs_streams WHERE region = ? AND group_name = ? AND name = ?")
      .get(region, group, name) as StreamRow | undefined;
  }

  private insertStream(region: string, group: string, name: string): void {
    this.db
      .prepare("INSERT INTO logs_streams (region, group_name, name, created_at) VALUES (?, ?, ?, ?)")
      .run(region, group, name, this.clock.now());
  }

  private groupInfo(region: string, row: GroupRow): LogGroupInfo {
    const logGroupArn = `arn:${partition(region)}:logs:${region}:${this.accountId}:log-group:${row.name}`;
    const bytes = this.db
      .prepare(
        "SELECT coalesce(sum(length(CAST(message AS BLOB))), 0) AS n FROM logs_events WHERE region = ? AND group_name = ?",
      )
      .get(region, row.name) as { n: number };
    return {
      logGroupName: row.name,
      creationTime: row.created_at,
      ...(row.retention_days === null ? {} : { retentionInDays: row.retention_days }),
      metricFilterCount: 0,
      arn: `${logGroupArn}:*`,
      logGroupArn,
      storedBytes: bytes.n,
      logGroupClass: "STANDARD",
    };
  }

  private streamInfo(region: string, group: string, row: StreamRow): LogStreamInfo {
    return {
      logStreamName: row.name,
      creationTime: row.created_at,
      ...(row.first_event === null ? {} : { firstEventTimestamp: row.first_event }),
      ...(row.last_event === null ? {} : { lastEventTimestamp: row.last_event }),
      ...(row.last_ingestion === null ? {} : { lastIngestionTime: row.last_ingestion }),
      arn: `arn:${partition(region)}:logs:${region}:${this.accountId}:log-group:${group}:log-stream:${row.name}`,
      storedBytes: 0,
    };
  }
}

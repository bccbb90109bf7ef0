/**
 * CloudWatch Logs' events: appended in batches, read back one stream at a time (GetLogEvents) or
 * across a group's streams, filtered (FilterLogEvents), in pages of AWS's sizes.
 */
import { LIMITS } from "../../model/limits.ts";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { invalidParameter, logStreamNotFound } from "./errors.ts";
import { compileFilterPattern } from "./filter-pattern.ts";
import type { LogGroups } from "./log-groups.ts";
import { decodeToken, encodeToken, pageLimit, parseStreamToken, streamToken } from "./log-pages.ts";
import type {
  FilteredLogEvent,
  FilterLogEventsInput,
  FilterLogEventsOutput,
  GetLogEventsInput,
  GetLogEventsOutput,
  InputLogEvent,
  OutputLogEvent,
} from "./types.ts";

/** AWS counts each event's message bytes plus 26 bytes toward a page's 1 MB. */
const EVENT_OVERHEAD = 26;

interface EventRow {
  id: number;
  stream: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

export class LogEvents {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly groups: LogGroups,
  ) {}

  /**
   * Adds events to a stream, creating the group and stream when missing, as Lambda does for its
   * functions' logs. (PutLogEvents over the wire requires both to exist; logs-json.ts checks.)
   */
  append(region: string, group: string, stream: string, events: readonly InputLogEvent[]): void {
    if (events.length === 0) return;
    const now = this.clock.now();
    this.db.transaction(() => {
      if (!this.groups.group(region, group)) this.groups.createLogGroup(region, group);
      if (!this.groups.stream(region, group, stream)) this.groups.insertStream(region, group, stream);
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
    this.groups.requiredGroup(region, input.logGroupName);
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
    this.groups.requiredGroup(region, input.logGroupName);
    if (!this.groups.stream(region, input.logGroupName, input.logStreamName)) {
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
}

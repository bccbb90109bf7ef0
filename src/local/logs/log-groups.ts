/**
 * CloudWatch Logs' log groups and log streams per region: creation, retention, deletion and the
 * Describe calls. The events inside them are log-events.ts.
 */
import { LIMITS } from "../../model/limits.ts";
import { partition } from "../../model/naming.ts";
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { invalidParameter, LogsError, logGroupNotFound } from "./errors.ts";
import { checkGroupName, checkRetention, checkStreamName } from "./log-names.ts";
import { decodeName, encodeName, pageLimit } from "./log-pages.ts";
import type {
  DescribeLogGroupsInput,
  DescribeLogStreamsInput,
  LogGroupInfo,
  LogStreamInfo,
} from "./types.ts";

const DAY_MS = 86_400_000;

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

export class LogGroups {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly accountId: string,
  ) {}
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

  group(region: string, name: string): GroupRow | undefined {
    return this.db
      .prepare("SELECT name, created_at, retention_days FROM logs_groups WHERE region = ? AND name = ?")
      .get(region, name) as GroupRow | undefined;
  }

  requiredGroup(region: string, name: string): GroupRow {
    const row = this.group(region, name);
    if (!row) throw logGroupNotFound(name);
    return row;
  }

  stream(region: string, group: string, name: string): StreamRow | undefined {
    return this.db
      .prepare("SELECT * FROM logs_streams WHERE region = ? AND group_name = ? AND name = ?")
      .get(region, group, name) as StreamRow | undefined;
  }

  insertStream(region: string, group: string, name: string): void {
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

/**
 * The CloudWatch Logs surface's one interface: log groups, streams and events per region, durable
 * in the application's SQLite file. Groups and streams are log-groups.ts, the events log-events.ts.
 * Lambda's log lines arrive through `append` (lambda-log-sink.ts); `sluice logs` reads them back
 * through the JSON endpoint (logs-json.ts).
 */
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { LogEvents } from "./log-events.ts";
import { LogGroups } from "./log-groups.ts";
import { migrateLogs } from "./logs-schema.ts";
import type {
  DescribeLogGroupsInput,
  DescribeLogStreamsInput,
  FilterLogEventsInput,
  FilterLogEventsOutput,
  GetLogEventsInput,
  GetLogEventsOutput,
  InputLogEvent,
  LogGroupInfo,
  LogStreamInfo,
} from "./types.ts";

export interface LogStoreOptions {
  /** The account in ARNs. @default "000000000000" */
  readonly accountId?: string;
}

export class LogStore {
  private readonly groups: LogGroups;
  private readonly events: LogEvents;

  constructor(db: Db, clock: Clock, options: LogStoreOptions = {}) {
    migrateLogs(db);
    this.groups = new LogGroups(db, clock, options.accountId ?? "000000000000");
    this.events = new LogEvents(db, clock, this.groups);
  }

  /** Throws ResourceAlreadyExistsException, or InvalidParameterException for a bad name or retention. */
  createLogGroup(region: string, name: string, retentionDays?: number): void {
    this.groups.createLogGroup(region, name, retentionDays);
  }

  /** Deletes the group with its streams and events. Throws ResourceNotFoundException. */
  deleteLogGroup(region: string, name: string): void {
    this.groups.deleteLogGroup(region, name);
  }

  /** Sets the retention (undefined: never expire, DeleteRetentionPolicy). */
  putRetention(region: string, name: string, retentionDays: number | undefined): void {
    this.groups.putRetention(region, name, retentionDays);
  }

  /** Throws ResourceNotFoundException for the group, ResourceAlreadyExistsException for the stream. */
  createLogStream(region: string, group: string, stream: string): void {
    this.groups.createLogStream(region, group, stream);
  }

  /** Adds events to a stream, creating the group and stream when missing, as Lambda does. */
  append(region: string, group: string, stream: string, events: readonly InputLogEvent[]): void {
    this.events.append(region, group, stream, events);
  }

  /** Events of a group across its streams in time order, filtered; pages by `nextToken`. */
  filterLogEvents(region: string, input: FilterLogEventsInput): FilterLogEventsOutput {
    return this.events.filterLogEvents(region, input);
  }

  /** One stream's events in stored order (see LogEvents.getLogEvents for the tokens). */
  getLogEvents(region: string, input: GetLogEventsInput): GetLogEventsOutput {
    return this.events.getLogEvents(region, input);
  }

  describeLogGroups(
    region: string,
    input: DescribeLogGroupsInput = {},
  ): { logGroups: LogGroupInfo[]; nextToken?: string } {
    return this.groups.describeLogGroups(region, input);
  }

  describeLogStreams(
    region: string,
    input: DescribeLogStreamsInput,
  ): { logStreams: LogStreamInfo[]; nextToken?: string } {
    return this.groups.describeLogStreams(region, input);
  }

  /** Deletes events older than their group's retention; the caller decides when. */
  expire(now?: number): number {
    return this.groups.expire(now);
  }
}

export interface InputLogEvent {
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
}

export interface OutputLogEvent extends InputLogEvent {
  readonly ingestionTime: number;
}

export interface FilteredLogEvent extends OutputLogEvent {
  readonly logStreamName: string;
  readonly eventId: string;
}

export interface FilterLogEventsInput {
  readonly logGroupName: string;
  readonly logStreamNames?: readonly string[];
  readonly logStreamNamePrefix?: string;
  /** Inclusive. */
  readonly startTime?: number;
  /** Inclusive: events later than this are not returned. */
  readonly endTime?: number;
  /**
   * Terms (all must appear), quoted phrases, `?term` (any of these) and `-term` (none of these),
   * case-sensitive. JSON (`{ $.x = … }`), space-delimited (`[…]`) and regex (`%…%`) patterns
   * are refused with InvalidParameterException.
   */
  readonly filterPattern?: string;
  /** @default 10000 (also the most AWS returns in one page) */
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface FilterLogEventsOutput {
  readonly events: readonly FilteredLogEvent[];
  readonly nextToken?: string;
}

export interface GetLogEventsInput {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly startTime?: number;
  /** Exclusive: events at or after this time are not returned. */
  readonly endTime?: number;
  /** @default 10000 */
  readonly limit?: number;
  readonly nextToken?: string;
  /** @default false (the latest events first page) */
  readonly startFromHead?: boolean;
}

export interface GetLogEventsOutput {
  readonly events: readonly OutputLogEvent[];
  readonly nextForwardToken: string;
  readonly nextBackwardToken: string;
}

export interface LogGroupInfo {
  readonly logGroupName: string;
  readonly creationTime: number;
  readonly retentionInDays?: number;
  readonly metricFilterCount: number;
  readonly arn: string;
  readonly logGroupArn: string;
  readonly storedBytes: number;
  readonly logGroupClass: "STANDARD";
}

export interface LogStreamInfo {
  readonly logStreamName: string;
  readonly creationTime: number;
  readonly firstEventTimestamp?: number;
  readonly lastEventTimestamp?: number;
  readonly lastIngestionTime?: number;
  readonly arn: string;
  readonly storedBytes: number;
}

export interface DescribeLogGroupsInput {
  readonly logGroupNamePrefix?: string;
  /** @default 50 */
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface DescribeLogStreamsInput {
  readonly logGroupName: string;
  readonly logStreamNamePrefix?: string;
  /** @default "LogStreamName" */
  readonly orderBy?: "LogStreamName" | "LastEventTime";
  /** @default false */
  readonly descending?: boolean;
  /** @default 50 */
  readonly limit?: number;
  readonly nextToken?: string;
}

import { AwsError } from "../../../model/errors.ts";
import { LIMITS } from "../../../model/limits.ts";
import type { Clock } from "../../clock/index.ts";
import type { TableStreamInfo } from "../dynamodb-service.ts";
import { formatSequenceNumber, parseSequenceNumber } from "./sequence-number.ts";
import { decodeIterator, encodeIterator } from "./shard-iterator.ts";
import type { StreamRecord } from "./stream-record.ts";
import type { ShardInfo, TableStreams } from "./table-streams.ts";

const STREAMS = LIMITS.dynamodbStreams;
const ITERATOR_LIFETIME_MS = STREAMS.shardIteratorLifetime.max * 1000;

type Json = Readonly<Record<string, unknown>>;

export interface StreamsApiOptions {
  readonly streams: TableStreams;
  /** Every table's stream, enabled or disabled less than 24 hours ago (DynamoDbServiceApi.streams). */
  readonly directory: () => readonly TableStreamInfo[];
  readonly clock: Clock;
}

/**
 * The DynamoDB Streams API over the local streams: ListStreams, DescribeStream, GetShardIterator
 * and GetRecords, with AWS's inputs, outputs and errors.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html
 */
export class StreamsApi {
  constructor(private readonly options: StreamsApiOptions) {}

  execute(action: string, input: Json): unknown {
    switch (action) {
      case "ListStreams":
        return this.listStreams(input);
      case "DescribeStream":
        return this.describeStream(input);
      case "GetShardIterator":
        return this.getShardIterator(input);
      case "GetRecords":
        return this.getRecords(input);
      default:
        throw new AwsError("UnknownOperationException", `Unknown operation ${action}`, 400);
    }
  }

  private listStreams(input: Json): unknown {
    const tableName = optionalString(input, "TableName");
    const limit = optionalLimit(input, "Limit", STREAMS.describeLimit.max);
    const start = optionalString(input, "ExclusiveStartStreamArn");
    let streams = this.options
      .directory()
      .filter((s) => tableName === undefined || s.tableName === tableName);
    if (start !== undefined) {
      const at = streams.findIndex((s) => s.streamArn === start);
      streams = at < 0 ? [] : streams.slice(at + 1);
    }
    const page = streams.slice(0, limit);
    return {
      Streams: page.map((s) => ({
        StreamArn: s.streamArn,
        TableName: s.tableName,
        StreamLabel: s.streamLabel,
      })),
      ...(streams.length > page.length ? { LastEvaluatedStreamArn: page[page.length - 1]?.streamArn } : {}),
    };
  }

  private describeStream(input: Json): unknown {
    const stream = this.stream(requiredString(input, "StreamArn"));
    const limit = optionalLimit(input, "Limit", STREAMS.describeLimit.max);
    const start = optionalString(input, "ExclusiveStartShardId");
    let shards = this.options.streams.shards(stream.streamArn);
    if (start !== undefined) {
      const at = shards.findIndex((s) => s.shardId === start);
      shards = at < 0 ? [] : shards.slice(at + 1);
    }
    const page = shards.slice(0, limit);
    return {
      StreamDescription: {
        StreamArn: stream.streamArn,
        StreamLabel: stream.streamLabel,
        StreamStatus: stream.status,
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdAt / 1000,
        TableName: stream.tableName,
        KeySchema: stream.keySchema,
        Shards: page.map((shard) => this.describeShard(stream, shard)),
        ...(shards.length > page.length ? { LastEvaluatedShardId: page[page.length - 1]?.shardId } : {}),
      },
    };
  }

  /** A disabled stream's shards are closed: they end at their last record. */
  private describeShard(stream: TableStreamInfo, shard: ShardInfo): unknown {
    const last = this.options.streams.lastSeq(stream.streamArn, shard.index);
    const closed = stream.status === "DISABLED" && last >= shard.startingSeq;
    return {
      ShardId: shard.shardId,
      SequenceNumberRange: {
        StartingSequenceNumber: formatSequenceNumber(Math.max(shard.startingSeq, shard.trimmedThrough + 1)),
        ...(closed ? { EndingSequenceNumber: formatSequenceNumber(last) } : {}),
      },
    };
  }

  private getShardIterator(input: Json): unknown {
    const stream = this.stream(requiredString(input, "StreamArn"));
    const shardId = requiredString(input, "ShardId");
    const type = requiredString(input, "ShardIteratorType");
    const shard = this.options.streams.shards(stream.streamArn).find((s) => s.shardId === shardId);
    if (!shard)
      throw new AwsError(
        "ResourceNotFoundException",
        `Requested resource not found: Shard does not exist`,
        400,
      );
    const trimHorizon = Math.max(shard.startingSeq - 1, shard.trimmedThrough);
    let afterSeq: number;
    if (type === "TRIM_HORIZON") afterSeq = trimHorizon;
    else if (type === "LATEST") afterSeq = this.options.streams.lastSeq(stream.streamArn, shard.index);
    else if (type === "AT_SEQUENCE_NUMBER" || type === "AFTER_SEQUENCE_NUMBER") {
      const text = requiredString(input, "SequenceNumber");
      const seq = parseSequenceNumber(text);
      if (seq === undefined || seq < shard.startingSeq)
        throw new AwsError("ValidationException", `Invalid SequenceNumber: ${text}`, 400);
      if (seq <= shard.trimmedThrough) throw trimmed(text);
      afterSeq = type === "AT_SEQUENCE_NUMBER" ? seq - 1 : seq;
    } else
      throw new AwsError(
        "ValidationException",
        `1 validation error detected: Value '${type}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`,
        400,
      );
    const issuedAt = this.options.clock.now();
    return {
      ShardIterator: encodeIterator({ streamArn: stream.streamArn, shard: shard.index, afterSeq, issuedAt }),
    };
  }

  private getRecords(input: Json): unknown {
    const position = decodeIterator(requiredString(input, "ShardIterator"));
    const limit = optionalLimit(input, "Limit", STREAMS.getRecordsLimit.max);
    const now = this.options.clock.now();
    if (now - position.issuedAt > ITERATOR_LIFETIME_MS)
      throw new AwsError(
        "ExpiredIteratorException",
        "The provided iterator exceeds the maximum age allowed.",
        400,
      );
    const stream = this.stream(position.streamArn);
    const shard = this.options.streams.shards(stream.streamArn).find((s) => s.index === position.shard);
    if (!shard) throw new AwsError("ValidationException", "Invalid ShardIterator", 400);
    // Records the iterator would read next were trimmed away after it was handed out.
    if (position.afterSeq < shard.trimmedThrough) throw trimmed(formatSequenceNumber(position.afterSeq + 1));
    const page = this.options.streams.read(stream.streamArn, shard.index, position.afterSeq, {
      limit,
      maxBytes: STREAMS.getRecordsBytes.max,
    });
    const last = page[page.length - 1];
    const afterSeq = last ? last.seq : position.afterSeq;
    // A closed shard read to its end has no next iterator: the reader moves on to its children.
    const exhausted =
      stream.status === "DISABLED" && afterSeq >= this.options.streams.lastSeq(stream.streamArn, shard.index);
    return {
      Records: page.map((r): StreamRecord => r.record),
      ...(exhausted
        ? {}
        : {
            NextShardIterator: encodeIterator({
              streamArn: stream.streamArn,
              shard: shard.index,
              afterSeq,
              issuedAt: now,
            }),
          }),
    };
  }

  private stream(streamArn: string): TableStreamInfo {
    const stream = this.options.directory().find((s) => s.streamArn === streamArn);
    if (!stream)
      throw new AwsError(
        "ResourceNotFoundException",
        `Requested resource not found: Stream: ${streamArn} not found`,
        400,
      );
    return stream;
  }
}

function trimmed(sequenceNumber: string): AwsError {
  return new AwsError(
    "TrimmedDataAccessException",
    `The operation attempted to read past the oldest stream record in a shard (${sequenceNumber}).`,
    400,
  );
}

function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function requiredString(input: Json, name: string): string {
  const value = input[name];
  if (value === undefined || value === null)
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value null at '${memberName(name)}' failed to satisfy constraint: Member must not be null`,
      400,
    );
  if (typeof value !== "string")
    throw new AwsError("SerializationException", `${name} must be a string`, 400);
  return value;
}

function optionalString(input: Json, name: string): string | undefined {
  return input[name] === undefined || input[name] === null ? undefined : requiredString(input, name);
}

function optionalLimit(input: Json, name: string, max: number): number {
  const value = input[name];
  if (value === undefined || value === null) return max;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new AwsError("SerializationException", `${name} must be an integer`, 400);
  if (value < 1 || value > max)
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${value}' at '${memberName(name)}' failed to satisfy constraint: Member must have value ${value < 1 ? "greater than or equal to 1" : `less than or equal to ${max}`}`,
      400,
    );
  return value;
}

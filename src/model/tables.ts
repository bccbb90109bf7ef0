/**
 * What a user writes for DynamoDB in `sluice.config.ts`: tables (keys, indexes, stream, TTL) and a
 * function's `consumes: { table }`, Lambda's event source mapping on a table's stream. Normalised
 * into `TableSpec` and `TableConsumesSpec` (app-spec.ts) by validate/tables.ts and
 * validate/table-consumers.ts.
 */
import type { StreamViewType } from "./app-spec.ts";
import type { Duration } from "./duration.ts";

/** A key attribute: its name and scalar type (S string, N number, B binary). */
export interface KeyAttributeDefinition {
  /** @example name: "pk" */
  name: string;
  /** @example type: "S" */
  type: "S" | "N" | "B";
}

/**
 * One secondary index. Without `local` it is a global secondary index (its own partition key,
 * eventually consistent reads); with `local: true` a local one (the table's partition key, another
 * sort key; only on a table with a sort key, and only at creation).
 */
export interface TableIndexDefinition {
  /** The index's partition key; a local index's must be the table's (it may be left out). */
  partitionKey?: KeyAttributeDefinition;
  /** @default none (a local index needs one) */
  sortKey?: KeyAttributeDefinition;
  /**
   * Which attributes the index holds besides the keys: every attribute (`"all"`), only the keys
   * (`"keys"`), or the keys and the named attributes (DynamoDB's INCLUDE; at most 100 named
   * attributes over all of a table's indexes).
   * @example projection: "all"
   * @example projection: ["score", "finishedAt"]
   */
  projection: "all" | "keys" | readonly string[];
  /** A local secondary index. @default false (a global secondary index) */
  local?: true;
}

export interface TableDefinition {
  /** @example partitionKey: { name: "pk", type: "S" } */
  partitionKey: KeyAttributeDefinition;
  /** @default none: the partition key alone identifies an item @example sortKey: { name: "sk", type: "N" } */
  sortKey?: KeyAttributeDefinition;
  /**
   * Secondary indexes by name (3–255 of `a-z A-Z 0-9 _ - .`): up to 20 global and 5 local.
   * @default none
   * @example indexes: { byPlayer: { partitionKey: { name: "player", type: "S" }, projection: "all" } }
   */
  indexes?: Record<string, TableIndexDefinition>;
  /**
   * The table's stream and what each record holds; `true` means `"NEW_AND_OLD_IMAGES"`, the view a
   * stream-driven function can do anything with. A function can consume the table only with one.
   * @default no stream
   * @example stream: "NEW_AND_OLD_IMAGES"
   */
  stream?: StreamViewType | true;
  /**
   * The attribute holding each item's expiry time, in epoch seconds: DynamoDB deletes expired
   * items (on Sluice's clock locally).
   * @default TTL off
   * @example ttl: "expiresAt"
   */
  ttl?: string;
  /** Continuous backups (deployed tables only). @default false */
  pointInTimeRecovery?: boolean;
  /** Refuse DeleteTable (and a deploy that would delete the table). @default false */
  deletionProtection?: boolean;
  /**
   * A global table: a replica in every region of the app's `regions`, writes replicated between
   * them (last writer wins). Its stream is NEW_AND_OLD_IMAGES, set for you.
   * @default false: a table of its region alone
   * @example global: true
   */
  global?: boolean;
}

/** Lambda's event source mapping on a table's stream. */
export interface TableConsumesDefinition<
  TableName extends string = string,
  QueueName extends string = string,
> {
  /** The table whose stream this function's mapping reads; it must have a `stream`. */
  table: TableName;
  /** A function consumes a queue or a table's stream, never both. */
  queue?: never;
  /**
   * Where a new mapping starts: the newest record (`"LATEST"`) or the oldest still kept
   * (`"TRIM_HORIZON"`, up to 24 hours back). AWS requires it for streams.
   * @example startingPosition: "LATEST"
   */
  startingPosition: "LATEST" | "TRIM_HORIZON";
  /** Records per invocation, 1–10000. @default 100 */
  batchSize?: number;
  /** How long to gather records before invoking, up to 5 minutes. @default "0 seconds" */
  maximumBatchingWindow?: Duration;
  /** Retries of a failed batch, 0–10000, or -1 to retry until the record expires. @default -1 */
  maximumRetryAttempts?: number;
  /** Discard records older than this, "60 seconds" to "7 days", or -1 for no limit. @default -1 */
  maximumRecordAge?: Duration | -1;
  /** On a function error, split the batch in two and retry each half. @default false */
  bisectBatchOnFunctionError?: boolean;
  /** Batches of one shard processed at once, 1–10 (records of one item key stay in order). @default 1 */
  parallelizationFactor?: number;
  /**
   * Tumbling windows up to "15 minutes": the handler gets and returns `state` carried through the window.
   * @default no tumbling window
   * @example tumblingWindow: "1 minute"
   */
  tumblingWindow?: Duration;
  /** Let the handler return `{ batchItemFailures }`, so Lambda checkpoints at the first failure. @default false */
  reportBatchItemFailures?: boolean;
  /**
   * A standard queue that gets Lambda's record of each batch it discards (after the retries or
   * the maximum record age).
   * @default none
   * @example onFailure: "failed-batches"
   */
  onFailure?: QueueName;
  /**
   * Lambda's filterCriteria: up to 5 event patterns on the stream record; a record is delivered
   * when any matches and dropped otherwise.
   * @default every record
   * @example filters: [{ eventName: ["INSERT"] }]
   */
  filters?: readonly Record<string, unknown>[];
}

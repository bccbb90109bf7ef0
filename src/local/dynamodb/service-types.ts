/**
 * What the engine tells the rest of the local cloud about its tables and their streams: the
 * endpoint, LocalCloud and the streams API depend on these types, not on the engine's files.
 */
import type { StreamViewType, TableSpec } from "../../model/app-spec.ts";

/** One table's stream as the Streams API and the stream event source mappings see it. */
export interface TableStreamInfo {
  readonly tableName: string;
  readonly streamArn: string;
  /** ISO-8601 label (the last part of the ARN). */
  readonly streamLabel: string;
  readonly viewType: StreamViewType;
  /** DynamoDB's KeySchema of the table: HASH, then RANGE when it has a sort key. */
  readonly keySchema: readonly { readonly AttributeName: string; readonly KeyType: "HASH" | "RANGE" }[];
  /** ENABLED while the table streams; DISABLED streams stay readable for 24 hours. */
  readonly status: "ENABLED" | "DISABLED";
  /** Epoch milliseconds on the clock. */
  readonly createdAt: number;
}

/** What `sluice tables` shows of one table. */
export interface TableSummary {
  readonly tableName: string;
  readonly itemCount: number;
  readonly sizeBytes: number;
  readonly stream?: { readonly viewType: string; readonly streamArn: string };
  readonly ttlAttribute?: string;
  /** True when the definition declares it; false when it was created through the API. */
  readonly defined: boolean;
}

/** What an action may need of the request that carried it. */
export interface DynamoDbCallContext {
  /** The URL the call was sent to (DescribeEndpoints answers its host); absent off the wire. */
  readonly endpointUrl?: string;
  /**
   * The caller writes the answer with wire/answer-json.ts, so GetItem, Query and Scan may answer
   * stored items as their JSON text (StoredItemText) rather than parsed. Only the wire sets it.
   */
  readonly itemsAsText?: boolean;
  /**
   * Takes work to run right after the answer is written, in the same synchronous run: given, a
   * PutItem, UpdateItem or DeleteItem is answered before its commit (answered-writes.ts). Only
   * the wire sets it.
   */
  readonly afterAnswer?: (work: () => void) => void;
}

export interface DynamoDbServiceApi {
  /** Commits a write whose answer went out (answered-writes.ts) and closes what the service holds open. */
  close(): void;
  /**
   * Creates the definition's tables that do not exist yet and brings existing ones to the spec
   * (indexes, stream, TTL), keeping their items. Tables created through the API stay as they are.
   * Called when the cloud opens and on every reload of the definition.
   */
  ensureTables(tables: readonly TableSpec[]): void;
  /**
   * Runs one DynamoDB API action (the part after `DynamoDB_20120810.`) on its JSON input and
   * returns its JSON output. Throws AwsError with DynamoDB's code, status and message (e.g.
   * ValidationException 400, ResourceNotFoundException 400, ConditionalCheckFailedException 400,
   * TransactionCanceledException 400 with CancellationReasons). The wire handler authorizes
   * before calling: `resourcesOf` names what to authorize. PartiQL's actions are translated here too.
   */
  execute(action: string, input: Readonly<Record<string, unknown>>, context?: DynamoDbCallContext): unknown;
  /**
   * The IAM checks an action needs: each `{ action: "dynamodb:PutItem", resource: <table or index ARN> }`
   * for the tables (and indexes) the input names (BatchWriteItem/TransactWriteItems: one per table and
   * per kind of write). Thrown input errors here are the same ValidationExceptions `execute` gives.
   */
  resourcesOf(
    action: string,
    input: Readonly<Record<string, unknown>>,
  ): readonly { readonly action: string; readonly resource: string }[];
  /** Deletes items whose TTL attribute is in the past on the clock (a stream REMOVE with the service's userIdentity). */
  expireItems(): number;
  /** Every table's stream (enabled, or disabled less than 24 hours ago). */
  streams(): readonly TableStreamInfo[];
  tables(): readonly TableSummary[];
}

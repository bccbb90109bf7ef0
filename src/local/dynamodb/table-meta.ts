/**
 * What the engine keeps of a table: its key schema, indexes, stream, TTL, tags and settings. Kept
 * as JSON in `ddb_tables.meta`; DescribeTable's TableDescription is built from it.
 */
import type { StreamViewType } from "../../model/app-spec.ts";
import type { KeyType } from "./key-encoding.ts";

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface KeyDef {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute | undefined;
}

export interface IndexProjection {
  readonly type: "ALL" | "KEYS_ONLY" | "INCLUDE";
  readonly nonKeyAttributes?: readonly string[];
}

export interface IndexMeta extends KeyDef {
  readonly name: string;
  readonly kind: "global" | "local";
  readonly projection: IndexProjection;
  readonly provisioned?: Provisioned | undefined;
}

export interface Provisioned {
  readonly read: number;
  readonly write: number;
}

export interface StreamMeta {
  readonly viewType: StreamViewType;
  readonly label: string;
  readonly arn: string;
  /** Epoch milliseconds on the clock. */
  readonly createdAt: number;
  /** Set once the stream is turned off; it stays readable for 24 hours. */
  readonly disabledAt?: number;
}

export interface TableMeta extends KeyDef {
  readonly id: number;
  readonly name: string;
  readonly arn: string;
  readonly tableId: string;
  readonly attributeDefinitions: readonly {
    readonly AttributeName: string;
    readonly AttributeType: KeyType;
  }[];
  readonly indexes: readonly IndexMeta[];
  readonly billingMode: "PAY_PER_REQUEST" | "PROVISIONED";
  readonly provisioned?: Provisioned | undefined;
  /** The current stream (enabled), if any. */
  readonly stream?: StreamMeta | undefined;
  /** Streams turned off, kept for `streams()` for 24 hours. */
  readonly pastStreams: readonly StreamMeta[];
  readonly ttl?: { readonly attribute: string; readonly enabled: boolean } | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly deletionProtection: boolean;
  readonly tableClass?: string | undefined;
  readonly createdAt: number;
  /** True when the definition declares the table. */
  readonly defined: boolean;
  /**
   * A replica of a global table: its changes are versioned and replicated to the other regions
   * (global-tables/). Set from the definition's `global` and by the replication.
   */
  readonly global?: true | undefined;
  /** The other regions holding a replica (DescribeTable's `Replicas`), once the replication says. */
  readonly replicaRegions?: readonly string[] | undefined;
  /**
   * The replica region whose TTL sweep expires the items; the others receive its deletes
   * (time-to-live-sweep.ts). Kept with the table, so an engine reopened over the file knows it.
   */
  readonly ttlRegion?: string | undefined;
}

/**
 * Whether the table's changes replicate now: a global table's replica once a replication names
 * other replica regions. Until then (a single-region app, a one-replica global table) nothing
 * would ever take its outbox rows; its items are copied when the first other replica appears.
 */
export function replicates(table: TableMeta): boolean {
  return table.global === true && (table.replicaRegions?.length ?? 0) > 0;
}

/** The attributes that name an item of the table: partition key, then sort key. */
export function keyNames(key: KeyDef): string[] {
  return key.sortKey === undefined ? [key.partitionKey.name] : [key.partitionKey.name, key.sortKey.name];
}

/** DynamoDB's KeySchema for a key definition. */
export function keySchemaOf(
  key: KeyDef,
): { readonly AttributeName: string; readonly KeyType: "HASH" | "RANGE" }[] {
  const schema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[] = [
    { AttributeName: key.partitionKey.name, KeyType: "HASH" },
  ];
  if (key.sortKey !== undefined) schema.push({ AttributeName: key.sortKey.name, KeyType: "RANGE" });
  return schema;
}

/**
 * The contract between the table engine and the table's stream: every write that changes an item
 * hands one ItemChange to the table's StreamSink inside the same SQLite transaction as the write,
 * so a committed write always has its stream record and a rolled-back one never does.
 */
import type { StreamViewType } from "../../../model/app-spec.ts";
import type { Item } from "../expressions/index.ts";

export interface ItemChange {
  /** Physical table name. */
  readonly tableName: string;
  /** The table's current stream (LatestStreamArn); a change is recorded only while it is enabled. */
  readonly streamArn: string;
  /** What the stream keeps: the sink writes only the images this view type names. */
  readonly viewType: StreamViewType;
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  /** The item's key attributes (partition key, and sort key when the table has one). */
  readonly keys: Item;
  /**
   * The name of the table's partition key, so all changes of one partition share a shard as on
   * AWS. It travels with the change because the sink cannot ask the table service: a write
   * answered before a crash is committed, with its record, while that service is still being built.
   */
  readonly partitionKey: string;
  /** The item before the write; absent for INSERT. */
  readonly oldImage?: Item;
  /** The item after the write; absent for REMOVE. */
  readonly newImage?: Item;
  /** Set only for deletions made by TTL: DynamoDB's own service principal (naming.ts spells it). */
  readonly userIdentity?: { readonly type: "Service"; readonly principalId: string };
}

/**
 * Receives a table's changes. Called synchronously inside the write's transaction (better-sqlite3
 * transactions are synchronous): it must only write to the same database, never await.
 */
export interface StreamSink {
  record(change: ItemChange): void;
}

/** What the replication between regions tells dev's log and `sluice health` / drills. */
import type { Clock } from "../../clock/index.ts";
import type { DynamoDbService } from "../dynamodb-service.ts";

export interface ReplicaRegion {
  readonly region: string;
  /** Read on every pass: a region's cloud is closed and reopened on dev reloads (undefined meanwhile). */
  readonly dynamodb: () => DynamoDbService | undefined;
}

export interface GlobalTableReplicationOptions {
  /** Every region of the app; the first one expires global tables' items by TTL (the others get its deletes). */
  readonly regions: readonly ReplicaRegion[];
  /** Physical names of the global tables, read each tick (dev reloads change them). */
  readonly tables: () => readonly string[];
  readonly clock: Clock;
  /** Delay between a write and its replica write, on the clock. @default 1000 (AWS: typically within a second) */
  readonly lagMs?: number;
  readonly onEvent?: (event: ReplicationEvent) => void;
}

/** Coarse events: one per batch and per change of state, never item data. */
export type ReplicationEvent =
  | {
      readonly type: "replicated";
      readonly table: string;
      readonly from: string;
      readonly to: string;
      /** Writes applied (newer than the replica's item). */
      readonly count: number;
    }
  | {
      /** Writes from `from` wait longer than ten lags for `to` (paused, or a region closed). */
      readonly type: "replication-lagging";
      readonly from: string;
      readonly to: string;
      readonly waiting: number;
      readonly oldestAgeMs: number;
    }
  | { readonly type: "replication-caught-up"; readonly from: string; readonly to: string }
  | {
      /** A pass between two regions failed (e.g. a region's file closed under it); retried later. */
      readonly type: "replication-error";
      readonly from: string;
      readonly to: string;
      readonly message: string;
    }
  | { readonly type: "replication-paused" }
  | { readonly type: "replication-resumed"; readonly waiting: number };

/** One direction between two regions. */
export interface ReplicationStatus {
  readonly from: string;
  readonly to: string;
  /** Writes taken in `from` not yet applied in `to`. */
  readonly waiting: number;
  /** Age on the clock of the oldest waiting write; absent when none waits. */
  readonly oldestAgeMs?: number;
  /** When (clock ms) `to` last applied writes from `from`; absent when never. */
  readonly lastReplicatedAt?: number;
}

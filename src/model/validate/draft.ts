/**
 * What validation reads from a definition, before cross-references are checked. A field is
 * undefined when it was invalid (an issue is already recorded) or, for optional settings, absent;
 * checks that depend on a field skip it then, so one mistake is reported once.
 */
import type {
  BucketNotificationSpec,
  BucketSpec,
  DomainSpec,
  HandlerRef,
  PermissionSpec,
  RegionsSpec,
  RoutesSpec,
  Runtime,
  StreamViewType,
  TableConsumesSpec,
  TableSpec,
} from "../app-spec.ts";
import type { StateMachineSpec } from "../state-machines.ts";

export interface QueueDraft {
  readonly name: string;
  readonly path: string;
  readonly fifo: boolean | undefined;
  readonly visibilityTimeoutSeconds: number | undefined;
  /** visibilityTimeout as written; undefined when the default applies. */
  readonly visibilityTimeoutGiven: unknown;
  readonly delaySeconds: number | undefined;
  readonly retentionSeconds: number | undefined;
  readonly maxMessageSize: number | undefined;
  readonly receiveWaitTimeSeconds: number | undefined;
  readonly contentBasedDeduplication: boolean | undefined;
  readonly deadLetter: DeadLetterDraft | undefined;
}

export interface DeadLetterDraft {
  readonly path: string;
  readonly maxReceiveCount: number | undefined;
  /** The named dead-letter queue, or undefined when Sluice should create `<queue>-dlq`. */
  readonly queue: string | undefined;
  /** The raw `queue` value, to tell "absent" from "invalid". */
  readonly queueGiven: unknown;
}

export interface FunctionDraft {
  readonly name: string;
  readonly path: string;
  readonly handler: HandlerRef | undefined;
  readonly runtime: Runtime | undefined;
  readonly memorySize: number | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly reservedConcurrency: number | undefined;
  readonly description: string | undefined;
  readonly consumes: ConsumesDraft | undefined;
  /** `consumes: { table }` as read; undefined when the function consumes no table. */
  readonly consumesTable?: TableConsumesDraft | undefined;
  readonly routes: RoutesSpec | undefined;
  /** Declared permissions whose syntax is valid; undefined when none were declared. */
  readonly permissions?: readonly PermissionSpec[] | undefined;
  /** The `async` settings as read; undefined when the definition has none. */
  readonly async?: AsyncDraft | undefined;
}

/** A function's `async` settings; a field is undefined when absent or invalid (see validate-async.ts). */
export interface AsyncDraft {
  readonly path: string;
  readonly maximumRetryAttempts: number | undefined;
  readonly maximumEventAgeSeconds: number | undefined;
  readonly onSuccess: string | undefined;
  readonly onFailure: string | undefined;
  readonly deadLetter: string | undefined;
}

export interface ConsumesDraft {
  readonly path: string;
  readonly queue: string | undefined;
  readonly batchSize: number | undefined;
  readonly maximumBatchingWindowSeconds: number | undefined;
  readonly windowGiven: unknown;
  readonly maxConcurrency: number | undefined;
  readonly reportBatchItemFailures: boolean | undefined;
  /** Event patterns as JSON text; undefined when absent or invalid. */
  readonly filters?: readonly string[] | undefined;
}

/** A table as read (validate/tables.ts). */
export interface TableDraft {
  readonly name: string;
  readonly path: string;
  /** The stream's view type; undefined when the table has none or it is invalid. */
  readonly stream: StreamViewType | undefined;
  /** Everything but the physical name; undefined when any part of the table was invalid. */
  readonly spec: Omit<TableSpec, "tableName"> | undefined;
}

/** A function's `consumes: { table }` as read (validate/table-consumers.ts). */
export interface TableConsumesDraft {
  readonly path: string;
  readonly table: string | undefined;
  readonly onFailure: string | undefined;
  /** The mapping with Lambda's defaults applied; undefined when any setting was invalid. */
  readonly spec: TableConsumesSpec | undefined;
}

/** A bucket as read (validate/buckets.ts); its notifications' targets are checked afterwards. */
export interface BucketDraft {
  readonly name: string;
  readonly path: string;
  /** Each notification as read, with the path of its entry in `events`. */
  readonly notifications: readonly { readonly path: string; readonly spec: BucketNotificationSpec }[];
  /** Everything but the physical name; undefined when any part of the bucket was invalid. */
  readonly spec: Omit<BucketSpec, "bucketName"> | undefined;
}

export interface AppDraft {
  readonly name: string | undefined;
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  readonly queues: ReadonlyMap<string, QueueDraft>;
  readonly functions: ReadonlyMap<string, FunctionDraft>;
  readonly tables: ReadonlyMap<string, TableDraft>;
  /** State machines whose every part is valid, specs complete; absent when a caller builds a draft without any. */
  readonly stateMachines?: ReadonlyMap<string, StateMachineSpec>;
  /** S3 buckets; absent when a caller builds a draft without any. */
  readonly buckets?: ReadonlyMap<string, BucketDraft>;
  /** The app's regions, when the definition names valid ones (validate/failover.ts). */
  readonly regions?: RegionsSpec;
  /** The app's domain, when the definition has a valid one (validate/failover.ts). */
  readonly domain?: DomainSpec;
}

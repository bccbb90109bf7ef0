/**
 * The normalised application: every default applied, every duration in seconds, every name
 * checked. Frozen data only (routing functions stay in the definition module, which is bundled
 * with each function), so `local` and `aws` can both read it without touching user code.
 */
import type { EventsSpec } from "./events-spec.ts";
import type { HealthSpec, HttpApiSpec } from "./http-api.ts";
import type { ProvisionedConcurrencySpec, ScheduleSpec } from "./schedule/spec.ts";
import type { ServerSpec } from "./servers.ts";
import type { StateMachineSpec } from "./state-machines.ts";
import type { WebSocketApiSpec } from "./websocket-api.ts";

export interface AppSpec {
  readonly name: string;
  /**
   * The deployment stage every physical name is qualified with (`<app>-<stage>-<name>`, stack
   * `<app>-<stage>`); see resourcePrefix in naming.ts. @default absent: `<app>-<name>` (dev, build, synth)
   */
  readonly stage?: string;
  readonly region: string;
  readonly accountId: string;
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  readonly queues: Readonly<Record<string, QueueSpec>>;
  /** The HTTP API, when any function has HTTP routes or a health check. */
  readonly http?: HttpApiSpec;
  /** The WebSocket API, when the definition has one. */
  readonly websocket?: WebSocketApiSpec;
  /** EventBridge buses and rules, when the definition has any. */
  readonly events?: EventsSpec;
  /** EventBridge Scheduler schedules, when the definition has any. */
  readonly schedules?: Readonly<Record<string, ScheduleSpec>>;
  /** DynamoDB tables, when the definition has any (keyed by definition name). */
  readonly tables?: Readonly<Record<string, TableSpec>>;
  /** S3 buckets, when the definition has any (keyed by definition name). */
  readonly buckets?: Readonly<Record<string, BucketSpec>>;
  /** Step Functions state machines, when the definition has any (keyed by definition name). */
  readonly stateMachines?: Readonly<Record<string, StateMachineSpec>>;
  /** Server fleets that serve some functions beside Lambda (`sluice serve`), keyed by definition name. */
  readonly servers?: Readonly<Record<string, ServerSpec>>;
  /**
   * The regions the app runs in, when the definition names them (`regions`); `region` is then the
   * region this spec was normalised for (the primary unless a region was asked for).
   */
  readonly regions?: RegionsSpec;
  /** The app's custom domain and its Route 53 routing, when the definition has one. */
  readonly domain?: DomainSpec;
}

/** The definition's `regions`: every region gets the whole app. */
export interface RegionsSpec {
  readonly primary: string;
  /** At least one; exactly one when the domain's routing is `failover`. */
  readonly secondary: readonly string[];
}

/** The definition's `domain`, validated. */
export interface DomainSpec {
  /** The API's host name, lowercase, without a trailing dot. */
  readonly name: string;
  /** The hosted zone, lowercase, without a trailing dot; `name` ends with it. */
  readonly hostedZone: string;
  readonly routing: "failover" | "latency";
}

/** The Lambda runtimes a function may use (`LIMITS.lambda.runtime.values`). */
export type Runtime = "nodejs22.x" | "nodejs24.x";

export interface HandlerRef {
  /** Module path relative to the app root, without extension, e.g. `src/ingest`. */
  readonly module: string;
  /** Exported name, e.g. `handler`. */
  readonly export: string;
}

export interface FunctionSpec {
  /** Name in the definition (the key under `functions`). */
  readonly name: string;
  /** Physical Lambda function name: `${app}-${name}`. */
  readonly functionName: string;
  readonly handler: HandlerRef;
  readonly runtime: Runtime;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly reservedConcurrency?: number;
  readonly description?: string;
  readonly consumes?: ConsumesSpec;
  /**
   * The DynamoDB stream this function consumes (the definition's `consumes: { table }`); a
   * function consumes a queue or a table's stream, never both.
   */
  readonly consumesTable?: TableConsumesSpec;
  readonly routes: RoutesSpec;
  /** Statements the definition declares, as written (validated); absent when none. */
  readonly permissions?: readonly PermissionSpec[];
  /** The function's built-in health check route; the wrapper answers it. */
  readonly health?: HealthSpec;
  /** Asynchronous invocation settings; absent means Lambda's defaults (see asyncInvokeSettings). */
  readonly async?: AsyncInvokeSpec;
  /** Pre-initialised environments, fixed or on a schedule; absent means none. */
  readonly provisionedConcurrency?: ProvisionedConcurrencySpec;
}

/** Lambda's asynchronous invocation settings of one function, defaults applied. */
export interface AsyncInvokeSpec {
  /** 0–2. */
  readonly maximumRetryAttempts: number;
  /** 60–21600. */
  readonly maximumEventAgeSeconds: number;
  /** Definition name of the standard queue, function or bus (or "default") that gets the record of each success. */
  readonly onSuccess?: string;
  /** Definition name of the standard queue, function or bus (or "default") that gets the record of each failure. */
  readonly onFailure?: string;
  /** Definition name of the standard queue that gets each discarded event. */
  readonly deadLetterQueue?: string;
}

/** A declared permission: IAM actions, and resources as `queue:<name>`, `function:<name>`, ARNs or `*`. */
export interface PermissionSpec {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

export interface ConsumesSpec {
  /** Name in the definition of the queue consumed. */
  readonly queue: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /** Absent means the event source mapping is limited only by the function's concurrency. */
  readonly maxConcurrency?: number;
  readonly reportBatchItemFailures: boolean;
  /**
   * Lambda's filterCriteria: each entry one event pattern as JSON text (a record is delivered
   * when any matches; the others are dropped). Absent means every record.
   */
  readonly filters?: readonly string[];
}

/** A DynamoDB key attribute: its name and scalar type. */
export interface KeyAttributeSpec {
  readonly name: string;
  readonly type: "S" | "N" | "B";
}

/** What DynamoDB writes to a table's stream for each change (StreamViewType). */
export type StreamViewType = "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES";

export interface TableIndexSpec {
  /** The index name (the key under the table's `indexes`). */
  readonly name: string;
  /** `global` (GSI: its own partition key, eventually consistent) or `local` (LSI: the table's partition key). */
  readonly kind: "global" | "local";
  readonly partitionKey: KeyAttributeSpec;
  readonly sortKey?: KeyAttributeSpec;
  /** DynamoDB's Projection: ALL, KEYS_ONLY, or INCLUDE with the named non-key attributes. */
  readonly projection:
    | { readonly type: "ALL" | "KEYS_ONLY" }
    | { readonly type: "INCLUDE"; readonly nonKeyAttributes: readonly string[] };
}

export interface TableSpec {
  /** Name in the definition (the key under `tables`). */
  readonly name: string;
  /** Physical table name: `${app}-${name}` (stage-qualified like every physical name). */
  readonly tableName: string;
  readonly partitionKey: KeyAttributeSpec;
  readonly sortKey?: KeyAttributeSpec;
  /** Global and local secondary indexes by name; empty when none. */
  readonly indexes: Readonly<Record<string, TableIndexSpec>>;
  /** The stream's view type; absent when the table has no stream. */
  readonly stream?: StreamViewType;
  /**
   * The stream's label (AWS's LatestStreamLabel, an ISO-8601 time) when the table was deployed
   * with one (`sluice cloud` keeps the label its CloudFormation provider answered); absent: the
   * engine labels a new stream with the time it is enabled.
   */
  readonly streamLabel?: string;
  /** The attribute holding each item's expiry (epoch seconds); absent when TTL is off. */
  readonly ttlAttribute?: string;
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  /**
   * A global table (DynamoDB global tables, multi-region eventual consistency): one replica in
   * every region of the app, writes replicated between them, last writer wins. Its stream is
   * always NEW_AND_OLD_IMAGES. Absent for a regional table.
   */
  readonly global?: true;
}

/** A Lambda event source mapping on a table's stream, Lambda's defaults applied. */
export interface TableConsumesSpec {
  /** Name in the definition of the table whose stream is consumed. */
  readonly table: string;
  /** 1–10,000; Lambda's default 100. */
  readonly batchSize: number;
  /** 0–300; default 0. */
  readonly maximumBatchingWindowSeconds: number;
  readonly startingPosition: "LATEST" | "TRIM_HORIZON";
  /** -1 (until the record expires) or 0–10,000; default -1. */
  readonly maximumRetryAttempts: number;
  /** -1 (no limit) or 60–604,800; default -1. */
  readonly maximumRecordAgeSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** Concurrent batches per shard, 1–10; default 1. */
  readonly parallelizationFactor: number;
  /** 1–900 seconds when tumbling windows are on; absent when off. */
  readonly tumblingWindowSeconds?: number;
  readonly reportBatchItemFailures: boolean;
  /** Definition name of the standard queue that gets the record of each discarded batch. */
  readonly onFailure?: string;
  /** As ConsumesSpec.filters. */
  readonly filters?: readonly string[];
}

/**
 * `none`: no routing. `targets`: route the result to each named component on success.
 * `function`: the routing function in the definition decides, on success and on error, among
 * `routesTo` when the definition declares it (else among every function, queue and bus).
 */
export type RoutesSpec =
  | { readonly kind: "none" }
  | { readonly kind: "targets"; readonly targets: readonly string[] }
  | { readonly kind: "function"; readonly routesTo?: readonly string[] };

export interface QueueSpec {
  /** Name in the definition (the key under `queues`, or `${source}-dlq` for a generated DLQ). */
  readonly name: string;
  /** Physical queue name: `${app}-${name}`, with `.fifo` for FIFO queues. */
  readonly queueName: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly delaySeconds: number;
  readonly retentionSeconds: number;
  readonly maxMessageSize: number;
  readonly receiveWaitTimeSeconds: number;
  readonly contentBasedDeduplication: boolean;
  readonly deadLetter?: { readonly queue: string; readonly maxReceiveCount: number };
  /** True for a dead-letter queue Sluice created because the definition named none. */
  readonly generated: boolean;
}

/** A target of routing: a function (async invoke, or its queue when it consumes one) or a queue. */
export interface RouteDelivery {
  readonly to: string;
  readonly data: unknown;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  /** Seconds to delay delivery (SQS DelaySeconds), 0–900. */
  readonly delay?: number;
}

/** One S3 event notification, normalised (S3's LambdaFunctionConfiguration or QueueConfiguration). */
export interface BucketNotificationSpec {
  /**
   * S3's configuration Id (`configurationId` in each event record): `<function|queue>-<index>`
   * of the notification in the definition's `events`, stable across deploys.
   */
  readonly id: string;
  /** The destination: a function of the app (asynchronous invocation) or a standard queue, by definition name. */
  readonly target: { readonly kind: "function" | "queue"; readonly name: string };
  /** The event types as written (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ...). */
  readonly events: readonly string[];
  /** Key filter rules; absent when the notification has none. */
  readonly prefix?: string;
  readonly suffix?: string;
}

/** One lifecycle rule in days, S3's unit (validation refuses a duration that is not whole days). */
export interface BucketLifecycleRuleSpec {
  /** `rule-<index>` in the definition's `lifecycle`. */
  readonly id: string;
  /** "" for every object. */
  readonly prefix: string;
  readonly expirationDays?: number;
  readonly noncurrentExpirationDays?: number;
  readonly abortIncompleteUploadDays?: number;
}

export interface BucketCorsRuleSpec {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface BucketSpec {
  /** Name in the definition (the key under `buckets`). */
  readonly name: string;
  /** Physical bucket name (naming.ts physicalBucketName): lowercase, globally unique, ≤ 63 characters. */
  readonly bucketName: string;
  /** Empty when none. */
  readonly notifications: readonly BucketNotificationSpec[];
  /** Send every object event to the default bus. */
  readonly eventBridge: boolean;
  readonly versioning: boolean;
  /** Empty when none. */
  readonly lifecycle: readonly BucketLifecycleRuleSpec[];
  /** Absent when the bucket is not a website. */
  readonly website?: { readonly index: string; readonly error?: string };
  /** Empty when none. */
  readonly cors: readonly BucketCorsRuleSpec[];
}

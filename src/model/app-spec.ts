/**
 * The normalised application: every default applied, every duration in seconds, every name
 * checked. Frozen data only (routing functions stay in the definition module, which is bundled
 * with each function), so `local` and `aws` can both read it without touching user code.
 */
export interface AppSpec {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  readonly queues: Readonly<Record<string, QueueSpec>>;
}

export type Runtime = "nodejs20.x" | "nodejs22.x" | "nodejs24.x";

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
  readonly routes: RoutesSpec;
}

export interface ConsumesSpec {
  /** Name in the definition of the queue consumed. */
  readonly queue: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  /** Absent means the event source mapping is limited only by the function's concurrency. */
  readonly maxConcurrency?: number;
  readonly reportBatchItemFailures: boolean;
}

/**
 * `none`: no routing. `targets`: route the result to each named component on success.
 * `function`: the routing function in the definition decides, on success and on error.
 */
export type RoutesSpec =
  | { readonly kind: "none" }
  | { readonly kind: "targets"; readonly targets: readonly string[] }
  | { readonly kind: "function" };

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

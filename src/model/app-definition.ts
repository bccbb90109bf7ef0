/**
 * What a user writes in `sluice.config.ts`. Names of queues and functions are type parameters,
 * so a routing target or a consumed queue that does not exist is a compile error.
 */
import type { Runtime } from "./app-spec.ts";
import type { Duration } from "./duration.ts";

export interface FunctionDefaults {
  /** @default "nodejs22.x" @example runtime: "nodejs20.x" */
  runtime?: Runtime;
  /** Memory in MB, 128–10240. @default 128 @example memorySize: 256 */
  memorySize?: number;
  /** @default "3 seconds" (Lambda's default) @example timeout: "30 seconds" */
  timeout?: Duration;
  /** Variables set in every function's environment. @default {} */
  environment?: Record<string, string>;
}

export interface QueueDefinition<QueueName extends string = string> {
  /** A FIFO queue: strict order per message group, 5-minute deduplication. @default false */
  fifo?: boolean;
  /** @default "30 seconds" @example visibilityTimeout: "2 minutes" */
  visibilityTimeout?: Duration;
  /** Delay before a new message becomes visible, 0–15 minutes. @default "0 seconds" */
  delay?: Duration;
  /** How long a message is kept, 1 minute–14 days. @default "4 days" */
  retention?: Duration;
  /** Largest message in bytes, 1024–1048576. @default 1048576 */
  maxMessageSize?: number;
  /** Long-poll wait for receives that ask for none, 0–20 seconds. @default "0 seconds" */
  receiveWaitTime?: Duration;
  /** FIFO only: deduplicate by a SHA-256 of the body. @default false */
  contentBasedDeduplication?: boolean;
  /**
   * Move a message to a dead-letter queue after it was received `maxReceiveCount` times.
   * Without `queue`, Sluice creates `<name>-dlq` (FIFO when this queue is).
   * @default no dead-letter queue
   * @example deadLetter: { maxReceiveCount: 3 }
   */
  deadLetter?: { maxReceiveCount: number; queue?: QueueName };
}

export interface ConsumesDefinition<QueueName extends string = string> {
  /** The queue this function's event source mapping polls. */
  queue: QueueName;
  /** Records per invocation, 1–10 (FIFO) or 1–10000 (standard). @default 10 */
  batchSize?: number;
  /** How long to gather records before invoking, 0–5 minutes. @default "0 seconds" */
  maximumBatchingWindow?: Duration;
  /** Concurrent invocations this mapping may make, 2–1000. @default limited by the function only */
  maxConcurrency?: number;
  /** Let the handler return `{ batchItemFailures }` to retry only failed records. @default false */
  reportBatchItemFailures?: boolean;
}

/** One delivery a routing function asks for. */
export interface Route<Target extends string = string> {
  to: Target;
  data: unknown;
  /** Message group of a FIFO target queue. */
  groupId?: string;
  /** Deduplication id for a FIFO target queue without content-based deduplication. */
  deduplicationId?: string;
  /** Seconds, 0–900, before the message becomes visible. */
  delay?: number;
}

export type RoutingFunction<Target extends string = string> = (
  error: Error | null,
  // biome-ignore lint/suspicious/noExplicitAny: a handler's result has whatever shape the user's code gives it.
  result: any,
) => Route<Target>[];

export type Routes<Target extends string = string> = Target | readonly Target[] | RoutingFunction<Target>;

export interface FunctionDefinition<Target extends string = string, QueueName extends string = string>
  extends FunctionDefaults {
  /** `path/to/module.export`, relative to the app root. @example handler: "src/ingest.handler" */
  handler: string;
  /** Caps the function's concurrent environments, 0–account limit. @default unreserved */
  reservedConcurrency?: number;
  /** @default none */
  description?: string;
  /** Take input from a queue through an event source mapping. @default invoked directly */
  consumes?: ConsumesDefinition<QueueName>;
  /**
   * Where the result goes: a component name, a list of names (both on success only), or a
   * function of `(error, result)` that is also called on error.
   * @default the result goes nowhere
   * @example routes: "publish"
   */
  routes?: Routes<Target>;
}

export interface AppDefinition<QueueName extends string = string, FunctionName extends string = string> {
  /** Application name: letters, digits and hyphens; prefixes every physical name. */
  name: string;
  /** @default "us-east-1" */
  region?: string;
  defaults?: FunctionDefaults;
  queues?: Record<QueueName, QueueDefinition<NoInfer<QueueName>>>;
  functions: Record<FunctionName, FunctionDefinition<NoInfer<FunctionName | QueueName>, NoInfer<QueueName>>>;
}

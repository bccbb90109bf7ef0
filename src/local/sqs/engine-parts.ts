/**
 * The pieces every SQS operation shares: one database, one clock, the queue registry, the message
 * tables and the waiters of long polls. The operation files each take these rather than the service,
 * so none of them reaches into another's state.
 */
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import type { Tracer } from "../traces/index.ts";
import type { MessageStore } from "./message-store.ts";
import type { QueueRegistry } from "./queue-registry.ts";
import type { QueueWaiters } from "./waiters.ts";

export interface EngineParts {
  readonly db: Db;
  readonly clock: Clock;
  readonly registry: QueueRegistry;
  readonly store: MessageStore;
  readonly waiters: QueueWaiters;
  /** The ARN of a queue by its physical name. */
  readonly arn: (queueName: string) => string;
  /** Records the `send` and `dead-letter` hops (issue 20). */
  readonly tracer: Tracer;
}

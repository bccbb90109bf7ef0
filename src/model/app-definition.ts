/**
 * What a user writes in `sluice.config.ts`. Names of queues and functions are type parameters,
 * so a routing target or a consumed queue that does not exist is a compile error.
 */
import type { Runtime } from "./app-spec.ts";
import type { BucketDefinition } from "./buckets.ts";
import type { Duration } from "./duration.ts";
import type { BusDefinition, RuleDefinition } from "./events-definition.ts";
import type { DomainDefinition, RegionsDefinition } from "./failover.ts";
import type { ApiDefinition, HealthDefinition, HttpRouteKey } from "./http-api.ts";
import type { ServerDefinition } from "./servers.ts";
import type { StateMachineDefinition } from "./state-machines.ts";
import type { TableConsumesDefinition, TableDefinition } from "./tables.ts";
import type { WebSocketDefinition } from "./websocket-api.ts";

export interface FunctionDefaults {
  /**
   * The Lambda runtime; `nodejs20.x` is refused (Lambda blocks creating it since 2026-08-31).
   * @default "nodejs24.x" @example runtime: "nodejs22.x"
   */
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
  /** A function consumes a queue or a table's stream, never both. */
  table?: never;
  /** Records per invocation, 1–10 (FIFO) or 1–10000 (standard). @default 10 */
  batchSize?: number;
  /** How long to gather records before invoking, 0–5 minutes. @default "0 seconds" */
  maximumBatchingWindow?: Duration;
  /** Concurrent invocations this mapping may make, 2–1000. @default limited by the function only */
  maxConcurrency?: number;
  /** Let the handler return `{ batchItemFailures }` to retry only failed records. @default false */
  reportBatchItemFailures?: boolean;
  /**
   * Lambda's filterCriteria: up to 5 event patterns on the SQS record (a JSON body is matched as
   * `body`); a message is delivered when any matches, and deleted otherwise.
   * @default every message
   * @example filters: [{ body: { kind: ["order"] } }]
   */
  filters?: readonly Record<string, unknown>[];
}

/**
 * One delivery a routing function asks for. Into a FIFO queue (`Fifo`) it must say its group:
 * SendMessage requires a MessageGroupId there.
 */
export type Route<Target extends string = string, Fifo extends string = never> =
  | (RouteFields & { to: Exclude<Target, Fifo>; groupId?: string })
  | (RouteFields & {
      to: Fifo;
      /** Message group of a FIFO target queue: messages of one group are delivered in order. */
      groupId: string;
    });

interface RouteFields {
  data: unknown;
  /** Deduplication id for a FIFO target queue without content-based deduplication. */
  deduplicationId?: string;
  /** Seconds, 0–900, before the message becomes visible. */
  delay?: number;
}

/**
 * Decides where a result goes, on success and on error. The result is `unknown` until you say its
 * type (`(error, result: Crawl) => ...`): with `any`, `result.pages.map(...)` would be `any` too and
 * the names returned in `to` would escape the type check that string routes get.
 */
export type RoutingFunction<Target extends string = string, Fifo extends string = never> = {
  // A method's parameters are bivariant: that is what lets `result` be annotated with the handler's type.
  route(error: Error | null, result: unknown): Route<Target, Fifo>[];
}["route"];

/**
 * An IAM action: a service prefix and an action name, as in IAM policies (`sqs:SendMessage`,
 * `lambda:InvokeFunction`). IAM's `*` and `?` wildcards are allowed but warned about.
 */
export type IamAction = `${string}:${string}` | "*";

/**
 * What a permission applies to: a queue, function, event bus, table or bucket of this app by its
 * definition name (`queue:renders`, `function:publish`, `bus:orders`, `bus:default`,
 * `table:games`, which covers the table's indexes and stream, `bucket:content`, the bucket and
 * all its objects, `bucket:content/posts/*`, the objects under a prefix, `stateMachine:query`, the
 * state machine and its executions), which Sluice turns into
 * the ARNs of the stage it deploys; an ARN of something outside the app; or `*`.
 */
export type PermissionResource<
  QueueName extends string = string,
  FunctionName extends string = string,
  BusName extends string = string,
  TableName extends string = string,
  BucketName extends string = string,
  StateMachineName extends string = string,
> =
  | `queue:${QueueName}`
  | `stateMachine:${StateMachineName}`
  | `table:${TableName}`
  | `bucket:${BucketName}`
  | `bucket:${BucketName}/${string}`
  | `queue:${QueueName}-dlq`
  | `function:${FunctionName}`
  | `bus:${BusName | "default"}`
  | `arn:${string}`
  | "*";

/** One statement of a function's IAM policy, beyond what its wiring already grants. */
export interface Permission<
  QueueName extends string = string,
  FunctionName extends string = string,
  BusName extends string = string,
  TableName extends string = string,
  BucketName extends string = string,
  StateMachineName extends string = string,
> {
  /** @example actions: ["sqs:SendMessage"] */
  actions: readonly IamAction[];
  /**
   * @example resources: ["queue:audit"]
   * @example resources: ["bucket:content/posts/*"]
   */
  resources: readonly PermissionResource<
    QueueName,
    FunctionName,
    BusName,
    TableName,
    BucketName,
    StateMachineName
  >[];
}

/** A name or list cannot give a FIFO queue's group, so FIFO queues are reachable from a routing function only. */
export type Routes<Target extends string = string, Fifo extends string = never> =
  | Exclude<Target, Fifo>
  | readonly Exclude<Target, Fifo>[]
  | RoutingFunction<Target, Fifo>;

export interface FunctionDefinition<
  Target extends string = string,
  QueueName extends string = string,
  BusName extends string = string,
  /** The app's FIFO queues: a route there needs a groupId. */
  FifoName extends string = never,
  TableName extends string = string,
  BucketName extends string = string,
  StateMachineName extends string = string,
> extends FunctionDefaults {
  /** `path/to/module.export`, relative to the app root. @example handler: "src/ingest.handler" */
  handler: string;
  /** Caps the function's concurrent environments, 0–account limit. @default unreserved */
  reservedConcurrency?: number;
  /** @default none */
  description?: string;
  /**
   * Take input from a queue, or from a table's stream, through an event source mapping.
   * @default invoked directly
   * @example consumes: { queue: "jobs" }
   * @example consumes: { table: "games", startingPosition: "LATEST", onFailure: "failed-batches" }
   */
  consumes?: ConsumesDefinition<QueueName> | TableConsumesDefinition<TableName, QueueName>;
  /**
   * Where the result goes: a component name, a list of names (both on success only), or a
   * function of `(error, result)` that is also called on error. A state machine's name starts an
   * execution of it with the result as its input.
   * @default the result goes nowhere
   * @example routes: "publish"
   */
  routes?: Routes<Target, FifoName>;
  /**
   * Where a routing function may send: the only queues, functions and buses its IAM role may
   * reach, the edges `sluice describe` draws, and, locally, a route to any other name fails the
   * delivery. Only with a routing function (names and lists already say where they go).
   * @default every function, queue and bus of the app (`sluice synth` warns about that role)
   * @example routesTo: ["render", "failures"]
   */
  routesTo?: readonly Target[];
  /**
   * What the function's own AWS SDK calls may do, beyond what its wiring grants (its queue, its
   * routes, its logs). The same statements become its IAM role on deploy; `sluice dev --iam
   * enforce` checks every call a function makes to the local endpoint against them.
   * @default none: the function may use only what its wiring grants
   * @example permissions: [{ actions: ["sqs:SendMessage"], resources: ["queue:audit"] }]
   * @example permissions: [{ actions: ["events:PutEvents"], resources: ["bus:orders"] }]
   * @example permissions: [{ actions: ["s3:GetObject", "s3:PutObject"], resources: ["bucket:content"] }]
   * @example permissions: [{ actions: ["states:SendTaskSuccess"], resources: ["stateMachine:query"] }]
   */
  permissions?: readonly Permission<
    QueueName,
    Exclude<Target, QueueName | BusName | StateMachineName>,
    BusName,
    TableName,
    BucketName,
    StateMachineName
  >[];
  /**
   * HTTP API routes this function serves: a route key or a list of them.
   * @default no HTTP routes
   * @example http: ["GET /items/{id}", "POST /items"]
   */
  http?: HttpRouteKey | readonly HttpRouteKey[];
  /**
   * A built-in `GET` health check route, answered by the function itself (shallow) or after its
   * dependency check (deep), protected by a health-checker id. `true` takes every default.
   * @default no health check
   * @example health: { path: "/health", deepCheck: "checkDependencies", deepPercent: 20 }
   */
  health?: true | HealthDefinition;
  /**
   * How Lambda handles this function's asynchronous invocations (routing, `sluice invoke --async`,
   * Invoke with `Event`): retries, how long an event may wait, and where records of the outcome go.
   * @default 2 retries, events kept up to 6 hours, no destinations, no dead-letter queue
   * @example async: { maximumRetryAttempts: 0, onFailure: "failures" }
   */
  async?: AsyncInvokeDefinition<Target, QueueName>;
  /**
   * Execution environments Lambda initialises ahead of time (on the `live` alias when deployed):
   * a fixed number, or scheduled scaling actions as Application Auto Scaling runs them. Never
   * more than `reservedConcurrency` when both are set.
   * @default none: every environment starts cold on demand
   * @example provisionedConcurrency: { schedule: [{ expression: "cron(45 11 * * ? *)", capacity: 250 }, { expression: "cron(15 13 * * ? *)", capacity: 0 }] }
   */
  provisionedConcurrency?: number | ProvisionedConcurrencyDefinition;
}

/** Scheduled scaling of provisioned concurrency. */
export interface ProvisionedConcurrencyDefinition {
  /**
   * Actions that set the capacity when their expression falls due; before the first, it is 0.
   * @example schedule: [{ expression: "cron(45 11 * * ? *)", capacity: 250 }]
   */
  schedule: readonly {
    expression: string;
    capacity: number;
    /** @default "UTC" */
    timezone?: string;
  }[];
}

/** An EventBridge Scheduler schedule. */
export interface ScheduleDefinition<
  FunctionName extends string = string,
  QueueName extends string = string,
  BusName extends string = string,
> {
  /** `rate(...)`, `cron(...)` (AWS's six fields) or `at(yyyy-mm-ddThh:mm:ss)`. @example expression: "cron(0 2 * * ? *)" */
  expression: string;
  /** IANA time zone the expression is read in. @default "UTC" @example timezone: "Europe/London" */
  timezone?: string;
  /**
   * What it delivers to, and the JSON it sends (EventBridge Scheduler sends `input` as-is).
   * @example target: { function: "report", input: { kind: "daily" } }
   */
  target: (
    | { function: FunctionName; queue?: never; bus?: never }
    | { queue: QueueName; function?: never; bus?: never }
    | { bus: BusName | "default"; function?: never; queue?: never }
  ) & { /** @default {} */ input?: unknown };
  /** @default true */
  enabled?: boolean;
}

/** Lambda's asynchronous invocation settings (its EventInvokeConfig and DeadLetterConfig). */
export interface AsyncInvokeDefinition<Target extends string = string, QueueName extends string = string> {
  /**
   * Retries after a function error, 0–2: the first a minute after the failure, the second two
   * minutes after that. Throttles are retried apart from these, within the event's maximum age.
   * @default 2
   * @example maximumRetryAttempts: 0
   */
  maximumRetryAttempts?: 0 | 1 | 2;
  /**
   * How long Lambda keeps an event before it discards it, "1 minute" to "6 hours".
   * @default "6 hours"
   * @example maximumEventAge: "1 hour"
   */
  maximumEventAge?: Duration;
  /**
   * A standard queue, a function or an event bus (one of the app's, or "default") that receives
   * Lambda's invocation record of each success; on a bus it is the detail of a `lambda` event.
   * @default none
   * @example onSuccess: "audit"
   */
  onSuccess?: Target | "default";
  /**
   * A standard queue, a function or an event bus (one of the app's, or "default") that receives
   * Lambda's invocation record of each event that failed every attempt or grew older than its
   * maximum age.
   * @default none
   * @example onFailure: "failures"
   */
  onFailure?: Target | "default";
  /**
   * A standard queue that receives each discarded event as it was sent, with Lambda's RequestID,
   * ErrorCode and ErrorMessage message attributes.
   * @default none
   * @example deadLetter: "async-dlq"
   */
  deadLetter?: QueueName;
}

export interface AppDefinition<
  QueueName extends string = string,
  FunctionName extends string = string,
  BusName extends string = string,
  /** Which of the queues are FIFO (`defineApp` reads it from each queue's `fifo: true`). */
  FifoName extends string = never,
  TableName extends string = string,
  BucketName extends string = string,
  StateMachineName extends string = string,
> {
  /** Application name: letters, digits and hyphens; prefixes every physical name. */
  name: string;
  /** @default "us-east-1" (the primary of `regions` when that is given) */
  region?: string;
  /**
   * Several regions, each running the whole app: `sluice dev` runs one local cloud per region,
   * `sluice deploy` deploys them all (and, with a `domain`, the Route 53 records between them).
   * @default the one region `region`
   * @example regions: { primary: "us-east-1", secondary: ["us-west-2"] }
   */
  regions?: RegionsDefinition;
  /**
   * The API's custom domain in every region, with Route 53 failover or latency routing on the
   * health checks of a function's `health.route53`.
   * @default no custom domain
   * @example domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" }
   */
  domain?: DomainDefinition;
  defaults?: FunctionDefaults;
  queues?: Record<QueueName, QueueDefinition<NoInfer<QueueName>>>;
  /**
   * DynamoDB tables: keys, indexes, stream and TTL. A function reads or writes one through
   * `permissions` (`table:<name>`) and consumes its stream with `consumes: { table }`.
   * @default none
   * @example tables: { games: { partitionKey: { name: "pk", type: "S" }, stream: "NEW_AND_OLD_IMAGES" } }
   */
  tables?: Record<TableName, TableDefinition>;
  /**
   * S3 buckets (letters, digits and hyphens; physical names are lowercase and end with the account
   * and region): object events to functions and standard queues, EventBridge notifications,
   * versioning, lifecycle, website and CORS. A function reads or writes one through
   * `permissions` (`bucket:<name>`, `bucket:<name>/<prefix>*`).
   * @default none
   * @example buckets: { content: { events: [{ function: "render", on: ["s3:ObjectCreated:*"], suffix: ".md" }] } }
   */
  buckets?: Record<
    BucketName,
    BucketDefinition<NoInfer<FunctionName>, NoInfer<Exclude<QueueName, FifoName>>>
  >;
  /**
   * Step Functions state machines: an Amazon States Language document (a file relative to the app
   * root, or the object), whose tasks name the app's functions, queues, buses, tables, buckets and
   * state machines by their names. A function starts one through `routes`, or with `permissions`
   * on `stateMachine:<name>`.
   * @default none
   * @example stateMachines: { query: { definition: "src/query.asl.json" } }
   */
  /**
   * Server fleets that serve some of the functions beside Lambda with the same bundles
   * (`sluice serve`): EC2 or Fargate behind a load balancer, optionally the API's failover.
   * @example servers: { web: { functions: ["api"], instanceType: "t4g.small", minSize: 2, role: "failover" } }
   */
  servers?: Record<string, ServerDefinition<FunctionName>>;
  stateMachines?: Record<StateMachineName, StateMachineDefinition>;
  functions: Record<
    FunctionName,
    FunctionDefinition<
      NoInfer<FunctionName | QueueName | BusName | StateMachineName>,
      NoInfer<QueueName>,
      NoInfer<BusName>,
      NoInfer<FifoName>,
      NoInfer<TableName>,
      NoInfer<BucketName>,
      NoInfer<StateMachineName>
    >
  >;
  /** The HTTP API's stage, payload format and CORS. @default stage "$default", format "2.0", no CORS */
  api?: ApiDefinition;
  /**
   * A WebSocket API: routes from `$connect`, `$disconnect`, `$default` and custom keys to functions.
   * @default no WebSocket API
   * @example websocket: { routes: { $connect: "connect", $default: "echo" } }
   */
  websocket?: WebSocketDefinition<NoInfer<FunctionName>>;
  /**
   * EventBridge buses of this app, besides the `default` bus that always exists.
   * @default none
   * @example buses: { orders: { description: "Order lifecycle events" } }
   */
  buses?: Record<BusName, BusDefinition>;
  /**
   * EventBridge rules: a pattern on a bus, and up to 5 targets (functions, queues, buses).
   * @default none
   * @example rules: { bill: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }] } }
   */
  rules?: Record<string, RuleDefinition<NoInfer<FunctionName>, NoInfer<QueueName>, NoInfer<BusName>>>;
  /**
   * EventBridge Scheduler schedules that invoke a function, send to a queue or put on a bus.
   * @default no schedules
   * @example schedules: { nightly: { expression: "cron(0 2 * * ? *)", target: { function: "report" } } }
   */
  schedules?: Record<string, ScheduleDefinition<NoInfer<FunctionName>, NoInfer<QueueName>, NoInfer<BusName>>>;
}

/** The names of the queues whose definition says `fifo: true`. */
export type FifoQueueNames<Queues> = {
  [K in keyof Queues]: Queues[K] extends { fifo: true } ? K : never;
}[keyof Queues] &
  string;

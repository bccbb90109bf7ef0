/**
 * What a user writes for EventBridge in `sluice.config.ts`: buses, and rules that match events on
 * a bus and deliver them to functions, queues or other buses.
 */
import type { Duration } from "./duration.ts";

/** An event bus of this app (`<app>-<name>` on AWS). The `default` bus always exists. */
export interface BusDefinition {
  /** @default none @example description: "Order lifecycle events" */
  description?: string;
}

/** EventBridge's InputTransformer: values picked from the event, put into a template. */
export interface InputTransformerDefinition {
  /**
   * Names for JSON paths into the event, up to 100. @default {}
   * @example inputPathsMap: { id: "$.detail.id" }
   */
  inputPathsMap?: Record<string, string>;
  /** Text or JSON with `<name>` placeholders. @example inputTemplate: '{"order": <id>}' */
  inputTemplate: string;
}

/** How EventBridge retries a target it could not deliver to. */
export interface EventRetryPolicyDefinition {
  /** Retries, 0–185. @default 185 @example maximumRetryAttempts: 3 */
  maximumRetryAttempts?: number;
  /** How long an event may wait for delivery, "1 minute" to "24 hours". @default "24 hours" */
  maximumEventAge?: Duration;
}

/** Options every kind of target has. At most one of `input`, `inputPath`, `inputTransformer`. */
export interface EventTargetOptions<QueueName extends string = string> {
  /** A constant the target gets instead of the event (sent as JSON). @default the whole event */
  input?: unknown;
  /** A JSON path: the target gets that part of the event. @default the whole event @example inputPath: "$.detail" */
  inputPath?: string;
  /** @default the whole event */
  inputTransformer?: InputTransformerDefinition;
  /** @default 185 retries within 24 hours */
  retryPolicy?: EventRetryPolicyDefinition;
  /**
   * A standard queue that gets each event the target could not take, with EventBridge's
   * ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS, RULE_ARN and TARGET_ARN.
   * @default none: such events are dropped (and counted)
   */
  deadLetter?: QueueName;
}

/** A rule's target: a function (invoked asynchronously), a queue, or another bus. */
export type EventTargetDefinition<
  FunctionName extends string = string,
  QueueName extends string = string,
  BusName extends string = string,
> = (
  | { function: FunctionName; queue?: never; bus?: never; messageGroupId?: never }
  | {
      queue: QueueName;
      function?: never;
      bus?: never;
      /**
       * The message group each event's message joins (EventBridge's `SqsParameters`). A FIFO queue
       * target needs one (and the queue needs `contentBasedDeduplication: true`, as EventBridge
       * sends no deduplication id): its events arrive in order within the group. On a standard
       * queue it names a fair-queue tenant.
       * @default FIFO queue: the rule's name; standard queue: none
       * @example messageGroupId: "orders"
       */
      messageGroupId?: string;
    }
  | { bus: BusName | "default"; function?: never; queue?: never; messageGroupId?: never }
) &
  EventTargetOptions<QueueName>;

export interface RuleDefinition<
  FunctionName extends string = string,
  QueueName extends string = string,
  BusName extends string = string,
> {
  /** The bus whose events the rule matches. @default "default" */
  bus?: BusName | "default";
  /** @default none */
  description?: string;
  /**
   * An EventBridge event pattern, checked when the definition loads.
   * @example pattern: { source: ["shop"], "detail-type": ["order placed"] }
   */
  pattern: Record<string, unknown>;
  /** 1–5 targets. @example targets: [{ function: "bill" }, { queue: "audit" }] */
  targets: readonly EventTargetDefinition<FunctionName, QueueName, BusName>[];
}

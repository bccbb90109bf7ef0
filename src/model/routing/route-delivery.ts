/**
 * What one route delivers, decided once for both transports: the local router and the AWS SDK
 * transport only translate a `RouteSend` into a local call or an SDK command. The target (queue,
 * function or bus) comes from route-targets.ts; this module adds the message rules: the body, the
 * FIFO group (the route's `groupId`, which a FIFO target requires, as SendMessage does), the
 * deduplication id (`<requestId>-<index>`, unless the route names one or the queue deduplicates by
 * content), the bus event and the execution a state machine starts.
 * Self-contained, because the runtime bundles it into every function.
 */
import type { RouteDelivery } from "../app-spec.ts";
import { type RouteEvent, routeEvent } from "./bus-event.ts";
import type {
  BusRouteTarget,
  FunctionRouteTarget,
  QueueRouteTarget,
  RouteTarget,
  StateMachineRouteTarget,
} from "./route-targets.ts";

/** Where a delivery sits: the invocation whose result is routed, and the route's position in it. */
export interface RoutePosition {
  /** The routing function's name in the definition. */
  readonly from: string;
  /** The invocation's request id: with the index, a stable deduplication id for FIFO targets. */
  readonly requestId: string;
  readonly index: number;
}

/** SendMessage's parameters in SQS's words, without the queue URL each transport resolves. */
export interface RouteMessage {
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
}

/**
 * A delivery refused before it is sent, with the code and message SendMessage would answer, so
 * the local router and the AWS transport fail it alike. Self-contained like the rest of this file.
 */
export class RouteRefusedError extends Error {
  override readonly name = "RouteRefusedError";
  constructor(
    /** SQS's error code, e.g. `MissingParameter`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * StartExecution's parameters in Step Functions' words, without the ARN each transport resolves:
 * the routed data as the execution's JSON input, and `<requestId>-<index>` as its name, so a
 * retried invocation (same request id) does not start a second execution: StartExecution is
 * idempotent for a STANDARD execution of the same name and input
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
export interface RouteExecution {
  readonly input: string;
  readonly name: string;
}

export type RouteSend =
  | {
      readonly kind: "stateMachine";
      readonly target: StateMachineRouteTarget;
      readonly execution: RouteExecution;
    }
  | { readonly kind: "queue"; readonly target: QueueRouteTarget; readonly message: RouteMessage }
  | { readonly kind: "function"; readonly target: FunctionRouteTarget; readonly payload: string }
  | { readonly kind: "bus"; readonly target: BusRouteTarget; readonly event: RouteEvent };

export function decideDelivery(target: RouteTarget, delivery: RouteDelivery, at: RoutePosition): RouteSend {
  if (target.kind === "bus") {
    return { kind: "bus", target, event: routeEvent(target.sourcePrefix, at.from, delivery.data) };
  }
  const body = JSON.stringify(delivery.data ?? null);
  if (target.kind === "function") return { kind: "function", target, payload: body };
  if (target.kind === "stateMachine") {
    return { kind: "stateMachine", target, execution: { input: body, name: `${at.requestId}-${at.index}` } };
  }
  return { kind: "queue", target, message: routeMessage(target, delivery, body, at) };
}

function routeMessage(
  target: QueueRouteTarget,
  delivery: RouteDelivery,
  body: string,
  at: RoutePosition,
): RouteMessage {
  // A delay is passed on to FIFO queues too: SendMessage refuses it there, so the route fails loudly.
  const delay = delivery.delay === undefined ? {} : { DelaySeconds: delivery.delay };
  if (!target.fifo) return { MessageBody: body, ...delay };
  const deduplicationId =
    delivery.deduplicationId ??
    (target.contentBasedDeduplication ? undefined : `${at.requestId}-${at.index}`);
  // A default group (once the sender's name) would serialise every message the sender routes;
  // SendMessage refuses a FIFO message without a group, and so does a route.
  if (delivery.groupId === undefined) throw missingGroup(target, delivery, at);
  return {
    MessageBody: body,
    ...delay,
    MessageGroupId: delivery.groupId,
    ...(deduplicationId === undefined ? {} : { MessageDeduplicationId: deduplicationId }),
  };
}

function missingGroup(
  target: QueueRouteTarget,
  delivery: RouteDelivery,
  at: RoutePosition,
): RouteRefusedError {
  const through =
    delivery.to === target.queue ? "" : ` (through the FIFO queue "${target.queue}" it consumes)`;
  return new RouteRefusedError(
    "MissingParameter",
    `The request must contain the parameter MessageGroupId. ${at.from} routed to "${delivery.to}"${through} ` +
      `without a groupId (route ${at.index}); return { to: "${delivery.to}", data, groupId } from its routing function, ` +
      "e.g. groupId: the customer or site whose messages must stay in order",
  );
}

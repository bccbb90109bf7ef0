/**
 * What one route delivers, decided once for both transports: the local router and the AWS SDK
 * transport only translate a `RouteSend` into a local call or an SDK command. The target (queue,
 * function or bus) comes from route-targets.ts; this module adds the message rules: the body, the
 * FIFO group (the sender, unless the route names one), the deduplication id (`<requestId>-<index>`,
 * unless the route names one or the queue deduplicates by content) and the bus event.
 * Self-contained, because the runtime bundles it into every function.
 */
import type { RouteDelivery } from "../app-spec.ts";
import { type RouteEvent, routeEvent } from "./bus-event.ts";
import type { BusRouteTarget, FunctionRouteTarget, QueueRouteTarget, RouteTarget } from "./route-targets.ts";

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

export type RouteSend =
  | { readonly kind: "queue"; readonly target: QueueRouteTarget; readonly message: RouteMessage }
  | { readonly kind: "function"; readonly target: FunctionRouteTarget; readonly payload: string }
  | { readonly kind: "bus"; readonly target: BusRouteTarget; readonly event: RouteEvent };

export function decideDelivery(target: RouteTarget, delivery: RouteDelivery, at: RoutePosition): RouteSend {
  if (target.kind === "bus") {
    return { kind: "bus", target, event: routeEvent(target.sourcePrefix, at.from, delivery.data) };
  }
  const body = JSON.stringify(delivery.data ?? null);
  if (target.kind === "function") return { kind: "function", target, payload: body };
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
  return {
    MessageBody: body,
    ...delay,
    // A name or list route cannot say a group: order per sending component is the useful default.
    MessageGroupId: delivery.groupId ?? at.from,
    ...(deduplicationId === undefined ? {} : { MessageDeduplicationId: deduplicationId }),
  };
}

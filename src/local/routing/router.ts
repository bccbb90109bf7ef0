import type { AppSpec, QueueSpec, RouteDelivery } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import { physicalBusName } from "../../model/events.ts";
import { routeEventEntry } from "../../model/route-to-bus.ts";
import type { QueueService } from "../sqs/types.ts";

/** Accepts an asynchronous invocation durably (Lambda's internal queue for `Event` invokes). */
export interface AsyncInvoker {
  enqueue(functionName: string, payload: string): { requestId: string };
}

/** PutEvents on the local EventBridge (the bus service). */
export interface EventPutter {
  putEvents(entries: readonly object[]): {
    readonly FailedEntryCount: number;
    readonly Entries: readonly ({ readonly ErrorCode?: string; readonly ErrorMessage?: string } | object)[];
  };
}

export interface DeliveryContext {
  /** The component whose result is routed. */
  readonly from: string;
  /** Its invocation's request id: with the index, a stable deduplication id for FIFO targets. */
  readonly requestId: string;
}

/**
 * Delivers what a routing wrapper asked for. A component that consumes a queue gets its input
 * through that queue (durable, retried); any other function is invoked asynchronously; a queue
 * name sends to that queue. Names and lists are checked at load; a routing function's targets
 * only when it runs, so an unknown one fails the delivery with SLUICE_UNKNOWN_ROUTE_TARGET.
 */
export class Router {
  constructor(
    private readonly spec: AppSpec,
    private readonly sqs: QueueService,
    private readonly asyncInvoker: AsyncInvoker,
    private readonly bus?: EventPutter,
  ) {}

  deliver(deliveries: readonly RouteDelivery[], context: DeliveryContext): void {
    for (const [index, delivery] of deliveries.entries()) this.deliverOne(delivery, index, context);
  }

  private deliverOne(delivery: RouteDelivery, index: number, context: DeliveryContext): void {
    if (this.spec.events?.buses[delivery.to] && this.bus) {
      this.putOnBus(delivery, context.from);
      return;
    }
    const body = JSON.stringify(delivery.data ?? null);
    const queue = this.queueFor(delivery.to, context.from);
    if (queue === undefined) {
      this.asyncInvoker.enqueue(delivery.to, body);
      return;
    }
    this.sqs.sendMessage(queue.name, {
      body,
      // FIFO queues refuse a per-message delay, as SendMessage on AWS does: the route fails loudly.
      ...(delivery.delay !== undefined ? { delaySeconds: delivery.delay } : {}),
      ...(queue.fifo
        ? {
            // A name or list route cannot say a group: order per sending component is the useful default.
            messageGroupId: delivery.groupId ?? context.from,
            ...(queue.contentBasedDeduplication && delivery.deduplicationId === undefined
              ? {}
              : { messageDeduplicationId: delivery.deduplicationId ?? `${context.requestId}-${index}` }),
          }
        : {}),
    });
  }

  /** A route to a bus is a PutEvents of the routed data (model/route-to-bus.ts says the event). */
  private putOnBus(delivery: RouteDelivery, from: string): void {
    const entry = routeEventEntry(
      `sluice.${this.spec.name}.`,
      from,
      physicalBusName(this.spec.name, delivery.to),
      delivery.data,
    );
    const result = this.bus?.putEvents([entry]);
    const failed = result?.Entries[0] as { ErrorCode?: string; ErrorMessage?: string } | undefined;
    if (result && result.FailedEntryCount > 0) {
      throw new SluiceError(
        "SLUICE_ROUTE_PUT_EVENTS_FAILED",
        `${from} routed to bus "${delivery.to}" and PutEvents refused it: ${failed?.ErrorCode}: ${failed?.ErrorMessage}`,
        { context: { from, target: delivery.to } },
      );
    }
  }

  /**
   * The queue a delivery goes through, or undefined for a function invoked asynchronously. A routing
   * function's targets are only known when it runs, so an unknown one is the user's error here.
   */
  private queueFor(target: string, from: string): QueueSpec | undefined {
    const fn = this.spec.functions[target];
    const name = fn ? fn.consumes?.queue : target;
    if (name === undefined) return undefined;
    const known = this.spec.queues[name];
    if (known) return known;
    try {
      return this.sqs.getQueue(name);
    } catch (error) {
      if ((error as { code?: string }).code === "QueueDoesNotExist")
        throw unknownTarget(target, from, this.spec);
      throw error;
    }
  }
}

function unknownTarget(target: string, from: string, spec: AppSpec): SluiceError {
  const names = [...Object.keys(spec.functions), ...Object.keys(spec.queues)];
  return new SluiceError(
    "SLUICE_UNKNOWN_ROUTE_TARGET",
    `${from} routed to "${target}", which is neither a function nor a queue of ${spec.name} ` +
      `(it has: ${names.join(", ") || "nothing"}); route to one of those names or add "${target}" to the definition`,
    {
      context: { from, target },
    },
  );
}

import type { AppSpec, QueueSpec, RouteDelivery } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import type { QueueService } from "../sqs/types.ts";

/** Accepts an asynchronous invocation durably (Lambda's internal queue for `Event` invokes). */
export interface AsyncInvoker {
  enqueue(functionName: string, payload: string): { requestId: string };
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
  ) {}

  deliver(deliveries: readonly RouteDelivery[], context: DeliveryContext): void {
    for (const [index, delivery] of deliveries.entries()) this.deliverOne(delivery, index, context);
  }

  private deliverOne(delivery: RouteDelivery, index: number, context: DeliveryContext): void {
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

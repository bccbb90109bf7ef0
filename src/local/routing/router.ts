import type { AppSpec, RouteDelivery } from "../../model/app-spec.ts";
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
 * name sends to that queue. Unknown names are impossible after validation, so they are bugs.
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
    const queueName = this.queueFor(delivery.to);
    if (queueName === undefined) {
      const fn = this.spec.functions[delivery.to];
      if (!fn) throw unknownTarget(delivery.to, context.from);
      this.asyncInvoker.enqueue(fn.name, body);
      return;
    }
    const queue = this.spec.queues[queueName] ?? this.sqs.getQueue(queueName);
    this.sqs.sendMessage(queue.name, {
      body,
      ...(delivery.delay !== undefined && !queue.fifo ? { delaySeconds: delivery.delay } : {}),
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

  private queueFor(target: string): string | undefined {
    const fn = this.spec.functions[target];
    if (fn) return fn.consumes?.queue;
    return target;
  }
}

function unknownTarget(target: string, from: string): SluiceError {
  return new SluiceError(
    "SLUICE_UNKNOWN_ROUTE_TARGET",
    `${from} routed to "${target}", which is neither a function nor a queue`,
    {
      context: { from, target },
    },
  );
}

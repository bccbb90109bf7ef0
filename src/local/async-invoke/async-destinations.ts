/**
 * Sends what an asynchronous invocation leaves behind: the invocation record to an on-success or
 * on-failure destination (a function, invoked asynchronously, or a standard queue), and the event
 * itself to a dead-letter queue. A delivery that fails is reported, never retried, as on AWS
 * (DestinationDeliveryFailures and DeadLetterErrors count them there).
 */
import type { AsyncInvokeSpec } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import type { MessageAttributes, QueueService } from "../sqs/types.ts";
import { deadLetterAttributes, invocationRecord, type RecordInput } from "./destination-record.ts";

export interface DestinationEvent {
  readonly type: "destination-failed";
  readonly functionName: string;
  readonly requestId: string;
  /** `on-success queue audit`, `dead-letter queue async-dlq`, ... */
  readonly destination: string;
  readonly reason: string;
}

export interface AsyncDestinationsOptions {
  /** Definition names of functions; any other destination name is a queue. */
  readonly functionNames: ReadonlySet<string>;
  /** Lambda invokes a destination function asynchronously, with the record as its event. */
  readonly invokeAsync: (functionName: string, payload: string) => void;
  readonly sqs?: Pick<QueueService, "sendMessage">;
  readonly onEvent?: (event: DestinationEvent) => void;
}

export type RecordDelivery = RecordInput & { readonly functionName: string };

export class AsyncDestinations {
  constructor(private readonly options: AsyncDestinationsOptions) {}

  /** Sends the record to `target`; returns where it went, or undefined when delivery failed. */
  sendRecord(target: string, input: RecordDelivery): string | undefined {
    const role = input.condition === "Success" ? "on-success" : "on-failure";
    return this.deliver(`${role} ${this.kind(target)} ${target}`, input, () => {
      const body = JSON.stringify(invocationRecord(input));
      if (this.options.functionNames.has(target)) this.options.invokeAsync(target, body);
      else this.sendToQueue(target, body);
    });
  }

  /** Sends a discarded event to the on-failure destination and the dead-letter queue, when set. */
  sendFailure(settings: AsyncInvokeSpec, input: RecordDelivery, event: string): string[] {
    const sent: string[] = [];
    if (settings.onFailure !== undefined) {
      const where = this.sendRecord(settings.onFailure, input);
      if (where !== undefined) sent.push(where);
    }
    const queue = settings.deadLetterQueue;
    if (queue !== undefined) {
      const where = this.deliver(`dead-letter queue ${queue}`, input, () =>
        this.sendToQueue(queue, event, deadLetterAttributes(input.requestId, input.response)),
      );
      if (where !== undefined) sent.push(where);
    }
    return sent;
  }

  private deliver(destination: string, input: RecordDelivery, send: () => void): string | undefined {
    try {
      send();
      return destination;
    } catch (error) {
      this.options.onEvent?.({
        type: "destination-failed",
        functionName: input.functionName,
        requestId: input.requestId,
        destination,
        reason: (error as Error).message,
      });
      return undefined;
    }
  }

  private sendToQueue(queue: string, body: string, messageAttributes?: MessageAttributes): void {
    const sqs = this.options.sqs;
    if (sqs === undefined) {
      throw new SluiceError(
        "SLUICE_NO_QUEUE_SERVICE",
        `cannot send to queue "${queue}": this async invoke queue was created without a queue service`,
      );
    }
    sqs.sendMessage(queue, { body, ...(messageAttributes ? { messageAttributes } : {}) });
  }

  private kind(target: string): "function" | "queue" {
    return this.options.functionNames.has(target) ? "function" : "queue";
  }
}

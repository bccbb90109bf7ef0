/**
 * Sends what an asynchronous invocation leaves behind: the invocation record to an on-success or
 * on-failure destination (a function, invoked asynchronously, a standard queue, or an event bus as
 * the detail of a `lambda` event), and the event
 * itself to a dead-letter queue. A delivery that fails is reported, never retried, as on AWS
 * (DestinationDeliveryFailures and DeadLetterErrors count them there).
 */
import type { AsyncInvokeSpec } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import { arn } from "../../model/naming.ts";
import type { MessageAttributes, QueueService } from "../sqs/index.ts";
import { deadLetterAttributes, invocationRecord, type RecordInput } from "./destination-record.ts";

/** One PutEvents entry, as the bus service takes it. */
export interface DestinationBusEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Resources: readonly string[];
  readonly EventBusName: string;
}

/** What a bus answers to PutEvents: a failed entry carries an error code and message. */
export interface DestinationPutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: readonly ({ readonly ErrorCode?: string; readonly ErrorMessage?: string } | object)[];
}

/**
 * The ARN of the destination bus, in the function's region and account. Lambda's event on a bus
 * lists it in `resources` before the function's version ARN (invocation-async-retain-records).
 */
function busArn(functionArn: string, physicalBus: string): string {
  const [, , , region = "", account = ""] = functionArn.split(":");
  return arn("events", region, account, `event-bus/${physicalBus}`);
}

/** Lambda's event on a destination bus (Lambda: invocation-async-retain-records). */
export const DESTINATION_EVENT = {
  source: "lambda",
  success: "Lambda Function Invocation Result - Success",
  failure: "Lambda Function Invocation Result - Failure",
} as const;

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
  /** Definition names of the buses a destination may name ("default" included when allowed). @default none */
  readonly busNames?: ReadonlySet<string>;
  /** The bus name EventBridge knows (the physical name) for a definition name. @default the name itself */
  readonly physicalBusName?: (bus: string) => string;
  /** PutEvents on the local buses; called only when a record goes to a bus. */
  readonly putEvents?: (entries: readonly DestinationBusEntry[]) => DestinationPutEventsResult;
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
      const kind = this.kind(target);
      if (kind === "function") this.options.invokeAsync(target, body);
      else if (kind === "bus") this.sendToBus(target, input, body);
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

  private sendToBus(bus: string, input: RecordDelivery, detail: string): void {
    const putEvents = this.options.putEvents;
    if (putEvents === undefined) {
      throw new SluiceError(
        "SLUICE_NO_EVENT_BUS_SERVICE",
        `cannot send to bus "${bus}": this async invoke queue was created without an event bus service`,
      );
    }
    const physical = this.options.physicalBusName?.(bus) ?? bus;
    const result = putEvents([
      {
        Source: DESTINATION_EVENT.source,
        DetailType: input.condition === "Success" ? DESTINATION_EVENT.success : DESTINATION_EVENT.failure,
        Detail: detail,
        Resources: [
          busArn(input.functionArn, physical),
          `${input.functionArn}:${input.response.executedVersion}`,
        ],
        EventBusName: physical,
      },
    ]);
    if (result.FailedEntryCount > 0) {
      const entry = result.Entries[0] as { ErrorCode?: string; ErrorMessage?: string } | undefined;
      throw new SluiceError(
        "SLUICE_DESTINATION_PUT_EVENTS_FAILED",
        `PutEvents to bus "${bus}" failed: ${entry?.ErrorCode ?? "unknown"}: ${entry?.ErrorMessage ?? ""}`,
      );
    }
  }

  private kind(target: string): "function" | "queue" | "bus" {
    if (this.options.functionNames.has(target)) return "function";
    return this.options.busNames?.has(target) === true ? "bus" : "queue";
  }
}

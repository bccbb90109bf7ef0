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
import { childHeader, type HopKind, type TraceRef, type Tracer } from "../traces/index.ts";
import { deadLetterAttributes, invocationRecord, type RecordInput } from "./destination-record.ts";

/** One PutEvents entry, as the bus service takes it. */
export interface DestinationBusEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Resources: readonly string[];
  readonly EventBusName: string;
  readonly TraceHeader?: string;
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
  /**
   * Lambda invokes a destination function asynchronously, with the record as its event, in the
   * invocation's trace (`traceHeader`), caused by the function (`source`).
   */
  readonly invokeAsync: (
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: TraceRef,
  ) => void;
  readonly sqs?: Pick<QueueService, "sendMessage">;
  /** Definition names of the buses a destination may name ("default" included when allowed). @default none */
  readonly busNames?: ReadonlySet<string>;
  /** The bus name EventBridge knows (the physical name) for a definition name. @default the name itself */
  readonly physicalBusName?: (bus: string) => string;
  /** PutEvents on the local buses; called only when a record goes to a bus. */
  readonly putEvents?: (
    entries: readonly DestinationBusEntry[],
    context: { readonly source: string },
  ) => DestinationPutEventsResult;
  readonly onEvent?: (event: DestinationEvent) => void;
  /** Records a `destination` or `dead-letter` hop per delivery. @default none */
  readonly tracer?: Tracer;
}

export type RecordDelivery = RecordInput & { readonly functionName: string };

/**
 * The trace a record continues: the header of the invocation whose result it reports (or the
 * event's stored header when it never ran). Its delivery is a hop of its own, a child of it.
 */
export interface DeliveryTrace {
  readonly parentHeader: string;
}

/** What one delivery sends, for its hop. */
interface Delivery {
  readonly kind: Extract<HopKind, "destination" | "dead-letter">;
  /** `on-success queue audit`, `dead-letter queue async-dlq`, ... */
  readonly destination: string;
  readonly target: TraceRef;
  readonly payload: string;
}

export class AsyncDestinations {
  constructor(private readonly options: AsyncDestinationsOptions) {}

  /** Sends the record to `target`; returns where it went, or undefined when delivery failed. */
  sendRecord(target: string, input: RecordDelivery, trace?: DeliveryTrace): string | undefined {
    const role = input.condition === "Success" ? "on-success" : "on-failure";
    const kind = this.kind(target);
    const body = JSON.stringify(invocationRecord(input));
    const delivery: Delivery = {
      kind: "destination",
      destination: `${role} ${kind} ${target}`,
      target: `${kind}:${target}`,
      payload: body,
    };
    return this.deliver(delivery, input, trace, (header) => {
      const source: TraceRef = `function:${input.functionName}`;
      if (kind === "function") this.options.invokeAsync(target, body, header, source);
      else if (kind === "bus") this.sendToBus(target, input, body, header);
      else this.sendToQueue(target, body, undefined, header, source);
    });
  }

  /** Sends a discarded event to the on-failure destination and the dead-letter queue, when set. */
  sendFailure(
    settings: AsyncInvokeSpec,
    input: RecordDelivery,
    event: string,
    trace?: DeliveryTrace,
  ): string[] {
    const sent: string[] = [];
    if (settings.onFailure !== undefined) {
      const where = this.sendRecord(settings.onFailure, input, trace);
      if (where !== undefined) sent.push(where);
    }
    const queue = settings.deadLetterQueue;
    if (queue !== undefined) {
      const delivery: Delivery = {
        kind: "dead-letter",
        destination: `dead-letter queue ${queue}`,
        target: `queue:${queue}`,
        payload: event,
      };
      const where = this.deliver(delivery, input, trace, (header) =>
        this.sendToQueue(
          queue,
          event,
          deadLetterAttributes(input.requestId, input.response),
          header,
          `function:${input.functionName}`,
        ),
      );
      if (where !== undefined) sent.push(where);
    }
    return sent;
  }

  /**
   * Sends one delivery as a child of the trace it continues, and records its hop: the record (or
   * event) carries the hop's header, so what receives it is the hop's child.
   */
  private deliver(
    delivery: Delivery,
    input: RecordDelivery,
    trace: DeliveryTrace | undefined,
    send: (traceHeader: string | undefined) => void,
  ): string | undefined {
    const header = trace === undefined ? undefined : childHeader(trace.parentHeader);
    let failure: string | undefined;
    try {
      send(header);
    } catch (error) {
      failure = (error as Error).message;
      this.options.onEvent?.({
        type: "destination-failed",
        functionName: input.functionName,
        requestId: input.requestId,
        destination: delivery.destination,
        reason: failure,
      });
    }
    if (trace !== undefined && header !== undefined) {
      this.options.tracer?.record({
        header,
        parentHeader: trace.parentHeader,
        kind: delivery.kind,
        source: `function:${input.functionName}`,
        target: delivery.target,
        startMs: input.nowMs,
        durationMs: 0,
        // An event in a dead-letter queue failed its trace, as SQS's and EventBridge's moves do.
        outcome: failure === undefined && delivery.kind === "destination" ? "success" : "error",
        attempt: input.approximateInvokeCount,
        payload: delivery.payload,
        detail:
          failure === undefined
            ? `${delivery.destination}: ${input.condition}`
            : `${delivery.destination} failed: ${failure}`,
        requestId: input.requestId,
      });
    }
    return failure === undefined ? delivery.destination : undefined;
  }

  private sendToQueue(
    queue: string,
    body: string,
    messageAttributes?: MessageAttributes,
    traceHeader?: string,
    source?: TraceRef,
  ): void {
    const sqs = this.options.sqs;
    if (sqs === undefined) {
      throw new SluiceError(
        "SLUICE_NO_QUEUE_SERVICE",
        `cannot send to queue "${queue}": this async invoke queue was created without a queue service`,
      );
    }
    sqs.sendMessage(queue, {
      body,
      ...(messageAttributes ? { messageAttributes } : {}),
      ...(traceHeader === undefined ? {} : { traceHeader }),
      ...(source === undefined ? {} : { source }),
    });
  }

  private sendToBus(bus: string, input: RecordDelivery, detail: string, traceHeader?: string): void {
    const putEvents = this.options.putEvents;
    if (putEvents === undefined) {
      throw new SluiceError(
        "SLUICE_NO_EVENT_BUS_SERVICE",
        `cannot send to bus "${bus}": this async invoke queue was created without an event bus service`,
      );
    }
    const physical = this.options.physicalBusName?.(bus) ?? bus;
    const result = putEvents(
      [
        {
          Source: DESTINATION_EVENT.source,
          DetailType: input.condition === "Success" ? DESTINATION_EVENT.success : DESTINATION_EVENT.failure,
          Detail: detail,
          Resources: [
            busArn(input.functionArn, physical),
            `${input.functionArn}:${input.response.executedVersion}`,
          ],
          EventBusName: physical,
          ...(traceHeader === undefined ? {} : { TraceHeader: traceHeader }),
        },
      ],
      { source: `function:${input.functionName}` },
    );
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

import { SluiceError } from "../../model/errors.ts";
import type { QueueService } from "../sqs/index.ts";
import type { ScheduledDelivery } from "./local-scheduler.ts";

/** What a schedule's targets are called through: the surfaces' own interfaces. */
export interface ScheduleTargetSurfaces {
  /**
   * Lambda's asynchronous Invoke (InvocationType Event), as Scheduler's templated target calls it,
   * in the firing's trace, caused by the schedule (`schedule:<name>`).
   */
  readonly invokeAsync: (
    functionName: string,
    payload: string,
    traceHeader: string,
    source: string,
  ) => unknown;
  readonly sqs: QueueService;
  /** The physical name of a bus the schedule names, as the app's spec gives it. */
  readonly physicalBusName: (bus: string) => string;
  /** PutEvents on a bus (by physical name): the bus surface's interface. */
  readonly putEvents?: (
    eventBusName: string,
    entry: { Source: string; DetailType: string; Detail: string; TraceHeader: string },
    source: string,
  ) => { readonly Entries: readonly ({ EventId: string } | { ErrorCode: string; ErrorMessage: string })[] };
}

/**
 * Delivers one scheduled occurrence as EventBridge Scheduler's templated targets do: Lambda Invoke
 * (asynchronous), SQS SendMessage, EventBridge PutEvents.
 */
export function deliverScheduled(surfaces: ScheduleTargetSurfaces, delivery: ScheduledDelivery): void {
  const { schedule, payload, scheduledTimeMs, traceHeader } = delivery;
  const { kind, name } = schedule.target;
  const source = `schedule:${schedule.name}`;
  if (kind === "function") {
    surfaces.invokeAsync(name, payload, traceHeader, source);
    return;
  }
  if (kind === "queue") {
    const queue = surfaces.sqs.getQueue(name);
    // Scheduler's SqsParameters carry the group; one group per schedule keeps its fires in order.
    const group = schedule.target.messageGroupId ?? schedule.name;
    // AWS traces no scheduled event (eb-related-service-xray): receivers see no AWSTraceHeader;
    // locally the message still continues the firing's trace.
    surfaces.sqs.sendMessage(name, {
      body: payload,
      linkedTraceHeader: traceHeader,
      source,
      ...(queue.fifo ? { messageGroupId: group, messageDeduplicationId: `${group}-${scheduledTimeMs}` } : {}),
    });
    return;
  }
  if (surfaces.putEvents === undefined) {
    throw new SluiceError(
      "SLUICE_UNSUPPORTED_TARGET",
      `schedule "${schedule.name}" targets bus "${name}", but this local cloud has no event buses`,
    );
  }
  // Scheduler's EventBridgeParameters give Source and DetailType; the input is the event's detail.
  const result = surfaces.putEvents(
    surfaces.physicalBusName(name),
    {
      Source: SCHEDULER_SOURCE,
      DetailType: SCHEDULER_DETAIL_TYPE,
      Detail: payload,
      TraceHeader: traceHeader,
    },
    source,
  );
  const failed = result.Entries.find((e) => "ErrorCode" in e);
  if (failed && "ErrorCode" in failed) {
    throw new SluiceError(
      "SLUICE_SCHEDULE_DELIVERY_FAILED",
      `schedule "${schedule.name}" could not put its event on bus "${name}": ${failed.ErrorCode}: ${failed.ErrorMessage}`,
    );
  }
}

/** Source and DetailType of the events a schedule puts on a bus (Sluice's choice; `aws.` is reserved). */
export const SCHEDULER_SOURCE = "sluice.scheduler";
export const SCHEDULER_DETAIL_TYPE = "Scheduled Event";

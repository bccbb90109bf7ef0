import type { AppSpec, RouteDelivery } from "../../model/app-spec.ts";
import { SluiceError } from "../../model/errors.ts";
import { physicalBusName } from "../../model/events.ts";
import { functionUserId } from "../../model/iam/principal-id.ts";
import { stateMachineArn } from "../../model/naming.ts";
import { decideDelivery, type RouteSend } from "../../model/routing/route-delivery.ts";
import {
  outsideRoutesTo,
  queueRouteTarget,
  type RouteTarget,
  routedQueueName,
  routeTarget,
} from "../../model/routing/route-targets.ts";
import type { QueueService } from "../sqs/index.ts";
import { checkExecutionInputSize } from "../stepfunctions/index.ts";
import type { TraceRef } from "../traces/index.ts";

/** Accepts an asynchronous invocation durably (Lambda's internal queue for `Event` invokes). */
export interface AsyncInvoker {
  /**
   * `traceHeader`: the header of the invocation that asked for it, which the async invocation
   * continues; `source`: that invocation's function (`function:<name>`), for its trace hop.
   */
  enqueue(
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: TraceRef,
  ): { requestId: string };
}

/** PutEvents on the local EventBridge (the bus service). */
export interface EventPutter {
  /** `context.source`: who put them, for the `put` hop (`function:<name>`). */
  putEvents(
    entries: readonly object[],
    context?: { readonly source?: string },
  ): {
    readonly FailedEntryCount: number;
    readonly Entries: readonly ({ readonly ErrorCode?: string; readonly ErrorMessage?: string } | object)[];
  };
}

/** StartExecution on the local Step Functions (its StepFunctionsApi). */
export interface ExecutionStarter {
  startExecution(input: { stateMachineArn: string; name?: string; input?: string; traceHeader?: string }): {
    executionArn: string;
  };
}

export interface DeliveryContext {
  /** The component whose result is routed. */
  readonly from: string;
  /** Its invocation's request id: with the index, a stable deduplication id for FIFO targets. */
  readonly requestId: string;
  /**
   * The X-Ray trace header the invocation ran under (InvokeResult.traceHeader). Deployed, the
   * wrapper's SDK calls carry it as `X-Amzn-Trace-Id` (the SDK's recursion-detection middleware
   * reads `_X_AMZN_TRACE_ID`), so each delivery continues the invocation's trace: SQS keeps it
   * as the message's AWSTraceHeader, EventBridge as the event's trace header, Lambda's async queue
   * for the invocation it makes, Step Functions as the execution's traceHeader.
   * https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-xray-integ.html
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
   * @default none: each delivery starts a trace of its own
   */
  readonly traceHeader?: string;
}

/**
 * Delivers what a routing wrapper asked for, as the model decides it (model/routing/): this class
 * only turns each decision into a call on the local queue, async-invoke, bus or Step Functions
 * service. Names and
 * lists are checked at load; a routing function's targets only when it runs, so an unknown one
 * fails the delivery with SLUICE_UNKNOWN_ROUTE_TARGET.
 */
export class Router {
  constructor(
    private readonly spec: AppSpec,
    private readonly sqs: QueueService,
    private readonly asyncInvoker: AsyncInvoker,
    private readonly bus?: EventPutter,
    private readonly stateMachines?: ExecutionStarter,
  ) {}

  deliver(deliveries: readonly RouteDelivery[], context: DeliveryContext): void {
    for (const [index, delivery] of deliveries.entries()) {
      // Deployed, the role of a function with routesTo reaches nothing else: fail here as there.
      const refusal = outsideRoutesTo(this.spec, context.from, delivery.to);
      if (refusal !== undefined) {
        throw new SluiceError("SLUICE_ROUTE_OUTSIDE_ROUTES_TO", refusal, {
          context: { from: context.from, target: delivery.to },
        });
      }
      const target = this.targetFor(delivery.to, context.from);
      const { from, requestId, traceHeader } = context;
      this.send(decideDelivery(target, delivery, { from, requestId, index }), from, traceHeader);
    }
  }

  private send(decision: RouteSend, from: string, traceHeader: string | undefined): void {
    const source: TraceRef = `function:${from}`;
    if (decision.kind === "function") {
      this.asyncInvoker.enqueue(decision.target.function, decision.payload, traceHeader, source);
      return;
    }
    if (decision.kind === "bus") {
      this.putOnBus(decision.target.bus, decision.event, from, traceHeader);
      return;
    }
    if (decision.kind === "stateMachine") {
      // StartExecution refuses an input over 256 KiB on AWS; so does the route here.
      checkExecutionInputSize(decision.execution.input);
      // The name makes a retried invocation's route start no second execution (route-delivery.ts):
      // StartExecution refuses the name once the first attempt's execution has ended.
      try {
        this.stateMachines?.startExecution({
          stateMachineArn: stateMachineArn(this.spec, decision.target.stateMachine),
          name: decision.execution.name,
          input: decision.execution.input,
          ...(traceHeader === undefined ? {} : { traceHeader }),
        });
      } catch (error) {
        if ((error as { code?: string }).code !== "ExecutionAlreadyExists") throw error;
      }
      return;
    }
    const { MessageBody, DelaySeconds, MessageGroupId, MessageDeduplicationId } = decision.message;
    // Deployed, the wrapper sends with the function's role: SenderId is that role session's id.
    const fn = this.spec.functions[from];
    this.sqs.sendMessage(decision.target.queue, {
      ...(fn === undefined ? {} : { senderId: functionUserId(fn) }),
      body: MessageBody,
      ...(traceHeader === undefined ? {} : { traceHeader }),
      source,
      ...(DelaySeconds === undefined ? {} : { delaySeconds: DelaySeconds }),
      ...(MessageGroupId === undefined ? {} : { messageGroupId: MessageGroupId }),
      ...(MessageDeduplicationId === undefined ? {} : { messageDeduplicationId: MessageDeduplicationId }),
    });
  }

  private putOnBus(bus: string, event: object, from: string, traceHeader: string | undefined): void {
    const entry = {
      ...event,
      EventBusName: physicalBusName(this.spec.name, bus),
      // PutEventsRequestEntry's TraceHeader: what EventBridge passes on to the rule's targets.
      ...(traceHeader === undefined ? {} : { TraceHeader: traceHeader }),
    };
    const result = this.bus?.putEvents([entry], { source: `function:${from}` });
    const failed = result?.Entries[0] as { ErrorCode?: string; ErrorMessage?: string } | undefined;
    if (result && result.FailedEntryCount > 0) {
      throw new SluiceError(
        "SLUICE_ROUTE_PUT_EVENTS_FAILED",
        `${from} routed to bus "${bus}" and PutEvents refused it: ${failed?.ErrorCode}: ${failed?.ErrorMessage}`,
        { context: { from, target: bus } },
      );
    }
  }

  /**
   * The model's target for a name. A queue created at run time (CreateQueue) is not in the
   * definition, so a name the model does not know is looked up among the local queues.
   */
  private targetFor(to: string, from: string): RouteTarget {
    const target = routeTarget(this.spec, to);
    if (target?.kind === "bus" && !this.bus) throw unknownTarget(to, from, this.spec);
    if (target?.kind === "stateMachine" && !this.stateMachines) throw unknownTarget(to, from, this.spec);
    if (target) return target;
    const queue = routedQueueName(this.spec, to);
    if (queue === undefined) throw unknownTarget(to, from, this.spec);
    try {
      return queueRouteTarget(this.sqs.getQueue(queue));
    } catch (error) {
      if ((error as { code?: string }).code === "QueueDoesNotExist") throw unknownTarget(to, from, this.spec);
      throw error;
    }
  }
}

function unknownTarget(target: string, from: string, spec: AppSpec): SluiceError {
  const names = [
    ...Object.keys(spec.functions),
    ...Object.keys(spec.queues),
    ...Object.keys(spec.stateMachines ?? {}),
  ];
  return new SluiceError(
    "SLUICE_UNKNOWN_ROUTE_TARGET",
    `${from} routed to "${target}", which is neither a function nor a queue of ${spec.name} ` +
      `(it has: ${names.join(", ") || "nothing"}); route to one of those names or add "${target}" to the definition`,
    {
      context: { from, target },
    },
  );
}

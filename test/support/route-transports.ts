/**
 * The two route transports, each driven the same way and observed in the same words, so one table
 * of routes can run against both (test/unit/model-routing-conformance.test.ts): the local router inside a
 * real LocalCloud (SQLite queues, Lambda's async queue, an EventBridge bus whose rule feeds a
 * queue), and the AWS SDK transport whose only stand-in is the AWS cloud: a `send` that records.
 */
import { createHash } from "node:crypto";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LocalCloud } from "../../src/local/local-cloud.ts";
import type { AppSpec, RouteDelivery } from "../../src/model/app-spec.ts";
import { discoveryVariable, queueUrl, stateMachineArn } from "../../src/model/naming.ts";
import { resourceVariables } from "../../src/model/resource-variables.ts";
import { possibleRouteNames, routeTargets } from "../../src/model/routing/route-targets.ts";
import { awsTransport, type SdkSendMessageInput } from "../../src/runtime/aws-transport.ts";
import { tempDir } from "./temp.ts";

/** One thing a transport delivered, keyed by definition names. */
export type Delivered =
  | {
      readonly queue: string;
      readonly body: string;
      readonly groupId?: string;
      readonly deduplicationId?: string;
      readonly delaySeconds?: number;
    }
  | { readonly function: string; readonly payload: string }
  | { readonly bus: string; readonly source: string; readonly detailType: string; readonly detail: unknown }
  | { readonly stateMachine: string; readonly name: string; readonly input: string };

/** What delivering one invocation's routes came to: everything delivered, or the error's code. */
export type Outcome = { readonly delivered: readonly Delivered[] } | { readonly error: string };

export type Transport = (deliveries: readonly RouteDelivery[]) => Promise<Outcome>;

/** Every table row is one invocation of `from` with this request id. */
const REQUEST_ID = "req-1";
const sha256 = (body: string) => createHash("sha256").update(body).digest("hex");

/** The local router; `inbox` is where the rule on `bus` puts the events it matches. */
export function localTransport(spec: AppSpec, from: string, bus: { name: string; inbox: string }): Transport {
  return async (deliveries) => {
    const temp = tempDir("sluice-route-conformance-");
    const clock = new ManualClock();
    const cloud = new LocalCloud({
      spec,
      stateDir: temp.dir,
      clock,
      background: false,
      code: () => ({ file: "never-loaded.mjs", exportName: "handler" }),
    });
    cloud.events.start();
    try {
      try {
        cloud.router.deliver(deliveries, { from, requestId: REQUEST_ID });
      } catch (error) {
        return { error: errorCode(error) };
      }
      const delivered: Delivered[] = [];
      const rows = cloud.db.prepare("SELECT function_name, payload FROM async_invocations").all();
      for (const row of rows as { function_name: string; payload: string }[])
        delivered.push({ function: row.function_name, payload: row.payload });
      for (const machine of Object.keys(spec.stateMachines ?? {})) {
        const { executions } = cloud.stepFunctions.listExecutions({
          stateMachineArn: stateMachineArn(spec, machine),
        });
        for (const execution of [...executions].reverse()) {
          const { input } = cloud.stepFunctions.describeExecution(execution.executionArn);
          delivered.push({ stateMachine: machine, name: execution.name, input });
        }
      }
      // A delayed message shows itself once its delay has passed: step the clock second by second.
      for (let second = 0; second <= 60; second++) {
        for (const queue of Object.values(spec.queues)) {
          for (const m of await cloud.sqs.receiveMessages(queue.name, { maxNumberOfMessages: 10 })) {
            cloud.sqs.deleteMessage(queue.name, m.receiptHandle);
            delivered.push(fromLocalQueue(queue.name, m.body, m.attributes, second, bus));
          }
        }
        await clock.advance(1000);
      }
      return { delivered };
    } finally {
      await cloud.close();
      temp.cleanup();
    }
  };
}

function fromLocalQueue(
  queue: string,
  body: string,
  attributes: Readonly<Record<string, string>>,
  delaySeconds: number,
  bus: { name: string; inbox: string },
): Delivered {
  if (queue === bus.inbox) {
    const event = JSON.parse(body) as { source: string; "detail-type": string; detail: unknown };
    return { bus: bus.name, source: event.source, detailType: event["detail-type"], detail: event.detail };
  }
  const { MessageGroupId: groupId, MessageDeduplicationId: dedup } = attributes;
  return {
    queue,
    body,
    ...(groupId === undefined ? {} : { groupId }),
    // Content-based deduplication: SQS computes the id from the body, on AWS as here.
    ...(dedup === undefined || dedup === sha256(body) ? {} : { deduplicationId: dedup }),
    ...(delaySeconds === 0 ? {} : { delaySeconds }),
  };
}

/** The deployed wrapper's transport against a recording AWS that refuses what SendMessage refuses. */
export function awsSdkTransport(spec: AppSpec, from: string): Transport {
  const fn = spec.functions[from];
  if (!fn) throw new Error(`no function ${from}`);
  const targets = routeTargets(spec, possibleRouteNames(spec, fn));
  const env: Record<string, string> = {
    // A state machine's ARN variable, where the model's discovery does not set it (yet).
    ...Object.fromEntries(
      Object.keys(spec.stateMachines ?? {}).map((m) => [
        discoveryVariable("STATE_MACHINE_ARN", m),
        stateMachineArn(spec, m),
      ]),
    ),
    ...resourceVariables(spec, fn, (queue) => queueUrl("https://sqs.test", spec, queue)),
  };
  const byMachineArn = new Map(
    Object.keys(spec.stateMachines ?? {}).map((m) => [stateMachineArn(spec, m), m]),
  );
  const byUrl = new Map(Object.values(spec.queues).map((q) => [queueUrl("https://sqs.test", spec, q), q]));
  const byFunctionName = new Map(Object.values(spec.functions).map((f) => [f.functionName, f.name]));
  const buses = Object.keys(spec.events?.buses ?? {});
  const byBusName = new Map(buses.map((b) => [env[discoveryVariable("BUS_NAME", b)], b]));
  return async (deliveries) => {
    const delivered: Delivered[] = [];
    const transport = awsTransport({
      targets,
      env,
      clients: async () => ({
        sendMessage: async (input: SdkSendMessageInput) => {
          const queue = byUrl.get(input.QueueUrl);
          // SendMessage API reference: FIFO queues take a delay on the queue only.
          if (queue?.fifo && input.DelaySeconds)
            throw Object.assign(new Error("refused"), { code: "InvalidParameterValue" });
          if (queue?.fifo && input.MessageGroupId === undefined)
            throw Object.assign(new Error("refused"), { code: "MissingParameter" });
          delivered.push({
            queue: queue?.name ?? input.QueueUrl,
            body: input.MessageBody,
            ...(input.MessageGroupId === undefined ? {} : { groupId: input.MessageGroupId }),
            ...(input.MessageDeduplicationId === undefined
              ? {}
              : { deduplicationId: input.MessageDeduplicationId }),
            ...(input.DelaySeconds ? { delaySeconds: input.DelaySeconds } : {}),
          });
        },
        invokeAsync: async (name, payload) =>
          void delivered.push({ function: byFunctionName.get(name) ?? name, payload }),
        putEvent: async (entry) => {
          delivered.push({
            bus: byBusName.get(entry.EventBusName) ?? entry.EventBusName,
            source: entry.Source,
            detailType: entry.DetailType,
            detail: JSON.parse(entry.Detail),
          });
          return { FailedEntryCount: 0, Entries: [{}] };
        },
        startExecution: async (input) => {
          // StartExecution API reference: input is at most 262,144 bytes of UTF-8.
          if (Buffer.byteLength(input.input) > 262_144)
            throw Object.assign(new Error("refused"), { name: "ValidationException" });
          delivered.push({
            stateMachine: byMachineArn.get(input.stateMachineArn) ?? input.stateMachineArn,
            name: input.name,
            input: input.input,
          });
        },
      }),
    });
    try {
      await transport.deliver(deliveries, { from, requestId: REQUEST_ID });
    } catch (error) {
      return { error: errorCode(error) };
    }
    return { delivered };
  };
}

/** The two transports name an unknown target differently; SQS's refusals keep AWS's code. */
function errorCode(error: unknown): string {
  const { code, name } = error as { code?: string; name?: string };
  if (
    code === "SLUICE_UNKNOWN_ROUTE_TARGET" ||
    code === "SLUICE_ROUTE_OUTSIDE_ROUTES_TO" ||
    name === "Sluice.UnknownRouteTarget"
  )
    return "unknown target";
  return code ?? name ?? String(error);
}

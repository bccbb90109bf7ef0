/**
 * Delivers routes on AWS with the AWS SDK: SendMessage to queues, asynchronous Invoke of
 * functions, PutEvents on buses, StartExecution of state machines. Targets come from the route table bundled with the function and
 * what each delivery sends from the model (model/routing/route-delivery.ts), which the local router
 * follows too; this file only turns a decision into an SDK call, with URLs and names from the
 * discovery variables the template sets. The SDK is imported on first use only: it is
 * part of Lambda's Node.js runtime and left out of the bundle, and a function that never routes
 * never loads it.
 */
import type { RouteDelivery } from "../model/app-spec.ts";
import type { RouteEventEntry } from "../model/routing/bus-event.ts";
import {
  decideDelivery,
  type RouteExecution,
  type RouteMessage,
  type RoutePosition,
} from "../model/routing/route-delivery.ts";
import type { RouteTarget, RouteTargets } from "../model/routing/route-targets.ts";
import { RuntimeError } from "./errors.ts";
import type { RouteTransport } from "./transport.ts";

/** The SDK calls the transport makes, so tests can stand in for AWS. */
export interface AwsRouteClients {
  sendMessage(input: SdkSendMessageInput): Promise<unknown>;
  invokeAsync(functionName: string, payload: string): Promise<unknown>;
  /** EventBridge PutEvents of one entry. @default @aws-sdk/client-eventbridge, loaded on first use */
  putEvent?(
    entry: RouteEventEntry,
  ): Promise<{ FailedEntryCount?: number; Entries?: { ErrorCode?: string; ErrorMessage?: string }[] }>;
  /** Step Functions StartExecution. @default @aws-sdk/client-sfn, loaded on first use */
  startExecution?(input: SdkStartExecutionInput): Promise<unknown>;
}

/** StartExecution as the model decides it (model/routing/route-delivery.ts), with the machine's ARN. */
export interface SdkStartExecutionInput extends RouteExecution {
  readonly stateMachineArn: string;
}

/** SendMessage as the model decides it (model/routing/route-delivery.ts), with the queue's URL. */
export interface SdkSendMessageInput extends RouteMessage {
  readonly QueueUrl: string;
}

export interface AwsTransportOptions {
  /** Where each routable name goes. */
  readonly targets: RouteTargets;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default clients of @aws-sdk/client-sqs and @aws-sdk/client-lambda, created on first use */
  readonly clients?: () => Promise<AwsRouteClients>;
}

export function awsTransport(options: AwsTransportOptions): RouteTransport {
  const env = options.env ?? process.env;
  let clients: Promise<AwsRouteClients> | undefined;
  const client = () => {
    clients ??= (options.clients ?? sdkClients)();
    return clients;
  };
  return {
    async deliver(deliveries, context) {
      if (deliveries.length === 0) return;
      const from = context?.from ?? "unknown";
      const requestId = context?.requestId ?? "no-request-id";
      // One chain per target: a FIFO group keeps the order the routes were given in.
      const chains = new Map<string, Promise<unknown>>();
      for (const [index, delivery] of deliveries.entries()) {
        const target = options.targets[delivery.to];
        if (!target) throw unknownTarget(delivery.to, from, options.targets);
        const send = () => sendOne(client, target, delivery, env, { from, requestId, index });
        const key = chainKey(target);
        chains.set(key, (chains.get(key) ?? Promise.resolve()).then(send));
      }
      await Promise.all(chains.values());
    },
  };
}

async function sendOne(
  client: () => Promise<AwsRouteClients>,
  target: RouteTarget,
  delivery: RouteDelivery,
  env: Readonly<Record<string, string | undefined>>,
  at: RoutePosition,
): Promise<void> {
  const decision = decideDelivery(target, delivery, at);
  if (decision.kind === "function") {
    const name = variable(env, decision.target.nameVariable, delivery.to);
    await (await client()).invokeAsync(name, decision.payload);
    return;
  }
  if (decision.kind === "stateMachine") {
    const stateMachineArn = variable(env, decision.target.arnVariable, delivery.to);
    const clients = await client();
    const start = clients.startExecution ?? (await stepFunctionsClient());
    try {
      await start({ stateMachineArn, ...decision.execution });
    } catch (error) {
      // A retried invocation routes again under the same execution name: its execution was started
      // by the first attempt (StartExecution refuses the name once that execution has ended).
      if ((error as { name?: string }).name !== "ExecutionAlreadyExists") throw error;
    }
    return;
  }
  if (decision.kind === "bus") {
    const entry = {
      ...decision.event,
      EventBusName: variable(env, decision.target.nameVariable, delivery.to),
    };
    await putOnBus(await client(), decision.target.bus, entry);
    return;
  }
  const queueUrl = variable(env, decision.target.urlVariable, delivery.to);
  await (await client()).sendMessage({ QueueUrl: queueUrl, ...decision.message });
}

async function putOnBus(clients: AwsRouteClients, bus: string, entry: RouteEventEntry): Promise<void> {
  const put = clients.putEvent ?? (await eventBridgeClient());
  const result = await put(entry);
  const failed = result.Entries?.[0];
  if ((result.FailedEntryCount ?? 0) > 0) {
    throw new RuntimeError(
      "Sluice.PutEventsFailed",
      `routing to bus "${bus}" failed: ${failed?.ErrorCode ?? "unknown"}: ${failed?.ErrorMessage ?? ""}`,
    );
  }
}

function chainKey(target: RouteTarget): string {
  switch (target.kind) {
    case "queue":
      return `q:${target.queue}`;
    case "bus":
      return `b:${target.bus}`;
    case "stateMachine":
      return `s:${target.stateMachine}`;
    case "function":
      return `f:${target.function}`;
  }
}

let stepFunctions: Promise<NonNullable<AwsRouteClients["startExecution"]>> | undefined;

function stepFunctionsClient(): Promise<NonNullable<AwsRouteClients["startExecution"]>> {
  stepFunctions ??= import("@aws-sdk/client-sfn").then((sdk) => {
    const client = new sdk.SFNClient({});
    return (input: SdkStartExecutionInput) => client.send(new sdk.StartExecutionCommand(input));
  });
  return stepFunctions;
}

let eventBridge: Promise<NonNullable<AwsRouteClients["putEvent"]>> | undefined;

function eventBridgeClient(): Promise<NonNullable<AwsRouteClients["putEvent"]>> {
  eventBridge ??= import("@aws-sdk/client-eventbridge").then((sdk) => {
    const client = new sdk.EventBridgeClient({});
    return (entry: RouteEventEntry) => client.send(new sdk.PutEventsCommand({ Entries: [entry] }));
  });
  return eventBridge;
}

function variable(env: Readonly<Record<string, string | undefined>>, name: string, target: string): string {
  const value = env[name];
  if (value === undefined || value === "") {
    throw new RuntimeError(
      "Sluice.MissingDiscoveryVariable",
      `cannot route to "${target}": environment variable ${name} is not set. ` +
        "Deploy with the template `sluice synth` writes, which sets it, or set it on the function.",
    );
  }
  return value;
}

function unknownTarget(name: string, from: string, targets: RouteTargets): RuntimeError {
  const known = Object.keys(targets);
  return new RuntimeError(
    "Sluice.UnknownRouteTarget",
    `function "${from}" routed to "${name}", which it is not wired to; it may route to ${
      known.length ? known.map((k) => `"${k}"`).join(", ") : "nothing"
    }. Name "${name}" in its routes (or its routesTo) and deploy again.`,
  );
}

async function sdkClients(): Promise<AwsRouteClients> {
  const [sqs, lambda] = await Promise.all([import("@aws-sdk/client-sqs"), import("@aws-sdk/client-lambda")]);
  const sqsClient = new sqs.SQSClient({});
  const lambdaClient = new lambda.LambdaClient({});
  return {
    sendMessage: (input) => sqsClient.send(new sqs.SendMessageCommand(input)),
    invokeAsync: (functionName, payload) =>
      lambdaClient.send(
        new lambda.InvokeCommand({
          FunctionName: functionName,
          InvocationType: "Event",
          Payload: new TextEncoder().encode(payload),
        }),
      ),
  };
}

/**
 * What each function may do with AWS: what its wiring needs (its logs, the queue it consumes, the
 * components it routes to) plus the statements its definition declares. One derivation serves the
 * local endpoint's IAM checks and the deploy's IAM roles: `functionGrants` keeps resources
 * abstract (a queue, a function, a log group by name) for the template to reference;
 * `functionPolicy` resolves them to ARNs, as an IAM policy document.
 */
import { localApiId } from "../api-ids.ts";
import type { AppSpec, FunctionSpec } from "../app-spec.ts";
import { asyncDestinationKind } from "../async-invoke.ts";
import { eventBusArn } from "../events.ts";
import {
  arn,
  executionArnOf,
  functionArn,
  logGroupName,
  partition,
  physicalStateMachineName,
  physicalTableName,
  queueArn,
  resourcePrefix,
  stateMachineArn,
  tableArn,
} from "../naming.ts";
import { possibleRouteNames, routeTargets } from "../routing/route-targets.ts";
import { parseTaskResource } from "../state-machine-integrations.ts";
import { stateAt } from "../state-machine-walk.ts";
import { actionPatternMatches } from "./action-pattern.ts";
import { DYNAMODB_STREAM_ACTIONS } from "./actions.ts";
import {
  type BucketGrantResource,
  bucketResourceArn,
  bucketResources,
  declaredBucket,
} from "./bucket-grants.ts";

export type GrantResource =
  | { readonly kind: "queue"; readonly name: string }
  | { readonly kind: "function"; readonly name: string }
  /** An EventBridge bus of the app by definition name. */
  | { readonly kind: "bus"; readonly name: string }
  /** A DynamoDB table of the app by definition name: the table and its indexes (`…/index/*`). */
  | { readonly kind: "table"; readonly name: string }
  /** The streams of a DynamoDB table of the app (`…/stream/*`). */
  | { readonly kind: "tableStream"; readonly name: string }
  | { readonly kind: "logGroup"; readonly function: string }
  /** The `@connections` management API of the app's WebSocket API, at its stage, for `method`. */
  | { readonly kind: "websocketConnections"; readonly method: ConnectionsMethod }
  /** A state machine of the app by definition name. */
  | { readonly kind: "stateMachine"; readonly name: string }
  /** The executions of a state machine of the app (`…:execution:<machine>:*`). */
  | { readonly kind: "stateMachineExecutions"; readonly name: string }
  /** An S3 bucket of the app, or objects of it (bucket-grants.ts). */
  | BucketGrantResource
  | { readonly kind: "arn"; readonly arn: string }
  | { readonly kind: "any" };

export interface Grant {
  /** Statement id: letters and digits, unique within the role. */
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly GrantResource[];
  /**
   * True when Lambda itself acts with the grant (sending async records to destinations), not
   * the function's code, so it links no discovery variables.
   */
  readonly byLambda?: true;
}

/** One statement of a function's derived policy (`sluice/aws`'s PolicyStatement is a template's). */
export interface GrantStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

/** An IAM identity-based policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly GrantStatement[];
}

/** Lambda writes a function's logs with these two calls; the log group is created with the function. */
export const LOG_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;
/**
 * What consuming a queue needs: the event source mapping's three (AWSLambdaSQSQueueExecutionRole)
 * and ChangeMessageVisibility, which handlers use to extend or shorten a message's timeout.
 */
export const CONSUME_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ChangeMessageVisibility",
] as const;
export const SEND_ACTIONS = ["sqs:SendMessage"] as const;
export const INVOKE_ACTIONS = ["lambda:InvokeFunction"] as const;
/** What routing to a state machine needs. */
export const START_EXECUTION_ACTIONS = ["states:StartExecution"] as const;
/** What routing to an EventBridge bus needs. */
export const PUT_EVENTS_ACTIONS = ["events:PutEvents"] as const;
/** What posting to, describing and closing WebSocket connections needs (API Gateway's `@connections`). */
export const MANAGE_CONNECTIONS_ACTIONS = ["execute-api:ManageConnections"] as const;
/** The management API's operations: POST sends, GET describes, DELETE disconnects. */
export const CONNECTIONS_METHODS = ["POST", "GET", "DELETE"] as const;
export type ConnectionsMethod = (typeof CONNECTIONS_METHODS)[number];

export function functionGrants(spec: AppSpec, fn: FunctionSpec): Grant[] {
  const grants: Grant[] = [
    { sid: "WriteLogs", actions: LOG_ACTIONS, resources: [{ kind: "logGroup", function: fn.name }] },
  ];
  if (fn.consumes) {
    grants.push({
      sid: "ConsumeQueue",
      actions: CONSUME_ACTIONS,
      resources: [{ kind: "queue", name: fn.consumes.queue }],
    });
  }
  grants.push(...tableStreamGrants(fn));
  const targets = Object.values(routeTargets(spec, possibleRouteNames(spec, fn)));
  const queues = unique(targets.flatMap((t) => (t.kind === "queue" ? [t.queue] : [])));
  const functions = unique(targets.flatMap((t) => (t.kind === "function" ? [t.function] : [])));
  const buses = unique(targets.flatMap((t) => (t.kind === "bus" ? [t.bus] : [])));
  const machines = unique(targets.flatMap((t) => (t.kind === "stateMachine" ? [t.stateMachine] : [])));
  if (queues.length > 0) {
    const resources = queues.map((name) => ({ kind: "queue", name }) as const);
    grants.push({ sid: "RouteToQueues", actions: SEND_ACTIONS, resources });
  }
  if (functions.length > 0) {
    const resources = functions.map((name) => ({ kind: "function", name }) as const);
    grants.push({ sid: "RouteToFunctions", actions: INVOKE_ACTIONS, resources });
  }
  if (buses.length > 0) {
    const resources = buses.map((name) => ({ kind: "bus", name }) as const);
    grants.push({ sid: "RouteToBuses", actions: PUT_EVENTS_ACTIONS, resources });
  }
  if (machines.length > 0) {
    const resources = machines.map((name) => ({ kind: "stateMachine", name }) as const);
    grants.push({ sid: "RouteToStateMachines", actions: START_EXECUTION_ACTIONS, resources });
  }
  grants.push(...asyncGrants(spec, fn), ...websocketGrants(spec, fn));
  for (const [index, permission] of (fn.permissions ?? []).entries()) {
    // `bucket:<name>` becomes the bucket's ARN, its objects' ARNs, or both, as the actions need.
    const resources = permission.resources
      .map(declaredResource)
      .flatMap((r): GrantResource[] =>
        r.kind === "bucket" || r.kind === "bucketObjects" ? bucketResources(r, permission.actions) : [r],
      );
    // `stateMachine:<name>` is the machine and its executions (DescribeExecution, StopExecution).
    const executions = resources.flatMap((r) =>
      r.kind === "stateMachine" ? [{ kind: "stateMachineExecutions", name: r.name } as const] : [],
    );
    // `table:<name>` covers the table's stream too, for the statements that can act on a stream.
    const streams = readsStreams(permission.actions)
      ? resources.flatMap((r) => (r.kind === "table" ? [{ kind: "tableStream", name: r.name } as const] : []))
      : [];
    grants.push({
      sid: `Declared${index + 1}`,
      actions: [...permission.actions],
      resources: [...resources, ...executions, ...streams],
    });
  }
  grants.push(...taskTokenGrants(spec, fn));
  return grants;
}

/**
 * Reporting a task token's outcome: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat.
 * IAM authorises a callback task's token against the state machine whose execution issued it
 * (AWS's AccessDenied for these actions names `…:stateMachine:<name>`; aws-cdk-lib's
 * `StateMachine.grantTaskResponse` grants exactly these three actions on the machine's ARN), so
 * they are granted on the machines the function answers for, never on `*`.
 */
export const SEND_TASK_ACTIONS = [
  "states:SendTaskSuccess",
  "states:SendTaskFailure",
  "states:SendTaskHeartbeat",
] as const;

/**
 * SendTask* for a function a state machine invokes with `lambda:invoke.waitForTaskToken` (it
 * holds the token) and for one whose permissions give a SendTask* action on `stateMachine:<name>`.
 */
function taskTokenGrants(spec: AppSpec, fn: FunctionSpec): Grant[] {
  const declared = (fn.permissions ?? []).flatMap((p) =>
    p.actions.some((a) => SEND_TASK_ACTIONS.some((send) => actionPatternMatches(a, send)))
      ? p.resources.flatMap((r) => (r.startsWith("stateMachine:") ? [r.slice("stateMachine:".length)] : []))
      : [],
  );
  const machines = unique([...tokenMachines(spec, fn), ...declared]);
  if (machines.length === 0) return [];
  return [
    {
      sid: "SendTaskTokens",
      actions: SEND_TASK_ACTIONS,
      resources: machines.map((name) => ({ kind: "stateMachine", name }) as const),
    },
  ];
}

/** The state machines whose `lambda:invoke.waitForTaskToken` (or direct Resource) task invokes `fn` with a token. */
function tokenMachines(spec: AppSpec, fn: FunctionSpec): string[] {
  return Object.values(spec.stateMachines ?? {})
    .filter((machine) =>
      machine.references.some((reference) => {
        if (reference.kind !== "function" || reference.name !== fn.name) return false;
        const resource = stateAt(machine.definition, reference.statePath)?.Resource;
        return typeof resource === "string" && parseTaskResource(resource)?.pattern === "waitForTaskToken";
      }),
    )
    .map((machine) => machine.name);
}

/**
 * What consuming a table's stream needs: Lambda's mapping reads the stream with the function's
 * role (DynamoDB's example policy for a stream-driven function grants these four on
 * `table/<name>/stream/*`: iam-policy-example-lamda-process-dynamodb-streams), and sends the
 * record of each discarded batch to the on-failure queue with it (services-ddb-errors).
 */
function tableStreamGrants(fn: FunctionSpec): Grant[] {
  const consumes = fn.consumesTable;
  if (!consumes) return [];
  const grants: Grant[] = [
    {
      sid: "ConsumeTableStream",
      actions: DYNAMODB_STREAM_ACTIONS,
      resources: [{ kind: "tableStream", name: consumes.table }],
    },
  ];
  if (consumes.onFailure !== undefined) {
    grants.push({
      sid: "StreamOnFailureQueue",
      actions: SEND_ACTIONS,
      resources: [{ kind: "queue", name: consumes.onFailure }],
      byLambda: true,
    });
  }
  return grants;
}

/** Whether some action (IAM wildcards included) is a DynamoDB Streams action. */
function readsStreams(actions: readonly string[]): boolean {
  return actions.some((action) =>
    DYNAMODB_STREAM_ACTIONS.some((stream) => actionPatternMatches(action, stream)),
  );
}

/**
 * Lambda sends asynchronous invocation records and discarded events with the function's own
 * execution role, so it needs SendMessage on destination and dead-letter queues, InvokeFunction
 * on destination functions and PutEvents on destination buses (Lambda: invocation-async-retain-records).
 */
function asyncGrants(spec: AppSpec, fn: FunctionSpec): Grant[] {
  const settings = fn.async;
  if (!settings) return [];
  const targets = [settings.onSuccess, settings.onFailure, settings.deadLetterQueue].filter(
    (name): name is string => name !== undefined,
  );
  const queues = unique(targets.filter((name) => spec.queues[name] !== undefined));
  const destinations = [settings.onSuccess, settings.onFailure].filter(
    (name): name is string => name !== undefined,
  );
  const buses = unique(destinations.filter((name) => asyncDestinationKind(spec, name) === "bus"));
  const functions = unique(
    targets.filter((name) => spec.queues[name] === undefined && !buses.includes(name)),
  );
  const grants: Grant[] = [];
  if (queues.length > 0) {
    const resources = queues.map((name) => ({ kind: "queue", name }) as const);
    grants.push({ sid: "AsyncDestinationQueues", actions: SEND_ACTIONS, resources, byLambda: true });
  }
  if (functions.length > 0) {
    const resources = functions.map((name) => ({ kind: "function", name }) as const);
    grants.push({ sid: "AsyncDestinationFunctions", actions: INVOKE_ACTIONS, resources, byLambda: true });
  }
  if (buses.length > 0) {
    const resources = buses.map((name) => ({ kind: "bus", name }) as const);
    grants.push({ sid: "AsyncDestinationBuses", actions: PUT_EVENTS_ACTIONS, resources, byLambda: true });
  }
  return grants;
}

/** A function a WebSocket route invokes may answer, inspect and close that API's connections. */
function websocketGrants(spec: AppSpec, fn: FunctionSpec): Grant[] {
  if (!spec.websocket?.routes.some((route) => route.function === fn.name)) return [];
  return [
    {
      sid: "ManageWebSocketConnections",
      actions: MANAGE_CONNECTIONS_ACTIONS,
      resources: CONNECTIONS_METHODS.map((method) => ({ kind: "websocketConnections", method }) as const),
    },
  ];
}

/**
 * `arn:…:execute-api:region:account:api-id/stage/METHOD/@connections/*`, the ARN format of the
 * `@connections` API (API Gateway: apigateway-websocket-control-access-iam).
 */
export function connectionsResourcePath(stage: string, method: ConnectionsMethod): string {
  return `${stage}/${method}/@connections/*`;
}

/**
 * `queue:<name>`, `function:<name>`, `bus:<name>`, `table:<name>`, `bucket:<name>[/<key>]`, an ARN,
 * or `*`, as the definition's `permissions` write them.
 */
export function declaredResource(text: string): GrantResource {
  if (text === "*") return { kind: "any" };
  if (text.startsWith("bucket:")) return declaredBucket(text);
  if (text.startsWith("bus:")) return { kind: "bus", name: text.slice("bus:".length) };
  if (text.startsWith("table:")) return { kind: "table", name: text.slice("table:".length) };
  if (text.startsWith("queue:")) return { kind: "queue", name: text.slice("queue:".length) };
  if (text.startsWith("function:")) return { kind: "function", name: text.slice("function:".length) };
  if (text.startsWith("stateMachine:"))
    return { kind: "stateMachine", name: text.slice("stateMachine:".length) };
  return { kind: "arn", arn: text };
}

/**
 * The ARNs a grant resource stands for. A function also stands for its qualified ARNs
 * (`...:function:name:*`), so an invoke of a version or alias is allowed too.
 */
export function grantResourceArns(spec: AppSpec, resource: GrantResource): string[] {
  switch (resource.kind) {
    case "any":
      return ["*"];
    case "arn":
      return [resource.arn];
    case "queue":
      return [
        spec.queues[resource.name] ? queueArn(spec, resource.name) : unknownArn(spec, "sqs", resource.name),
      ];
    case "function": {
      const arn = spec.functions[resource.name]
        ? functionArn(spec, resource.name)
        : unknownArn(spec, "lambda", `function:${resource.name}`);
      return [arn, `${arn}:*`];
    }
    case "bus":
      return [eventBusArn(spec, resource.name)];
    case "table": {
      const table = tableResourceArn(spec, resource.name);
      return [table, `${table}/index/*`];
    }
    case "tableStream":
      return [`${tableResourceArn(spec, resource.name)}/stream/*`];
    case "stateMachine":
      return [stateMachineArn(spec, resource.name)];
    case "stateMachineExecutions": {
      const machine = spec.stateMachines?.[resource.name];
      const name = machine?.stateMachineName ?? physicalStateMachineName(resourcePrefix(spec), resource.name);
      return [executionArnOf(spec.region, spec.accountId, name, "*")];
    }
    case "bucket":
      return [bucketResourceArn(spec, resource.name)];
    case "bucketObjects":
      return [`${bucketResourceArn(spec, resource.name)}/${resource.key}`];
    case "logGroup": {
      const fn = spec.functions[resource.function];
      const group = fn ? logGroupName(fn) : `/aws/lambda/${resource.function}`;
      return [arn("logs", spec.region, spec.accountId, `log-group:${group}:*`)];
    }
    case "websocketConnections": {
      const api = localApiId(spec.name, "websocket");
      const path = connectionsResourcePath(spec.websocket?.stage ?? "", resource.method);
      return [arn("execute-api", spec.region, spec.accountId, `${api}/${path}`)];
    }
  }
}

/** The function's permissions as an IAM policy document, every resource an ARN (or `*`). */
export function functionPolicy(spec: AppSpec, fn: FunctionSpec): PolicyDocument {
  return grantsPolicy(spec, functionGrants(spec, fn));
}

/** Grants (a function's or a state machine's) as an IAM policy document, each resource an ARN once. */
export function grantsPolicy(spec: AppSpec, grants: readonly Grant[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: grants.map((grant) => ({
      Sid: grant.sid,
      Effect: "Allow",
      Action: [...grant.actions],
      Resource: unique(grant.resources.flatMap((r) => grantResourceArns(spec, r))),
    })),
  };
}

/** Name of the function's execution role: `<functionName>-role`, shortened to IAM's 64 characters. */
export function functionRoleName(fn: FunctionSpec): string {
  const name = `${fn.functionName}-role`;
  if (name.length <= 64) return name;
  return `${fn.functionName.slice(0, 64 - "-role".length - 9)}-${hash8(fn.functionName)}-role`;
}

/** The principal a function's calls are made as: its role, assumed by Lambda, in a session named after the function. */
export function assumedRoleArn(spec: AppSpec, fn: FunctionSpec): string {
  return `arn:${partition(spec.region)}:sts::${spec.accountId}:assumed-role/${functionRoleName(fn)}/${fn.functionName}`;
}

/** A table of the app by definition name; one the spec lacks is named as the app would name it. */
function tableResourceArn(spec: AppSpec, name: string): string {
  if (spec.tables?.[name]) return tableArn(spec, name);
  return arn(
    "dynamodb",
    spec.region,
    spec.accountId,
    `table/${physicalTableName(resourcePrefix(spec), name)}`,
  );
}

/** Validation guarantees names exist; a queue made through the API later is named by its ARN instead. */
function unknownArn(spec: AppSpec, service: string, resource: string): string {
  return arn(service, spec.region, spec.accountId, resource);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** FNV-1a, hex: a short stable suffix without pulling node:crypto into the model. */
function hash8(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

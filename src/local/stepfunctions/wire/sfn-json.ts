/**
 * Step Functions over AWS JSON 1.0: `X-Amz-Target: AWSStepFunctions.<Action>`, content type
 * `application/x-amz-json-1.0`, what @aws-sdk/client-sfn v3 and `aws stepfunctions` send
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html).
 * Each call's members are checked (sfn-members.ts), authorised against the calling function's
 * IAM policy on the resource AWS's Service Authorization Reference names for the action
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html),
 * then served by the engine's StepFunctionsApi. Timestamps are epoch seconds with a fraction, as
 * the JSON protocols carry them (sfn-shapes.ts).
 */
import type { ServerResponse } from "node:http";
import {
  AccessDeniedError,
  type AwsCall,
  describeError,
  parseJsonObject,
  sendAwsJson,
} from "../../wire/index.ts";
import { EXECUTION_STATUSES, SfnApiError, type StepFunctionsApi } from "../service-api.ts";
import { SFN_API_LIMITS as API, Members, requireArn, requireJsonText } from "./sfn-members.ts";
import {
  describedExecution,
  historyEvent,
  pageOf,
  summaryOfExecution,
  summaryOfMachine,
} from "./sfn-shapes.ts";

/** A call as the Step Functions wire sees it: all it needs of the local cloud is the engine. */
export type SfnCall = AwsCall<{ readonly stepFunctions: StepFunctionsApi }>;

export const SFN_TARGET_PREFIX = "AWSStepFunctions.";

type Json = Record<string, unknown>;
type Operation = (input: Json, call: SfnCall) => unknown;

export async function handleSfnJson(
  target: string,
  body: Buffer,
  call: SfnCall,
  res: ServerResponse,
): Promise<void> {
  try {
    const action = target.slice(SFN_TARGET_PREFIX.length);
    const operation = Object.hasOwn(OPERATIONS, action) ? OPERATIONS[action] : undefined;
    if (!operation) throw unknownOperation(action);
    const output = await operation(parseJsonObject(body), call);
    sendAwsJson(res, "1.0", 200, call.requestId, JSON.stringify(output));
  } catch (error) {
    const wire = wireError(error);
    if (wire.status >= 500) call.reportBug(error);
    sendAwsJson(
      res,
      "1.0",
      wire.status,
      call.requestId,
      JSON.stringify({ __type: wire.code, message: wire.message }),
    );
  }
}

/** AWS's code, status and message; anything unexpected is InternalError without its detail. */
function wireError(error: unknown): { code: string; status: number; message: string } {
  if (error instanceof SfnApiError) return { code: error.code, status: error.status, message: error.message };
  if (error instanceof AccessDeniedError)
    return { code: "AccessDeniedException", status: 403, message: error.awsMessage(false) };
  const wire = describeError(error, false);
  return { code: wire.jsonCode, status: wire.status, message: wire.message };
}

/** By action name; looked up with Object.hasOwn, so `constructor` or `__proto__` is no action. */
const OPERATIONS: Readonly<Record<string, Operation>> = Object.freeze({
  ListStateMachines(input, call) {
    const m = new Members(input);
    const maxResults = m.integer("maxResults", API.listMaxResults);
    const nextToken = m.optional("nextToken", API.stateMachinesNextToken);
    m.check();
    call.authorize("states:ListStateMachines", "*");
    const page = pageOf(call.cloud.stepFunctions.listStateMachines(), maxResults, nextToken);
    return { stateMachines: page.items.map(summaryOfMachine), ...page.next };
  },
  DescribeStateMachine(input, call) {
    const m = new Members(input);
    const arn = m.required("stateMachineArn", API.arn);
    m.check();
    requireArn(arn, ["stateMachine"]);
    call.authorize("states:DescribeStateMachine", arn);
    const d = call.cloud.stepFunctions.describeStateMachine(arn);
    return {
      ...summaryOfMachine(d),
      status: d.status,
      definition: d.definition,
      roleArn: d.roleArn,
      loggingConfiguration: d.loggingConfiguration,
    };
  },
  StartExecution(input, call) {
    const start = startInput(input, call, "states:StartExecution");
    const { executionArn, startDate } = call.cloud.stepFunctions.startExecution(start);
    return { executionArn, startDate: startDate / 1000 };
  },
  async StartSyncExecution(input, call) {
    const start = startInput(input, call, "states:StartSyncExecution");
    const { billingDetails, ...result } = await call.cloud.stepFunctions.startSyncExecution(start);
    return { ...describedExecution(result), ...(billingDetails ? { billingDetails } : {}) };
  },
  DescribeExecution(input, call) {
    const arn = executionArn(input);
    call.authorize("states:DescribeExecution", arn);
    return describedExecution(call.cloud.stepFunctions.describeExecution(arn));
  },
  StopExecution(input, call) {
    const m = new Members(input);
    const arn = m.required("executionArn", API.arn);
    const error = m.optional("error", API.error);
    const cause = m.optional("cause", API.cause);
    m.check();
    requireArn(arn, ["execution", "express"]);
    call.authorize("states:StopExecution", arn);
    const { stopDate } = call.cloud.stepFunctions.stopExecution({
      executionArn: arn,
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
    return { stopDate: stopDate / 1000 };
  },
  ListExecutions(input, call) {
    const m = new Members(input);
    const arn = m.required("stateMachineArn", API.arn);
    const statusFilter = m.oneOf("statusFilter", EXECUTION_STATUSES);
    const maxResults = m.integer("maxResults", API.listMaxResults);
    const nextToken = m.optional("nextToken", API.executionsNextToken);
    m.check();
    requireArn(arn, ["stateMachine"]);
    call.authorize("states:ListExecutions", arn);
    const page = call.cloud.stepFunctions.listExecutions({
      stateMachineArn: arn,
      ...(statusFilter === undefined ? {} : { statusFilter }),
      ...(maxResults ? { maxResults } : {}),
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    return {
      executions: page.executions.map(summaryOfExecution),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  },
  GetExecutionHistory(input, call) {
    const m = new Members(input);
    const arn = m.required("executionArn", API.arn);
    const maxResults = m.integer("maxResults", API.listMaxResults);
    const nextToken = m.optional("nextToken", API.executionsNextToken);
    const reverseOrder = m.flag("reverseOrder");
    const includeExecutionData = m.flag("includeExecutionData");
    m.check();
    requireArn(arn, ["execution", "express"]);
    call.authorize("states:GetExecutionHistory", arn);
    const page = call.cloud.stepFunctions.getExecutionHistory({
      executionArn: arn,
      ...(reverseOrder === undefined ? {} : { reverseOrder }),
      ...(includeExecutionData === undefined ? {} : { includeExecutionData }),
      ...(maxResults ? { maxResults } : {}),
      ...(nextToken === undefined ? {} : { nextToken }),
    });
    return {
      events: page.events.map(historyEvent),
      ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
    };
  },
  SendTaskSuccess(input, call) {
    const m = new Members(input);
    const taskToken = m.required("taskToken", API.taskToken);
    const output = m.payload("output", API.taskOutput.max, true) ?? "";
    m.check();
    authorizeTask(call, "states:SendTaskSuccess", taskToken);
    requireJsonText(output, "InvalidOutput");
    call.cloud.stepFunctions.sendTaskSuccess({ taskToken, output });
    return {};
  },
  SendTaskFailure(input, call) {
    const m = new Members(input);
    const taskToken = m.required("taskToken", API.taskToken);
    const error = m.optional("error", API.error);
    const cause = m.optional("cause", API.cause);
    m.check();
    authorizeTask(call, "states:SendTaskFailure", taskToken);
    call.cloud.stepFunctions.sendTaskFailure({
      taskToken,
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
    return {};
  },
  SendTaskHeartbeat(input, call) {
    const m = new Members(input);
    const taskToken = m.required("taskToken", API.taskToken);
    m.check();
    authorizeTask(call, "states:SendTaskHeartbeat", taskToken);
    call.cloud.stepFunctions.sendTaskHeartbeat({ taskToken });
    return {};
  },
});

/**
 * StartExecution's and StartSyncExecution's members, the caller authorised for `action` before
 * the input is read (IAM is evaluated before the service looks at the request).
 */
function startInput(
  input: Json,
  call: SfnCall,
  action: string,
): {
  stateMachineArn: string;
  name?: string;
  input?: string;
  traceHeader?: string;
} {
  const m = new Members(input);
  const stateMachineArn = m.required("stateMachineArn", API.arn);
  // Its characters are the engine's to check (InvalidName); the length is the API's constraint.
  const name = m.optional("name", API.executionName);
  const text = m.payload("input", API.executionInput.max, false);
  // The request's X-Amzn-Trace-Id is preferred over the body's traceHeader, as Step Functions does.
  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
  const bodyTraceHeader = m.optional("traceHeader", API.traceHeader);
  const traceHeader = call.traceHeader ?? bodyTraceHeader;
  m.check();
  requireArn(stateMachineArn, ["stateMachine"]);
  call.authorize(action, stateMachineArn);
  if (text !== undefined) requireJsonText(text, "InvalidExecutionInput");
  return {
    stateMachineArn,
    ...(name === undefined ? {} : { name }),
    ...(text === undefined ? {} : { input: text }),
    ...(traceHeader === undefined ? {} : { traceHeader }),
  };
}

function executionArn(input: Json): string {
  const m = new Members(input);
  const arn = m.required("executionArn", API.arn);
  m.check();
  return requireArn(arn, ["execution", "express"]);
}

/**
 * SendTask* are authorised on the state machine whose execution issued the token: AWS's
 * AccessDenied for them names `…:stateMachine:<name>`, and that is where Sluice grants them
 * (model/iam/function-grants.ts, SEND_TASK_ACTIONS). A token this cloud never issued has no
 * machine; the engine answers it (InvalidToken), as it would any caller.
 */
function authorizeTask(call: SfnCall, action: string, taskToken: string): void {
  const owner = call.cloud.stepFunctions.taskTokenOwner(taskToken);
  if (owner !== undefined) call.authorize(action, owner);
}

function unknownOperation(action: string): SfnApiError {
  return new SfnApiError(
    "UnknownOperationException",
    `Sluice's Step Functions serves ${Object.keys(OPERATIONS).join(", ")}; ${action.slice(0, 64)} is not one of them.`,
  );
}

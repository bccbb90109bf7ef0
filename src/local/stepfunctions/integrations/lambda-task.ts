/**
 * Lambda as a Task: `arn:…:states:::lambda:invoke` (and `.waitForTaskToken`), and a function ARN
 * written as the Resource (the legacy form). As Step Functions does
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html):
 * - the optimized result is Invoke's response with `Payload` parsed from its JSON text:
 *   `{ ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode }`; the legacy
 *   form's result is the payload itself;
 * - a function error fails the task with the function's `errorType` as the error and the error
 *   object's JSON as the cause; unhandled ones (timeouts, crashes, out of memory) are
 *   `Lambda.Unknown`, service errors `Lambda.<Code>` such as `Lambda.TooManyRequestsException`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html);
 * - `.waitForTaskToken` invokes as asked (`InvocationType`, RequestResponse by default) with the
 *   payload carrying the token, and then waits for SendTaskSuccess/Failure: a function error
 *   still fails the task at once.
 */
import type { FunctionSpec } from "../../../model/app-spec.ts";
import type { InvokeResult } from "../../lambda/index.ts";
import { withoutLineage } from "../../traces/index.ts";
import type { TaskOutcome, TaskRequest } from "../task-port.ts";
import {
  failed,
  faultCause,
  field,
  runtimeFailure,
  sdkMetadata,
  serviceFault,
  succeeded,
  untilAborted,
} from "./task-outcomes.ts";
import type { TaskServices } from "./task-services.ts";

/** Platform failures Lambda reports under its own error types; Step Functions calls them Lambda.Unknown. */
const UNHANDLED_TYPES = new Set(["Sandbox.Timedout", "Runtime.ExitError", "Runtime.OutOfMemory"]);

export async function invokeTask(services: TaskServices, request: TaskRequest): Promise<TaskOutcome> {
  const name = field(request.parameters, "FunctionName");
  if (typeof name !== "string" || name === "") {
    return runtimeFailure(
      `lambda:invoke needs FunctionName (a function's name or ARN); got ${JSON.stringify(name) ?? "nothing"}`,
    );
  }
  const qualifier = field(request.parameters, "Qualifier");
  const fn = functionNamed(services, name, typeof qualifier === "string" ? qualifier : undefined);
  if (typeof fn === "string") return failed("Lambda.ResourceNotFoundException", fn);
  const payload = field(request.parameters, "Payload");
  const body = JSON.stringify(payload === undefined ? {} : payload);
  const invocationType = field(request.parameters, "InvocationType") ?? "RequestResponse";
  const trace = taskTrace(services, request);
  if (invocationType === "Event") {
    const { requestId } = services.invokeAsync(fn.name, body, trace.traceHeader, trace.source);
    return succeeded({ ...sdkMetadata(202, requestId), Payload: "", StatusCode: 202 });
  }
  if (invocationType !== "RequestResponse") {
    return runtimeFailure(
      `lambda:invoke supports InvocationType RequestResponse or Event; got ${JSON.stringify(invocationType)}`,
    );
  }
  let result: InvokeResult;
  try {
    // ClientContext: base64 JSON, handed to the function as context.clientContext (Invoke's parameter).
    const clientContext = field(request.parameters, "ClientContext");
    const options = {
      serialized: true,
      ...trace,
      ...(typeof clientContext === "string" ? { clientContext } : {}),
    };
    result = await untilAborted(request.signal, services.invoke(fn.name, body, options));
  } catch (error) {
    return lambdaFault(error, request.signal);
  }
  if (result.functionError !== undefined) return functionFailure(result.payload);
  return succeeded({
    ExecutedVersion: result.executedVersion,
    Payload: parsed(result.payload),
    ...sdkMetadata(result.statusCode, result.requestId),
    StatusCode: result.statusCode,
  });
}

/** A function ARN as the Resource: the result is the function's payload, errors as above. */
export async function legacyInvokeTask(
  services: TaskServices,
  request: TaskRequest,
  functionArn: string,
): Promise<TaskOutcome> {
  const fn = functionNamed(services, functionArn, undefined);
  if (typeof fn === "string") return failed("Lambda.ResourceNotFoundException", fn);
  try {
    const result = await untilAborted(
      request.signal,
      services.invoke(fn.name, JSON.stringify(request.parameters ?? {}), {
        serialized: true,
        ...taskTrace(services, request),
      }),
    );
    if (result.functionError !== undefined) return functionFailure(result.payload);
    return succeeded(parsed(result.payload));
  } catch (error) {
    return lambdaFault(error, request.signal);
  }
}

/**
 * The invoke continues the execution's trace (the X-Ray header StartExecution was given, its
 * `traceHeader`: https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html),
 * caused by the machine, in the definition's words when it has it.
 */
function taskTrace(services: TaskServices, request: TaskRequest): { traceHeader?: string; source?: string } {
  const physical = request.machineName;
  const machine =
    physical === undefined
      ? undefined
      : (Object.values(services.spec.stateMachines ?? {}).find((m) => m.stateMachineName === physical)
          ?.name ?? physical);
  return {
    // Lambda's loop detection does not count through Step Functions (invocation-recursion.html).
    ...(request.traceHeader === undefined ? {} : { traceHeader: withoutLineage(request.traceHeader) }),
    ...(machine === undefined ? {} : { source: `machine:${machine}` }),
  };
}

/** Lambda's service faults (throttling, ...) as `Lambda.<Code>`; anything else, or an abort, goes on up. */
function lambdaFault(error: unknown, signal: AbortSignal): TaskOutcome {
  const fault = serviceFault(error);
  if (fault === undefined || signal.aborted) throw error;
  return failed(`Lambda.${fault.code}`, faultCause("AWSLambda", fault));
}

/** The error object's `errorType` names the error; the whole object (JSON text) is the cause. */
function functionFailure(payload: string): TaskOutcome {
  const error = parsed(payload) as { errorType?: unknown } | undefined;
  const type = typeof error === "object" && error !== null ? error.errorType : undefined;
  if (typeof type !== "string" || type === "" || UNHANDLED_TYPES.has(type))
    return failed("Lambda.Unknown", payload);
  return failed(type, payload);
}

function parsed(text: string): unknown {
  if (text === "") return "";
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The function a name stands for, as Invoke reads FunctionName: a name (physical or the
 * definition's), `name:qualifier`, a partial ARN (`account:function:name`) or a full ARN; only
 * `$LATEST` exists locally. A string is the cause when no such function is in this cloud.
 */
function functionNamed(
  services: TaskServices,
  text: string,
  qualifierParameter: string | undefined,
): FunctionSpec | string {
  const { spec } = services;
  const parts = text.split(":");
  let name = text;
  let qualifier = qualifierParameter;
  let here = true;
  if (parts[0] === "arn") {
    here =
      parts[2] === "lambda" &&
      parts[3] === spec.region &&
      parts[4] === spec.accountId &&
      parts[5] === "function";
    name = parts[6] ?? "";
    qualifier = parts[7] ?? qualifier;
  } else if (parts[1] === "function") {
    here = parts[0] === spec.accountId;
    name = parts[2] ?? "";
    qualifier = parts[3] ?? qualifier;
  } else if (parts.length === 2) {
    name = parts[0] ?? "";
    qualifier = parts[1];
  }
  const fn = here
    ? (Object.values(spec.functions).find((f) => f.functionName === name) ??
      (Object.hasOwn(spec.functions, name) ? spec.functions[name] : undefined))
    : undefined;
  if (fn === undefined || (qualifier !== undefined && qualifier !== "$LATEST")) {
    return `Function not found: ${text} (Service: AWSLambda, Status Code: 404, Error Code: ResourceNotFoundException)`;
  }
  return fn;
}

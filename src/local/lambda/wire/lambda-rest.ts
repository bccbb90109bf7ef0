/**
 * Lambda's REST-JSON API, the part functions and scripts call: Invoke (RequestResponse, Event,
 * DryRun), GetFunction, GetFunctionConfiguration, ListFunctions.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FunctionSpec } from "../../../model/app-spec.ts";
import { LIMITS } from "../../../model/limits.ts";
import { partition } from "../../../model/naming.ts";
import { type AwsCall, sendLambdaError } from "../../wire/index.ts";
import { functionNotFound, LambdaError } from "../errors.ts";
import { checkedPayload } from "../invoke-input.ts";
import type { InvokeResult, LocalLambdaService } from "../types.ts";
import { type FunctionCodeFile, functionConfiguration, type StateFields } from "./configuration.ts";

/** What Lambda's wire handlers need of the local cloud: its functions, and invokes that route. */
export interface LambdaCloud {
  readonly lambda: LocalLambdaService;
  invoke(
    functionName: string,
    payload: string,
    options?: {
      tailLog?: boolean;
      clientContext?: string;
      serialized?: boolean;
      traceHeader?: string;
      source?: string;
    },
  ): Promise<InvokeResult>;
  /** `traceHeader`: the caller's X-Amzn-Trace-Id; `source`: the calling function (issue 20). */
  invokeAsync(
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: string,
  ): { requestId: string };
}

export type LambdaCall = AwsCall<LambdaCloud>;

export const LAMBDA_PREFIX = "/2015-03-31/functions";

export interface LambdaRequest {
  readonly req: IncomingMessage;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly code?: (fn: FunctionSpec) => FunctionCodeFile | undefined;
}

export async function handleLambda(
  request: LambdaRequest,
  call: LambdaCall,
  res: ServerResponse,
): Promise<void> {
  try {
    const rest = request.path.slice(LAMBDA_PREFIX.length);
    const method = request.req.method ?? "GET";
    if ((rest === "" || rest === "/") && method === "GET") return listFunctions(request, call, res);
    const match = /^\/([^/]+)(\/invocations|\/configuration)?\/?$/.exec(rest);
    if (!match) throw unknownOperation(method, request.path);
    const [, rawName = "", operation] = match;
    const named = namedFunction(call, decodedName(rawName), request.query.get("Qualifier"));
    const action =
      operation === "/invocations" && method === "POST"
        ? "lambda:InvokeFunction"
        : operation === "/configuration" && method === "GET"
          ? "lambda:GetFunctionConfiguration"
          : operation === undefined && method === "GET"
            ? "lambda:GetFunction"
            : undefined;
    if (action === undefined) throw unknownOperation(method, request.path);
    // IAM sees the function as the caller named it (its region and account), before Lambda looks it up.
    call.authorize(action, named.arn);
    const fn = resolveFunction(call, named);
    if (action === "lambda:InvokeFunction") return await invoke(request, call, fn, res);
    const code = request.code?.(fn);
    if (action === "lambda:GetFunctionConfiguration") {
      return sendJson(
        res,
        200,
        functionConfiguration(call.spec, fn, code, stateOf(call, fn), call.cloud.lambda.variables(fn.name)),
        call.requestId,
      );
    }
    return sendJson(
      res,
      200,
      {
        Configuration: functionConfiguration(
          call.spec,
          fn,
          code,
          stateOf(call, fn),
          call.cloud.lambda.variables(fn.name),
        ),
        Code: { RepositoryType: "S3" },
        ...(fn.reservedConcurrency === undefined
          ? {}
          : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
      },
      call.requestId,
    );
  } catch (error) {
    call.reportBug(error);
    sendLambdaError(res, error, call.requestId);
  }
}

async function invoke(
  request: LambdaRequest,
  call: LambdaCall,
  fn: FunctionSpec,
  res: ServerResponse,
): Promise<void> {
  const headers = request.req.headers;
  const type = header(headers["x-amz-invocation-type"]) ?? "RequestResponse";
  const logType = header(headers["x-amz-log-type"]) ?? "None";
  if (!["RequestResponse", "Event", "DryRun"].includes(type)) {
    throw invalidParameter(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  if (!["None", "Tail"].includes(logType)) {
    throw invalidParameter(
      `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]`,
    );
  }
  const payload = request.body.toString("utf8");
  if (type === "DryRun") {
    res.writeHead(204, { "x-amzn-requestid": call.requestId, "x-amz-executed-version": "$LATEST" });
    res.end();
    return;
  }
  if (type === "Event") {
    const max = LIMITS.lambda.asyncPayload.max;
    if (request.body.length > max) {
      throw new LambdaError(
        "RequestTooLargeException",
        `Request must be smaller than ${max} bytes for the InvokeFunction operation`,
        413,
      );
    }
    // The event keeps the caller's X-Amzn-Trace-Id: its invocation (and retries) continue that
    // trace, as Lambda respects the tracing header an upstream caller sends.
    // https://docs.aws.amazon.com/lambda/latest/dg/API_TracingConfig.html
    const { requestId } = call.cloud.invokeAsync(
      fn.name,
      checkedPayload(payload),
      call.traceHeader,
      callerRef(call),
    );
    res.writeHead(202, { "x-amzn-requestid": requestId, "content-length": 0 });
    res.end();
    return;
  }
  const clientContext = header(headers["x-amz-client-context"]);
  const result = await call.cloud.invoke(fn.name, payload, {
    tailLog: logType === "Tail",
    ...(clientContext === undefined ? {} : { clientContext }),
    ...(call.traceHeader === undefined ? {} : { traceHeader: call.traceHeader }),
    source: callerRef(call),
  });
  const out: Record<string, string | number> = {
    "content-type": "application/json",
    "x-amzn-requestid": result.requestId,
    "x-amz-executed-version": result.executedVersion,
    "content-length": Buffer.byteLength(result.payload),
  };
  if (result.functionError) out["x-amz-function-error"] = result.functionError;
  if (logType === "Tail" && result.logTail !== undefined) {
    out["x-amz-log-result"] = Buffer.from(result.logTail).toString("base64");
  }
  res.writeHead(result.statusCode, out);
  res.end(result.payload);
}

function listFunctions(request: LambdaRequest, call: LambdaCall, res: ServerResponse): void {
  call.authorize("lambda:ListFunctions", "*");
  const maxText = request.query.get("MaxItems");
  const max = maxText === null ? 50 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 10_000) {
    throw invalidParameter(
      `1 validation error detected: Value '${maxText}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  // A client signed for a region the cloud does not serve sees that region: empty.
  const served = call.region === call.spec.region ? Object.values(call.spec.functions) : [];
  const functions = served.sort((a, b) => a.functionName.localeCompare(b.functionName));
  const marker = request.query.get("Marker");
  const start = marker === null ? 0 : functions.findIndex((f) => f.functionName > marker);
  const page = start === -1 ? [] : functions.slice(start, start + max);
  const more = start !== -1 && start + max < functions.length;
  sendJson(
    res,
    200,
    {
      Functions: page.map((fn) =>
        functionConfiguration(
          call.spec,
          fn,
          request.code?.(fn),
          stateOf(call, fn),
          call.cloud.lambda.variables(fn.name),
        ),
      ),
      ...(more ? { NextMarker: page.at(-1)?.functionName } : {}),
    },
    call.requestId,
  );
}

/** A function as a request names it, and the ARN that name stands for. */
interface NamedFunction {
  readonly name: string;
  readonly qualifier?: string;
  readonly region: string;
  readonly account: string;
  /** `arn:…:lambda:<region>:<account>:function:<name>[:<qualifier>]`: what IAM checks. */
  readonly arn: string;
}

/**
 * A name, a full ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`), a partial ARN
 * (`account:function:name`) or `name:qualifier`. An ARN keeps its own region and account; a name
 * is in the region the call was signed for and the endpoint's account.
 */
function namedFunction(call: LambdaCall, text: string, queryQualifier: string | null): NamedFunction {
  const parts = text.split(":");
  let name = text;
  let qualifier: string | undefined;
  let region = call.region;
  let account = call.spec.accountId;
  if (parts[0] === "arn") {
    region = parts[3] ?? "";
    account = parts[4] ?? "";
    name = parts[6] ?? "";
    qualifier = parts[7];
  } else if (parts[1] === "function") {
    account = parts[0] ?? "";
    name = parts[2] ?? "";
    qualifier = parts[3];
  } else if (parts.length === 2) {
    [name = "", qualifier] = parts;
  }
  qualifier = queryQualifier ?? qualifier;
  const arn = `arn:${partition(region)}:lambda:${region}:${account}:function:${name}${qualifier ? `:${qualifier}` : ""}`;
  return { name, region, account, arn, ...(qualifier === undefined ? {} : { qualifier }) };
}

/**
 * The function a name stands for in this cloud. Physical names are AWS's; definition names are
 * accepted too. Only `$LATEST` exists locally; another region or account holds none of them.
 */
function resolveFunction(call: LambdaCall, named: NamedFunction): FunctionSpec {
  const fns = Object.values(call.spec.functions);
  const here = named.region === call.spec.region && named.account === call.spec.accountId;
  const fn = here
    ? (fns.find((f) => f.functionName === named.name) ?? ownFunction(call, named.name))
    : undefined;
  if (!fn || (named.qualifier !== undefined && named.qualifier !== "$LATEST")) {
    throw functionNotFound(named.arn, here ? fns.map((f) => f.functionName) : []);
  }
  return fn;
}

/** A definition name, looked up without reaching the prototype (`constructor`, `__proto__`). */
function ownFunction(call: LambdaCall, name: string): FunctionSpec | undefined {
  return Object.hasOwn(call.spec.functions, name) ? call.spec.functions[name] : undefined;
}

/** The function's Lambda state (Pending, Active, Inactive, Failed) and last update status. */
function stateOf(call: LambdaCall, fn: FunctionSpec): StateFields {
  return call.cloud.lambda.configuration(fn.name);
}

/**
 * The function name in a path segment. Bad percent-encoding names no function Lambda could
 * have: its front end answers with the name's constraint failure, not a server error.
 */
function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new LambdaError(
      "ValidationException",
      `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
      400,
    );
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function invalidParameter(message: string): LambdaError {
  return new LambdaError("InvalidParameterValueException", message, 400);
}

function unknownOperation(method: string, path: string): LambdaError {
  return new LambdaError(
    "UnknownOperationException",
    `Sluice's endpoint does not serve ${method} ${path}; it serves Invoke, GetFunction, GetFunctionConfiguration and ListFunctions.`,
    404,
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** The trace ref of who called: the signing function, else `client` (issue 20). */
function callerRef(call: LambdaCall): string {
  return call.caller === undefined ? "client" : `function:${call.caller.name}`;
}

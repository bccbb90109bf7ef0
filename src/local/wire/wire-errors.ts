/**
 * Errors as each wire protocol carries them. SQS JSON: `__type` and `message` in the body, the
 * query code and fault in `x-amzn-query-error`. Query (SQS, STS): an XML `ErrorResponse` with
 * Type, Code, Message and the request id. Lambda (REST-JSON): `x-amzn-ErrorType` and a JSON body.
 */
import type { ServerResponse } from "node:http";
import { AwsError, SluiceError } from "../../model/errors.ts";
import { AccessDeniedError } from "./access-denied.ts";
import { sendXml } from "./query-response.ts";
import { element, text } from "./xml.ts";

interface WireError {
  readonly status: number;
  /** The code a JSON body's `__type` names (SDK exception name). */
  readonly jsonCode: string;
  /** The code query XML and `x-amzn-query-error` carry. */
  readonly queryCode: string;
  readonly sender: boolean;
  readonly message: string;
}

/** What AWS says for its own failures; an unexpected error's message and stack stay in the process. */
export const INTERNAL_ERROR_MESSAGE = "We encountered an internal error. Please try again.";

/**
 * Anything thrown by a handler, as AWS would describe it; unexpected errors are InternalError
 * (500) with AWS's generic sentence: their message can name files and values of this machine,
 * and the handler's `reportBug` has already passed the error itself to the host's log.
 */
export function describeError(error: unknown, lowerCaseIamAction: boolean): WireError {
  if (error instanceof AccessDeniedError) {
    const message = error.awsMessage(lowerCaseIamAction);
    return { status: 403, jsonCode: "AccessDenied", queryCode: "AccessDenied", sender: true, message };
  }
  if (error instanceof AwsError) {
    return {
      status: error.statusCode,
      jsonCode: error.code,
      queryCode: error.queryCode ?? error.code,
      sender: error.senderFault,
      // Only SQS has this code (sqs/errors.ts); matched by code so the codecs import no surface.
      message: error.code === "QueueDoesNotExist" ? missingQueueMessage(error) : error.message,
    };
  }
  if (error instanceof SluiceError) {
    return { status: 400, jsonCode: error.code, queryCode: error.code, sender: true, message: error.message };
  }
  return {
    status: 500,
    jsonCode: "InternalError",
    queryCode: "InternalError",
    sender: false,
    message: INTERNAL_ERROR_MESSAGE,
  };
}

export function sendSqsJsonError(res: ServerResponse, error: unknown, requestId: string): void {
  const wire = describeError(error, true);
  // AccessDenied comes from IAM, not from SQS's own model.
  const type =
    error instanceof AccessDeniedError
      ? "com.amazon.coral.service#AccessDeniedException"
      : `com.amazonaws.sqs#${wire.jsonCode}`;
  const body = JSON.stringify({ __type: type, message: wire.message });
  res.writeHead(wire.status, {
    "content-type": "application/x-amz-json-1.0",
    "x-amzn-requestid": requestId,
    "x-amzn-query-error": `${wire.queryCode};${wire.sender ? "Sender" : "Receiver"}`,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendQueryError(res: ServerResponse, error: unknown, requestId: string, xmlns: string): void {
  const wire = describeError(error, true);
  const inner =
    text("Type", wire.sender ? "Sender" : "Receiver") +
    text("Code", wire.queryCode) +
    text("Message", wire.message);
  const body = `<?xml version="1.0"?><ErrorResponse xmlns="${xmlns}">${element("Error", `${inner}<Detail/>`)}${text(
    "RequestId",
    requestId,
  )}</ErrorResponse>`;
  sendXml(res, wire.status, body, requestId);
}

/**
 * Lambda's errors: `Message` or `message` in the body as the service model spells each error's
 * member, plus `Type` (User or Service) and, for throttles, `Reason` and `Retry-After`.
 */
export function sendLambdaError(res: ServerResponse, error: unknown, requestId: string): void {
  const wire = describeError(error, false);
  const code = error instanceof AccessDeniedError ? "AccessDeniedException" : wire.jsonCode;
  const context = error instanceof SluiceError ? error.context : {};
  const capitalMessage = ["ResourceNotFoundException", "ServiceException", "AccessDeniedException"].includes(
    code,
  );
  const body: Record<string, unknown> = {
    Type: wire.status >= 500 ? "Service" : "User",
    [capitalMessage ? "Message" : "message"]: wire.message,
  };
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "x-amzn-requestid": requestId,
    "x-amzn-errortype": code,
  };
  if (code === "TooManyRequestsException") {
    if (typeof context.Reason === "string") body.Reason = context.Reason;
    headers["retry-after"] = "1";
  }
  const text = JSON.stringify(body);
  headers["content-length"] = Buffer.byteLength(text);
  res.writeHead(wire.status, headers);
  res.end(text);
}

/** AWS's sentence, then what the API calls a queue (the engine's own message speaks of definition names). */
function missingQueueMessage(error: AwsError): string {
  const queue = typeof error.context.queue === "string" ? `: ${error.context.queue}` : "";
  return `The specified queue does not exist${queue}. The SQS API names queues by their physical names (<app>-<queue>, as \`sluice queues\` lists them).`;
}

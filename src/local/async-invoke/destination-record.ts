/**
 * What Lambda sends when an asynchronous invocation is done: the invocation record its destinations
 * get, and the message attributes its dead-letter queue gets with the event.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import { LIMITS } from "../../model/limits.ts";
import type { MessageAttributes } from "../sqs/index.ts";

export const DestinationCondition = {
  Success: "Success",
  RetriesExhausted: "RetriesExhausted",
  EventAgeExceeded: "EventAgeExceeded",
} as const;
export type DestinationCondition = (typeof DestinationCondition)[keyof typeof DestinationCondition];
export type FailureCondition = Exclude<DestinationCondition, "Success">;

/** How the last attempt was answered: the record's responseContext and responsePayload. */
export interface AttemptResponse {
  readonly statusCode: number;
  readonly executedVersion: string;
  /** `Unhandled` for a function error. */
  readonly functionError?: string;
  /** The JSON text the function returned, or the error object. */
  readonly payload: string;
}

export interface InvocationRecord {
  readonly version: "1.0";
  /** ISO 8601 with milliseconds, UTC. */
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    /** Qualified with the version that ran: `...:function:name:$LATEST`. */
    readonly functionArn: string;
    readonly condition: DestinationCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError?: string;
  };
  readonly responsePayload: unknown;
}

export interface RecordInput {
  readonly requestId: string;
  /** The unqualified function ARN. */
  readonly functionArn: string;
  readonly condition: DestinationCondition;
  readonly approximateInvokeCount: number;
  readonly requestPayload: string;
  readonly response: AttemptResponse;
  readonly nowMs: number;
}

export function invocationRecord(input: RecordInput): InvocationRecord {
  const { response } = input;
  return {
    version: "1.0",
    timestamp: new Date(input.nowMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:${response.executedVersion}`,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: parsed(input.requestPayload),
    responseContext: {
      statusCode: response.statusCode,
      executedVersion: response.executedVersion,
      ...(response.functionError === undefined ? {} : { functionError: response.functionError }),
    },
    responsePayload: parsed(response.payload),
  };
}

/**
 * Lambda sends a dead-letter queue the event unchanged, with RequestID (String), ErrorCode (Number:
 * the HTTP status code) and ErrorMessage (String: the first 1 KB of the error message).
 */
export function deadLetterAttributes(requestId: string, response: AttemptResponse): MessageAttributes {
  return {
    RequestID: { dataType: "String", stringValue: requestId },
    ErrorCode: { dataType: "Number", stringValue: String(response.statusCode) },
    ErrorMessage: { dataType: "String", stringValue: firstBytes(errorMessage(response.payload)) },
  };
}

/** `errorType: errorMessage` of an error object, for logs and events. */
export function errorSummary(payload: string): string {
  const error = errorFields(payload);
  return [error.errorType, error.errorMessage].filter(Boolean).join(": ") || payload;
}

/** A throttled attempt, as Lambda's Invoke answers it (429 TooManyRequestsException). */
export const THROTTLED: AttemptResponse = Object.freeze({
  statusCode: 429,
  executedVersion: "$LATEST",
  payload: JSON.stringify({ errorMessage: "Rate Exceeded.", errorType: "TooManyRequestsException" }),
});

function errorMessage(payload: string): string {
  return errorFields(payload).errorMessage ?? payload;
}

function errorFields(payload: string): { errorType?: string; errorMessage?: string } {
  const value = parsed(payload);
  if (typeof value !== "object" || value === null) return {};
  const { errorType, errorMessage } = value as Record<string, unknown>;
  return {
    ...(typeof errorType === "string" ? { errorType } : {}),
    ...(typeof errorMessage === "string" ? { errorMessage } : {}),
  };
}

/** JSON events and results as values; anything else (a non-JSON body) as its text. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The longest prefix of `text` within the limit that does not split a character. */
function firstBytes(text: string): string {
  const max = LIMITS.lambda.asyncErrorMessage.max;
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= max) return text;
  let end = max;
  // Back up over continuation bytes (10xxxxxx) to the start of the character that overflows.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString("utf8");
}

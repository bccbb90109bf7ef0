/**
 * How an invocation's outcome reads to its caller and in its log: the payload Lambda returns,
 * whether it is a function error, the platform's extra log lines and the REPORT status.
 */
import type { FunctionSpec } from "../../model/app-spec.ts";
import type { RunOutcome } from "./environment.ts";
import { RESPONSE_PAYLOAD_MAX_BYTES } from "./limits.ts";
import { runtimeExitMessage, timedOutLine, timedOutMessage } from "./platform-log.ts";

export interface Verdict {
  readonly payload: string;
  readonly functionError?: "Unhandled";
  /** Lines Lambda logs before END (timeouts, runtime exits). */
  readonly lines: readonly string[];
  readonly status?: "timeout" | "error";
  /** The failure's error type, for REPORT and INIT_REPORT. */
  readonly errorType?: string;
}

const NONE: readonly string[] = [];

export function verdict(
  fn: FunctionSpec,
  requestId: string,
  outcome: RunOutcome,
  nowMs: number,
  phase: "init" | "invoke",
): Verdict {
  switch (outcome.kind) {
    case "result":
      if (outcome.ok) return checkedResponse(outcome.payload);
      return { payload: outcome.payload, functionError: "Unhandled", lines: NONE };
    case "error":
      // A handler's error (or a crash it caused) is an ordinary function error; a failed init is
      // a platform failure, and REPORT says so.
      return phase === "init"
        ? {
            payload: outcome.payload,
            functionError: "Unhandled",
            lines: NONE,
            status: "error",
            errorType: outcome.errorType,
          }
        : { payload: outcome.payload, functionError: "Unhandled", lines: NONE };
    case "exit":
      return runtimeFailure(requestId, "Runtime.ExitError", runtimeExitMessage(outcome.code));
    case "out-of-memory":
      return runtimeFailure(requestId, "Runtime.OutOfMemory", runtimeExitMessage("killed"));
    case "timeout":
      return {
        payload: errorJson(
          "Sandbox.Timedout",
          `RequestId: ${requestId} Error: ${timedOutMessage(fn.timeoutSeconds)}`,
        ),
        functionError: "Unhandled",
        lines: [timedOutLine(nowMs, requestId, fn.timeoutSeconds)],
        status: "timeout",
        errorType: "Sandbox.Timedout",
      };
  }
}

function runtimeFailure(requestId: string, errorType: string, message: string): Verdict {
  return {
    payload: errorJson(errorType, `RequestId: ${requestId} Error: ${message}`),
    functionError: "Unhandled",
    lines: [`RequestId: ${requestId} Error: ${message}\n${errorType}`],
    status: "error",
    errorType,
  };
}

/** A result over the synchronous response limit becomes Lambda's `Function.ResponseSizeTooLarge`. */
function checkedResponse(payload: string): Verdict {
  if (payload.length * 3 > RESPONSE_PAYLOAD_MAX_BYTES) {
    const bytes = Buffer.byteLength(payload);
    if (bytes > RESPONSE_PAYLOAD_MAX_BYTES) {
      return {
        payload: JSON.stringify({
          errorMessage: `Response payload size (${bytes} bytes) exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`,
          errorType: "Function.ResponseSizeTooLarge",
        }),
        functionError: "Unhandled",
        lines: NONE,
      };
    }
  }
  return { payload, lines: NONE };
}

function errorJson(errorType: string, errorMessage: string): string {
  return JSON.stringify({ errorType, errorMessage });
}

import { AwsError, SluiceError } from "../../model/errors.ts";
import { REQUEST_PAYLOAD_MAX_BYTES } from "./limits.ts";
import type { UpdateFailure } from "./types.ts";

/** An error the Lambda API itself answers with (the invoke never reached the function). */
export class LambdaError extends AwsError {}

export type ThrottleReason =
  | "ReservedFunctionConcurrentInvocationLimitExceeded"
  | "ConcurrentInvocationLimitExceeded";

/** Lambda's 429 when no execution environment may be added; pollers and retries back off on it. */
export function tooManyRequests(functionName: string, reason: ThrottleReason, limit: number): LambdaError {
  return new LambdaError("TooManyRequestsException", "Rate Exceeded.", 429, {
    Reason: reason,
    Type: "User",
    functionName,
    limit,
  });
}

export function functionNotFound(functionArn: string, known: readonly string[]): LambdaError {
  return new LambdaError("ResourceNotFoundException", `Function not found: ${functionArn}`, 404, {
    functionArn,
    knownFunctions: known,
  });
}

export function requestTooLarge(bytes: number): LambdaError {
  return new LambdaError(
    "RequestTooLargeException",
    `Request must be smaller than ${REQUEST_PAYLOAD_MAX_BYTES} bytes for the InvokeFunction operation`,
    413,
    { payloadBytes: bytes, limitBytes: REQUEST_PAYLOAD_MAX_BYTES },
  );
}

/**
 * Lambda's answer when an invocation would run a function more times in one chain of requests
 * than its recursive loop detection allows (LIMITS.lambda.recursiveLoopInvocations). https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */
export function recursiveInvocation(functionName: string, count: number): LambdaError {
  return new LambdaError(
    "RecursiveInvocationException",
    "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.",
    400,
    { functionName, invocationsInChain: count },
  );
}

export function invalidRequestContent(message: string): LambdaError {
  return new LambdaError("InvalidRequestContentException", message, 400);
}

export function invalidClientContext(detail: string): LambdaError {
  return new LambdaError(
    "InvalidParameterValueException",
    `Client context must be a valid Base64-encoded JSON object of at most 3583 bytes: ${detail}`,
    400,
  );
}

/** New code that failed to load during a reload; the functions keep running their previous code. */
export function codeLoadFailed(failures: readonly UpdateFailure[]): SluiceError {
  const list = failures.map((f) => `${f.functionName}: ${f.reason} (${f.reasonCode})`).join("; ");
  return new SluiceError(
    "SLUICE_CODE_LOAD_FAILED",
    `the new code did not load, so the previous code keeps serving. ${list}. ` +
      "Fix the error the function's init raised and save again",
    { context: { functions: failures.map((f) => f.functionName) } },
  );
}

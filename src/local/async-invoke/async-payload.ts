import { LIMITS } from "../../model/limits.ts";
import { LambdaError } from "../lambda/index.ts";

/**
 * Lambda refuses an `Event` invoke above 1 MB before queueing it, with this code and message
 * (API_Invoke: "For asynchronous invocations, the maximum payload size is 1 MB").
 */
export function checkAsyncPayload(payload: string): void {
  const max = LIMITS.lambda.asyncPayload.max;
  if (payload.length * 3 <= max) return;
  const bytes = Buffer.byteLength(payload);
  if (bytes <= max) return;
  throw new LambdaError(
    "RequestEntityTooLargeException",
    `${bytes} byte payload is too large for the Event invocation type (limit ${max} bytes)`,
    413,
    { payloadBytes: bytes, limitBytes: max },
  );
}

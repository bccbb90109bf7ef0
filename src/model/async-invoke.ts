/** A function's asynchronous invocation settings, Lambda's defaults filled in when it states none. */
import type { AsyncInvokeSpec, FunctionSpec } from "./app-spec.ts";
import { LIMITS } from "./limits.ts";

/** Lambda's defaults: 2 retries, events kept up to 6 hours, no destinations. */
export const ASYNC_INVOKE_DEFAULTS: AsyncInvokeSpec = Object.freeze({
  maximumRetryAttempts: LIMITS.lambda.asyncRetryAttempts.default,
  maximumEventAgeSeconds: LIMITS.lambda.asyncEventAge.default,
});

export function asyncInvokeSettings(fn: FunctionSpec): AsyncInvokeSpec {
  return fn.async ?? ASYNC_INVOKE_DEFAULTS;
}

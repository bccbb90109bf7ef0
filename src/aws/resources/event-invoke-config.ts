import type { FunctionSpec } from "../../model/app-spec.ts";
import { ref } from "../intrinsics.ts";
import { logicalId } from "../logical-ids.ts";
import type { TemplateResource } from "../template.ts";

/**
 * Lambda's defaults for asynchronous invocation (2 retries, 6 hours), the ones `dev` applies,
 * written out so the deployed function states them (Lambda: invocation-async-error-handling).
 */
export const ASYNC_INVOKE_DEFAULTS = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600 } as const;

export function eventInvokeConfig(fn: FunctionSpec): TemplateResource {
  return {
    Type: "AWS::Lambda::EventInvokeConfig",
    Properties: {
      FunctionName: ref(logicalId("function", fn.name)),
      Qualifier: "$LATEST",
      MaximumRetryAttempts: ASYNC_INVOKE_DEFAULTS.maximumRetryAttempts,
      MaximumEventAgeInSeconds: ASYNC_INVOKE_DEFAULTS.maximumEventAgeSeconds,
    },
  };
}

/**
 * What a Task state's Resource names: an optimized integration (`arn:<partition>:states:::sqs:sendMessage`),
 * an AWS SDK integration (`…:::aws-sdk:s3:getObject`), each with an optional pattern suffix
 * (`.sync`, `.sync:2`, `.waitForTaskToken`), or a Lambda function's ARN written directly (the
 * legacy form, whose result is the function's payload itself).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */

import { parseTaskResource } from "../../../model/state-machine-integrations.ts";

export type TaskTarget =
  | { readonly kind: "integration"; readonly service: string; readonly action: string }
  | { readonly kind: "sdk"; readonly service: string; readonly action: string }
  | { readonly kind: "function"; readonly functionArn: string }
  | { readonly kind: "unknown" };

const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:./;

/** The service and action a Resource calls; the URI and its pattern are read by the model's one rule. */
export function taskTarget(resource: string): TaskTarget {
  if (FUNCTION_ARN.test(resource)) return { kind: "function", functionArn: resource };
  const parsed = parseTaskResource(resource);
  if (parsed === undefined) return { kind: "unknown" };
  const [first = "", second = "", third, ...rest] = parsed.api.split(":");
  if (first === "aws-sdk") {
    return second !== "" && third !== undefined && third !== "" && rest.length === 0
      ? { kind: "sdk", service: second, action: third }
      : { kind: "unknown" };
  }
  if (first === "" || second === "" || third !== undefined) return { kind: "unknown" };
  return { kind: "integration", service: first, action: second };
}

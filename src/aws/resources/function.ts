import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { ARTIFACT_BUCKET_PARAMETER, logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { functionEnvironment } from "./function-environment.ts";
import { healthVariables } from "./health.ts";
import { queueArnValue } from "./references.ts";

/** The file and export every bundle has: `index.mjs` exporting the wrapped `handler`. */
const BUNDLE_HANDLER = "index.handler";

export type Architecture = "x86_64" | "arm64";

export function functionResource(
  spec: AppSpec,
  fn: FunctionSpec,
  architecture: Architecture,
): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    FunctionName: fn.functionName,
    Code: {
      S3Bucket: ref(ARTIFACT_BUCKET_PARAMETER),
      S3Key: ref(logicalId("codeKeyParameter", fn.name)),
    },
    Handler: BUNDLE_HANDLER,
    Runtime: fn.runtime,
    Architectures: [architecture],
    MemorySize: fn.memorySize,
    Timeout: fn.timeoutSeconds,
    Role: getAtt(logicalId("role", fn.name), "Arn"),
  };
  const variables = { ...functionEnvironment(spec, fn), ...healthVariables(fn) };
  if (Object.keys(variables).length > 0) properties.Environment = { Variables: variables };
  if (fn.reservedConcurrency !== undefined) properties.ReservedConcurrentExecutions = fn.reservedConcurrency;
  if (fn.description !== undefined) properties.Description = fn.description;
  // Lambda's dead-letter queue for discarded asynchronous events (the role may SendMessage to it).
  if (fn.async?.deadLetterQueue !== undefined) {
    properties.DeadLetterConfig = { TargetArn: queueArnValue(fn.async.deadLetterQueue) };
  }
  return {
    Type: "AWS::Lambda::Function",
    Properties: properties,
    // The role may not create log groups, so the stack's group must exist before the first log line.
    DependsOn: [logicalId("logGroup", fn.name)],
  };
}

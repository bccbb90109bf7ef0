import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { asyncDestinationKind, asyncInvokeSettings } from "../../model/async-invoke.ts";
import { ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { busArnValue, functionArnValue, queueArnValue } from "./references.ts";

/**
 * The function's asynchronous invocation settings, Lambda's defaults (2 retries, 6 hours)
 * written out when the definition states none, so the deployed function behaves as `dev` does
 * (Lambda: invocation-async-error-handling). The dead-letter queue is the function's own
 * `DeadLetterConfig`, not part of this resource.
 */
export function eventInvokeConfig(spec: AppSpec, fn: FunctionSpec): TemplateResource {
  const settings = asyncInvokeSettings(fn);
  const properties: Record<string, TemplateValue> = {
    FunctionName: ref(logicalId("function", fn.name)),
    Qualifier: "$LATEST",
    MaximumRetryAttempts: settings.maximumRetryAttempts,
    MaximumEventAgeInSeconds: settings.maximumEventAgeSeconds,
  };
  const destinations: Record<string, TemplateValue> = {};
  if (settings.onSuccess !== undefined) {
    destinations.OnSuccess = { Destination: destinationArn(spec, settings.onSuccess) };
  }
  if (settings.onFailure !== undefined) {
    destinations.OnFailure = { Destination: destinationArn(spec, settings.onFailure) };
  }
  if (Object.keys(destinations).length > 0) properties.DestinationConfig = destinations;
  // A destination function is named by ARN (no reference), yet Lambda checks it when the
  // configuration is put, so wait for it; nothing depends on this resource, so no cycle can form.
  const functions = [settings.onSuccess, settings.onFailure].filter(
    (name): name is string =>
      name !== undefined && asyncDestinationKind(spec, name) === "function" && name !== fn.name,
  );
  const dependsOn = [...new Set(functions)].map((name) => logicalId("function", name));
  return {
    Type: "AWS::Lambda::EventInvokeConfig",
    Properties: properties,
    ...(dependsOn.length > 0 ? { DependsOn: dependsOn } : {}),
  };
}

/** Validation allows functions, standard queues and buses; a function is named by ARN, so two may point at each other. */
function destinationArn(spec: AppSpec, name: string): TemplateValue {
  const kind = asyncDestinationKind(spec, name);
  if (kind === "queue") return queueArnValue(name);
  return kind === "bus" ? busArnValue(name) : functionArnValue(spec, name);
}

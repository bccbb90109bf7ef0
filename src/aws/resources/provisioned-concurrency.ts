import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { PROVISIONED_ALIAS } from "../../model/schedule/spec.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { logicalId, pascal } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { physicalName } from "./references.ts";

/** Logical IDs of a function's published version, alias and scalable target. */
export function provisionedIds(fn: FunctionSpec): { version: string; alias: string; scalableTarget: string } {
  const base = logicalId("function", fn.name);
  return {
    version: `${base}Version`,
    alias: `${base}Alias`,
    scalableTarget: `${base}ProvisionedConcurrency`,
  };
}

/**
 * Provisioned concurrency lives on a version or alias, never $LATEST. Sluice publishes a version
 * of each build (its Description is the zip's S3 key, so new code replaces the version) and points
 * the `live` alias at it. A fixed capacity is the alias's ProvisionedConcurrencyConfig; a schedule
 * is an Application Auto Scaling scalable target with one scheduled action per step.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-lambda.html
 */
export function provisionedResources(spec: AppSpec, fn: FunctionSpec): Record<string, TemplateResource> {
  const provisioned = fn.provisionedConcurrency;
  if (!provisioned) return {};
  const ids = provisionedIds(fn);
  const functionId = logicalId("function", fn.name);
  const out: Record<string, TemplateResource> = {
    [ids.version]: {
      Type: "AWS::Lambda::Version",
      Properties: { FunctionName: ref(functionId), Description: ref(logicalId("codeKeyParameter", fn.name)) },
    },
  };
  out[ids.alias] = {
    Type: "AWS::Lambda::Alias",
    Properties: {
      FunctionName: ref(functionId),
      FunctionVersion: getAtt(ids.version, "Version"),
      Name: PROVISIONED_ALIAS,
      ...(provisioned.kind === "fixed"
        ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: provisioned.capacity } }
        : {}),
    },
  };
  if (provisioned.kind === "scheduled") {
    out[ids.scalableTarget] = {
      Type: "AWS::ApplicationAutoScaling::ScalableTarget",
      DependsOn: [ids.alias],
      Properties: {
        ServiceNamespace: "lambda",
        ScalableDimension: "lambda:function:ProvisionedConcurrency",
        ResourceId: `function:${physicalName(spec, fn.name)}:${PROVISIONED_ALIAS}`,
        MinCapacity: 0,
        MaxCapacity: Math.max(...provisioned.actions.map((a) => a.capacity)),
        ScheduledActions: provisioned.actions.map((action, i) => ({
          ScheduledActionName: `${pascal(fn.name)}Step${i + 1}`,
          Schedule: action.expression,
          Timezone: action.timezone,
          ScalableTargetAction: { MinCapacity: action.capacity, MaxCapacity: action.capacity },
        })),
      },
    };
  }
  return out;
}

/**
 * What invokers of a function name: its `live` alias when it has provisioned concurrency (so the
 * provisioned environments serve event source mappings, API integrations and schedules), else the
 * function.
 */
export function invokedFunctionName(fn: FunctionSpec): { Ref: string } {
  return ref(fn.provisionedConcurrency ? provisionedIds(fn).alias : logicalId("function", fn.name));
}

/** The ARN invokers use: the `live` alias's (its Ref) with provisioned concurrency, else the function's. */
export function invokedFunctionArn(fn: FunctionSpec): TemplateValue {
  return fn.provisionedConcurrency
    ? ref(provisionedIds(fn).alias)
    : getAtt(logicalId("function", fn.name), "Arn");
}

/**
 * AWS::AutoScaling::AutoScalingGroup (issue 19): its sizes are checked as Auto Scaling checks them
 * and kept (the desired capacity is how many targets the fleet's target group reports locally),
 * but no instance starts: `sluice cloud` runs the fleet as one local `sluice serve`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-autoscaling-autoscalinggroup.html
 */
import { randomUUID } from "node:crypto";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  generatedName,
  numberProp,
  type Properties,
  randomChars,
  requiredKey,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const LAUNCH_SOURCES = ["LaunchTemplate", "LaunchConfigurationName", "MixedInstancesPolicy", "InstanceId"];

function sizes(
  properties: Properties,
  context: ResourceContext,
): { min: number; max: number; desired: number } {
  const bad = (key: string): never => {
    throw new ResourceFailure(`Value of property ${key} must be of type Integer`);
  };
  const min = numberProp(properties, "MinSize", bad) ?? requiredKey(context, "MinSize");
  const max = numberProp(properties, "MaxSize", bad) ?? requiredKey(context, "MaxSize");
  if (min > max)
    throw new ResourceFailure(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  const desired = numberProp(properties, "DesiredCapacity", bad) ?? min;
  if (desired < min || desired > max) {
    throw new ResourceFailure(
      `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
    );
  }
  if (!LAUNCH_SOURCES.some((key) => properties[key] !== undefined)) {
    throw new ResourceFailure(
      "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
    );
  }
  if (properties.VPCZoneIdentifier === undefined && properties.AvailabilityZones === undefined) {
    throw new ResourceFailure("At least one Availability Zone or VPC Subnet is required.");
  }
  return { min, max, desired };
}

export function autoScalingGroupProvider(env: ProviderEnv) {
  const attributes = (name: string, context: ResourceContext, properties: Properties) => {
    const { min, max, desired } = sizes(properties, context);
    return {
      AutoScalingGroupARN: `${arnPrefix(context, "autoscaling")}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${name}`,
      MinSize: min,
      MaxSize: max,
      DesiredCapacity: desired,
    };
  };
  return defineProvider("AWS::AutoScaling::AutoScalingGroup", {
    create(properties, context) {
      const name =
        stringProp(properties, "AutoScalingGroupName") ??
        generatedName(context, { maxLength: 255, random: env.random ?? randomChars });
      return { physicalId: name, attributes: attributes(name, context, properties) };
    },
    update(current, properties, context) {
      const next = attributes(current.physicalId, context, properties);
      return {
        physicalId: current.physicalId,
        attributes: { ...next, AutoScalingGroupARN: current.attributes.AutoScalingGroupARN },
      };
    },
  });
}

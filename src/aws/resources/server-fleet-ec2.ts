/**
 * An EC2 fleet (issue 19): a launch template (Amazon Linux 2023, IMDSv2 only, no key pair:
 * Session Manager is the way in) and an Auto Scaling group behind the target group.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-launchtemplate.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-autoscaling-autoscalinggroup.html
 */
import type { ServerSpec } from "../../model/servers.ts";
import { base64, getAtt, ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { sluiceServerMetadata } from "./server-fleet-serve.ts";

/**
 * The public Systems Manager parameter holding the latest Amazon Linux 2023 image for an
 * architecture, read by CloudFormation at each stack operation (a dynamic reference), so every
 * instance of one deploy runs the same image and a later deploy picks up a newer one.
 * https://docs.aws.amazon.com/linux/al2023/ug/ec2.html#launch-via-aws-cli
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html
 */
export function amazonLinuxImage(architecture: InstanceArchitecture): string {
  return `{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}}}`;
}

export type InstanceArchitecture = "arm64" | "x86_64";

/**
 * The architecture of an instance type: Graviton (arm64) families carry the `g` capability letter
 * after their generation (t4g, c7gn, m7gd, im4gn, is4gen, g5g), and a1 is the first Graviton;
 * everything else Amazon Linux runs on is x86_64 (g4dn and g6e are x86 GPU families: their `g`
 * is the series, not a capability).
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 */
export function instanceArchitecture(instanceType: string): InstanceArchitecture {
  const family = instanceType.split(".")[0] ?? "";
  if (family === "a1") return "arm64";
  const capabilities = /^[a-z]+\d+([a-z]*)/.exec(family)?.[1] ?? "";
  return capabilities.includes("g") ? "arm64" : "x86_64";
}

/** How long a new instance has to install, start and answer /healthz before CloudFormation gives up. */
export const INSTANCE_SIGNAL_TIMEOUT = "PT15M";
/**
 * How long the Auto Scaling group ignores the load balancer's health checks of a new instance:
 * installing Node.js and the artifact's packages takes a few minutes before /healthz answers.
 */
export const HEALTH_CHECK_GRACE_SECONDS = 600;

export function fleetLaunchTemplate(
  fleet: ServerSpec,
  instanceType: string,
  userData: TemplateValue,
): TemplateResource {
  return {
    Type: "AWS::EC2::LaunchTemplate",
    Metadata: sluiceServerMetadata(fleet),
    Properties: {
      LaunchTemplateData: {
        ImageId: amazonLinuxImage(instanceArchitecture(instanceType)),
        InstanceType: instanceType,
        IamInstanceProfile: { Arn: getAtt(logicalId("fleetInstanceProfile", fleet.name), "Arn") },
        SecurityGroupIds: [getAtt(logicalId("fleetSecurityGroup", fleet.name), "GroupId")],
        // IMDSv2 only: a token is required, and one network hop keeps containers from the role.
        MetadataOptions: { HttpEndpoint: "enabled", HttpTokens: "required", HttpPutResponseHopLimit: 1 },
        UserData: base64(userData),
      },
    },
  };
}

/**
 * The group: min/desired/max from the fleet, in its subnets, registered with the target group and
 * replaced when the load balancer finds an instance unhealthy. A new instance signals when it
 * serves (server-fleet-user-data.ts); creation waits for `minSize` signals, and a change of the
 * launch template replaces instances one at a time, keeping `minSize` in service where `maxSize`
 * leaves room (MinInstancesInService must be below MaxSize).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-creationpolicy.html
 */
export function fleetAutoScalingGroup(fleet: ServerSpec, subnets: TemplateValue): TemplateResource {
  const template = logicalId("fleetLaunchTemplate", fleet.name);
  const properties: Record<string, TemplateValue> = {
    MinSize: String(fleet.minSize),
    MaxSize: String(fleet.maxSize),
    DesiredCapacity: String(fleet.minSize),
    VPCZoneIdentifier: subnets,
    LaunchTemplate: { LaunchTemplateId: ref(template), Version: getAtt(template, "LatestVersionNumber") },
    HealthCheckType: fleet.loadBalancer ? "ELB" : "EC2",
    HealthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
    Tags: [{ Key: "Name", Value: `sluice-${fleet.name}`, PropagateAtLaunch: true }],
  };
  if (fleet.loadBalancer) properties.TargetGroupARNs = [ref(logicalId("fleetTargetGroup", fleet.name))];
  const resource: TemplateResource = {
    Type: "AWS::AutoScaling::AutoScalingGroup",
    Properties: properties,
    UpdatePolicy: {
      AutoScalingRollingUpdate: {
        MinInstancesInService: Math.max(0, Math.min(fleet.minSize, fleet.maxSize - 1)),
        MaxBatchSize: 1,
        WaitOnResourceSignals: true,
        PauseTime: INSTANCE_SIGNAL_TIMEOUT,
        // What AWS advises with WaitOnResourceSignals, so the group does not replace or
        // rebalance instances that are still installing.
        SuspendProcesses: [
          "HealthCheck",
          "ReplaceUnhealthy",
          "AZRebalance",
          "AlarmNotification",
          "ScheduledActions",
        ],
      },
    },
  };
  if (fleet.minSize > 0) {
    resource.CreationPolicy = { ResourceSignal: { Count: fleet.minSize, Timeout: INSTANCE_SIGNAL_TIMEOUT } };
  }
  return resource;
}

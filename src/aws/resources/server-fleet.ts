/**
 * Each server fleet of the definition (issue 19) in the app's template: its artifact parameter,
 * its network (security groups, and an application load balancer unless `loadBalancer: false`),
 * its role(s), the platform's resources (server-fleet-ec2.ts or server-fleet-fargate.ts), its log
 * group, and the outputs deploy prints and waits on.
 *
 * Subnets and VPC: a fleet's `subnets` are written into the template; without them the fleet
 * uses the default VPC's subnets, which no template can name, so it declares a
 * `<Fleet>FleetSubnets` parameter that deploy fills (DescribeSubnets of the default VPC). The VPC
 * is always a `<Fleet>FleetVpc` parameter deploy fills (the VPC of those subnets): security
 * groups and target groups need it (deploy/fleet-network.ts fills both).
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { SERVER_DEFAULTS } from "../../model/validate/servers.ts";
import type { TemplateBuilder } from "../template/builder.ts";
import { ref, sub } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateValue } from "../template/template.ts";
import type { LogRetentionDays } from "./log-group.ts";
import { fleetAutoScalingGroup, fleetLaunchTemplate } from "./server-fleet-ec2.ts";
import {
  fleetCluster,
  fleetScalableTarget,
  fleetService,
  fleetTaskDefinition,
} from "./server-fleet-fargate.ts";
import { fleetLogGroupName } from "./server-fleet-names.ts";
import {
  fleetListener,
  fleetLoadBalancer,
  fleetSecurityGroup,
  fleetTargetGroup,
  loadBalancerSecurityGroup,
} from "./server-fleet-network.ts";
import {
  fleetExecutionRole,
  fleetInstanceProfile,
  fleetInstanceRole,
  fleetTaskRole,
} from "./server-fleet-role.ts";
import { fleetUserData } from "./server-fleet-user-data.ts";

export function addServerFleets(builder: TemplateBuilder, spec: AppSpec, retention: LogRetentionDays): void {
  for (const fleet of Object.values(spec.servers ?? {})) addFleet(builder, spec, fleet, retention);
}

function addFleet(
  builder: TemplateBuilder,
  spec: AppSpec,
  fleet: ServerSpec,
  retention: LogRetentionDays,
): void {
  const owner = `server fleet "${fleet.name}"`;
  const id = (kind: Parameters<typeof logicalId>[0]) => logicalId(kind, fleet.name);
  builder.addParameter(
    id("fleetArtifactKeyParameter"),
    {
      Type: "String",
      Description: `S3 key of server fleet "${fleet.name}"'s artifact in the artifact bucket`,
    },
    owner,
  );
  builder.addParameter(
    id("fleetVpcParameter"),
    {
      Type: "AWS::EC2::VPC::Id",
      Description: `VPC of server fleet "${fleet.name}"'s subnets (deploy looks it up)`,
    },
    owner,
  );
  let subnets: TemplateValue;
  if (fleet.subnets) subnets = [...fleet.subnets];
  else {
    builder.addParameter(
      id("fleetSubnetsParameter"),
      {
        Type: "List<AWS::EC2::Subnet::Id>",
        Description: `Subnets of server fleet "${fleet.name}": the default VPC's (deploy looks them up)`,
      },
      owner,
    );
    subnets = ref(id("fleetSubnetsParameter"));
  }
  const vpc = ref(id("fleetVpcParameter"));
  builder.addResource(
    id("fleetLogGroup"),
    {
      Type: "AWS::Logs::LogGroup",
      Properties: { LogGroupName: fleetLogGroupName(spec, fleet), RetentionInDays: retention },
      DeletionPolicy: "Delete",
      UpdateReplacePolicy: "Delete",
    },
    owner,
  );
  if (fleet.loadBalancer) {
    builder.addResource(id("fleetLoadBalancerSecurityGroup"), loadBalancerSecurityGroup(fleet, vpc), owner);
    builder.addResource(id("fleetLoadBalancer"), fleetLoadBalancer(spec, fleet, subnets), owner);
    builder.addResource(id("fleetTargetGroup"), fleetTargetGroup(spec, fleet, vpc), owner);
    builder.addResource(id("fleetListener"), fleetListener(fleet), owner);
  }
  builder.addResource(id("fleetSecurityGroup"), fleetSecurityGroup(fleet, vpc), owner);
  if (fleet.platform === "ec2") addEc2(builder, spec, fleet, subnets, owner);
  else addFargate(builder, spec, fleet, subnets, owner);
  if (fleet.loadBalancer) {
    builder.addOutput(
      id("fleetUrlOutput"),
      {
        Description: `URL of server fleet "${fleet.name}"'s load balancer`,
        Value: sub(`http://\${${id("fleetLoadBalancer")}.DNSName}`),
      },
      owner,
    );
    builder.addOutput(
      id("fleetTargetGroupOutput"),
      { Description: `Target group of server fleet "${fleet.name}"`, Value: ref(id("fleetTargetGroup")) },
      owner,
    );
  }
}

function addEc2(
  builder: TemplateBuilder,
  spec: AppSpec,
  fleet: ServerSpec,
  subnets: TemplateValue,
  owner: string,
): void {
  const id = (kind: Parameters<typeof logicalId>[0]) => logicalId(kind, fleet.name);
  builder.addResource(id("fleetInstanceRole"), fleetInstanceRole(spec, fleet), owner);
  builder.addResource(id("fleetInstanceProfile"), fleetInstanceProfile(fleet), owner);
  const instanceType = fleet.instanceType ?? SERVER_DEFAULTS.instanceType;
  builder.addResource(
    id("fleetLaunchTemplate"),
    fleetLaunchTemplate(fleet, instanceType, fleetUserData(spec, fleet)),
    owner,
  );
  const group = fleetAutoScalingGroup(fleet, subnets);
  // The log group exists before the first instance's agent ships to it.
  group.DependsOn = [id("fleetLogGroup"), ...(fleet.loadBalancer ? [id("fleetListener")] : [])];
  builder.addResource(id("fleetAutoScalingGroup"), group, owner);
}

function addFargate(
  builder: TemplateBuilder,
  spec: AppSpec,
  fleet: ServerSpec,
  subnets: TemplateValue,
  owner: string,
): void {
  const id = (kind: Parameters<typeof logicalId>[0]) => logicalId(kind, fleet.name);
  builder.addResource(id("fleetTaskRole"), fleetTaskRole(spec, fleet), owner);
  builder.addResource(id("fleetExecutionRole"), fleetExecutionRole(spec, fleet), owner);
  builder.addResource(id("fleetCluster"), fleetCluster(), owner);
  const task = fleetTaskDefinition(spec, fleet);
  task.DependsOn = [id("fleetLogGroup")];
  builder.addResource(id("fleetTaskDefinition"), task, owner);
  builder.addResource(id("fleetService"), fleetService(fleet, subnets), owner);
  builder.addResource(id("fleetScalableTarget"), fleetScalableTarget(fleet), owner);
}

/**
 * A fleet's network (issue 19): the load balancer is the only thing that listens to the internet
 * (port 80 from 0.0.0.0/0 and ::/0); the servers accept only their port, and only from the load
 * balancer's security group. No SSH anywhere (Session Manager reaches EC2 instances). A fleet
 * without a load balancer gets a security group with no ingress at all.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
 */
import type { AppSpec } from "../../model/app-spec.ts";
import {
  FLEET_HEALTH_CHECK,
  FLEET_HEALTH_PATH as HEALTH_CHECK_PATH,
} from "../../model/fleet-health-check.ts";
import { loadBalancerIdleSeconds } from "../../model/fleet-load-balancer.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { getAtt, ref } from "../template/intrinsics.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { fleetLoadBalancerName, fleetTargetGroupName } from "./server-fleet-names.ts";

/** The listener's port: plain HTTP on 80 (a certificate needs a domain; the failover records give one). */
export const LISTENER_PORT = 80;

export function loadBalancerSecurityGroup(fleet: ServerSpec, vpc: TemplateValue): TemplateResource {
  return {
    Type: "AWS::EC2::SecurityGroup",
    Properties: {
      GroupDescription: `Load balancer of server fleet ${fleet.name}: HTTP from anywhere`,
      VpcId: vpc,
      SecurityGroupIngress: [
        { IpProtocol: "tcp", FromPort: LISTENER_PORT, ToPort: LISTENER_PORT, CidrIp: "0.0.0.0/0" },
        { IpProtocol: "tcp", FromPort: LISTENER_PORT, ToPort: LISTENER_PORT, CidrIpv6: "::/0" },
      ],
    },
  };
}

/** The servers' group: `port` from the load balancer's group only, or nothing without one. */
export function fleetSecurityGroup(fleet: ServerSpec, vpc: TemplateValue): TemplateResource {
  const properties: Record<string, TemplateValue> = {
    GroupDescription: fleet.loadBalancer
      ? `Servers of fleet ${fleet.name}: port ${fleet.port} from its load balancer only`
      : `Servers of fleet ${fleet.name}: no inbound traffic`,
    VpcId: vpc,
  };
  if (fleet.loadBalancer) {
    properties.SecurityGroupIngress = [
      {
        IpProtocol: "tcp",
        FromPort: fleet.port,
        ToPort: fleet.port,
        SourceSecurityGroupId: getAtt(logicalId("fleetLoadBalancerSecurityGroup", fleet.name), "GroupId"),
        Description: "sluice serve, from the load balancer",
      },
    ];
  }
  return { Type: "AWS::EC2::SecurityGroup", Properties: properties };
}

/**
 * An internet-facing application load balancer across the fleet's subnets. Its idle timeout
 * outlasts the longest timeout of the functions it serves (a request is bounded by the function's
 * timeout, not API Gateway's 30 s: the server sends nothing until the handler answers, and the
 * load balancer would cut it after 60 s idle by default). Headers that are not valid HTTP are
 * dropped rather than passed to the handlers (AWS Config's alb-http-drop-invalid-header-enabled).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout
 */
export function fleetLoadBalancer(
  spec: AppSpec,
  fleet: ServerSpec,
  subnets: TemplateValue,
): TemplateResource {
  return {
    Type: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    Properties: {
      Name: fleetLoadBalancerName(spec, fleet),
      Type: "application",
      Scheme: "internet-facing",
      Subnets: subnets,
      SecurityGroups: [getAtt(logicalId("fleetLoadBalancerSecurityGroup", fleet.name), "GroupId")],
      LoadBalancerAttributes: [
        { Key: "idle_timeout.timeout_seconds", Value: String(fleetIdleTimeout(spec, fleet)) },
        { Key: "routing.http.drop_invalid_header_fields.enabled", Value: "true" },
      ],
    },
  };
}

/**
 * Seconds a connection may idle: ELB's default, or the longest served timeout and a margin; the
 * server's keep-alive outlasts it (both in model/fleet-load-balancer.ts).
 */
export function fleetIdleTimeout(spec: AppSpec, fleet: ServerSpec): number {
  return loadBalancerIdleSeconds(spec, fleet.functions);
}

/**
 * HTTP to `port`, checked on /healthz; instances by ID on EC2, task IPs on Fargate (awsvpc gives
 * each task its own interface). The deregistration delay is the server's shutdown deadline: the
 * load balancer stops sending new requests and lets in-flight ones finish for as long as the
 * server takes to drain after SIGTERM (validate/servers.ts keeps it within the delay's maximum).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
 */
export function fleetTargetGroup(spec: AppSpec, fleet: ServerSpec, vpc: TemplateValue): TemplateResource {
  return {
    Type: "AWS::ElasticLoadBalancingV2::TargetGroup",
    Properties: {
      Name: fleetTargetGroupName(spec, fleet),
      Port: fleet.port,
      Protocol: "HTTP",
      VpcId: vpc,
      TargetType: fleet.platform === "ec2" ? "instance" : "ip",
      HealthCheckEnabled: true,
      HealthCheckProtocol: "HTTP",
      HealthCheckPath: HEALTH_CHECK_PATH,
      HealthCheckIntervalSeconds: FLEET_HEALTH_CHECK.intervalSeconds,
      HealthCheckTimeoutSeconds: FLEET_HEALTH_CHECK.timeoutSeconds,
      HealthyThresholdCount: FLEET_HEALTH_CHECK.healthyThresholdCount,
      UnhealthyThresholdCount: FLEET_HEALTH_CHECK.unhealthyThresholdCount,
      Matcher: { HttpCode: "200" },
      TargetGroupAttributes: [
        { Key: "deregistration_delay.timeout_seconds", Value: String(fleet.shutdownSeconds) },
      ],
    },
  };
}

/** HTTP on 80, forwarding everything to the target group. */
export function fleetListener(fleet: ServerSpec): TemplateResource {
  return {
    Type: "AWS::ElasticLoadBalancingV2::Listener",
    Properties: {
      LoadBalancerArn: ref(logicalId("fleetLoadBalancer", fleet.name)),
      Port: LISTENER_PORT,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "forward", TargetGroupArn: ref(logicalId("fleetTargetGroup", fleet.name)) }],
    },
  };
}

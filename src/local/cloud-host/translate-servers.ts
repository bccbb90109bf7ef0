/**
 * A region's deployed server fleets (issue 19), as `sluice cloud` runs them: one local
 * `sluice serve` per fleet rather than instances or tasks. Pure: from the `Sluice::Server`
 * metadata on each fleet's launch template (EC2) or task definition (Fargate), and the resources
 * that reference it — the auto-scaling group or ECS service (how many targets), its target
 * groups, the listeners forwarding to them and their load balancer (whose port the process takes,
 * so `http://${DNSName}` reaches it). Linked by the Refs AWS follows, not by logical ids.
 */
import { LIMITS } from "../../model/limits.ts";
import { SERVER_METADATA_KEY } from "../../model/servers.ts";
import { SERVER_DEFAULTS } from "../../model/validate/servers.ts";
import { LOAD_BALANCER_PORT_ATTRIBUTE, type ResourceMetadata } from "../cloudformation/index.ts";
import type { DeployedResource, Props } from "./deployed-resources.ts";

/** The metadata key slice T writes on a fleet's launch template or task definition. */
export { SERVER_METADATA_KEY };

export interface FleetTargetGroup {
  readonly arn: string;
  /** The port targets register with (the fleet's port). */
  readonly port: number;
  readonly targetType: string;
  readonly healthCheckPath: string;
  /** @default 5 s, ELB's default for HTTP target groups */
  readonly healthCheckTimeoutSeconds: number;
}

export interface FleetPlan {
  /** `<stack>/<fleet>`: a fleet is one process per stack. */
  readonly key: string;
  readonly region: string;
  readonly stackName: string;
  readonly fleet: string;
  readonly shutdownSeconds: number;
  readonly artifact: { readonly bucket: string; readonly key: string };
  /** The load balancer's port (its DNSName's), where the process listens; absent: any free port. */
  readonly port?: number;
  readonly targetGroups: readonly FleetTargetGroup[];
  /** Instances or tasks the fleet asks for: how many targets its target groups report. */
  readonly desired: number;
}

/**
 * ELB's defaults for an HTTP target group's health check: path `/` (CreateTargetGroup's
 * HealthCheckPath), the timeout from limits.ts.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 */
const DEFAULT_HEALTH_CHECK = { path: "/", timeoutSeconds: LIMITS.elb.healthCheckTimeoutSeconds.default };

export function translateServers(
  region: string,
  resources: readonly DeployedResource[],
  metadata: readonly ResourceMetadata[],
  notes: string[] = [],
): FleetPlan[] {
  const plans: FleetPlan[] = [];
  for (const entry of metadata) {
    const meta = entry.metadata as Props;
    const fleet = typeof meta?.Fleet === "string" ? meta.Fleet : undefined;
    const artifact = meta?.Artifact as Props | undefined;
    const bucket = artifact?.Bucket;
    const key = artifact?.Key;
    if (fleet === undefined || typeof bucket !== "string" || typeof key !== "string" || key === "") {
      notes.push(
        `${entry.stackName}/${entry.logicalId}: ${SERVER_METADATA_KEY} names no fleet or artifact; not run`,
      );
      continue;
    }
    const sameStack = resources.filter((r) => r.stackName === entry.stackName);
    const owner = ownerOf(entry, sameStack);
    const targetGroups = owner.targetGroupArns.flatMap((arn) => {
      const tg = sameStack.find(
        (r) => r.resourceType === "AWS::ElasticLoadBalancingV2::TargetGroup" && r.physicalId === arn,
      );
      return tg ? [targetGroup(tg)] : [];
    });
    const port = loadBalancerPort(sameStack, owner.targetGroupArns);
    plans.push({
      key: `${entry.stackName}/${fleet}`,
      region,
      stackName: entry.stackName,
      fleet,
      shutdownSeconds:
        Number(meta.ShutdownSeconds ?? SERVER_DEFAULTS.shutdownSeconds) || SERVER_DEFAULTS.shutdownSeconds,
      artifact: { bucket, key },
      ...(port === undefined ? {} : { port }),
      targetGroups,
      desired: owner.desired,
    });
  }
  return plans;
}

/** The auto-scaling group or ECS service that runs the metadata's launch template or task definition. */
function ownerOf(
  entry: ResourceMetadata,
  resources: readonly DeployedResource[],
): { readonly targetGroupArns: readonly string[]; readonly desired: number } {
  if (entry.resourceType === "AWS::EC2::LaunchTemplate") {
    const group = resources.find((r) => {
      if (r.resourceType !== "AWS::AutoScaling::AutoScalingGroup") return false;
      const lt = r.properties.LaunchTemplate as Props | undefined;
      return lt?.LaunchTemplateId === entry.physicalId;
    });
    return {
      targetGroupArns: strings(group?.properties.TargetGroupARNs),
      desired: Number(group?.attributes.DesiredCapacity ?? 1),
    };
  }
  const service = resources.find(
    (r) => r.resourceType === "AWS::ECS::Service" && r.properties.TaskDefinition === entry.physicalId,
  );
  const balancers = Array.isArray(service?.properties.LoadBalancers)
    ? (service.properties.LoadBalancers as Props[])
    : [];
  return {
    targetGroupArns: balancers.flatMap((b) =>
      typeof b?.TargetGroupArn === "string" ? [b.TargetGroupArn] : [],
    ),
    desired: Number(service?.attributes.DesiredCount ?? 1),
  };
}

function targetGroup(tg: DeployedResource): FleetTargetGroup {
  const p = tg.properties;
  return {
    arn: tg.physicalId,
    port: Number(p.Port ?? 80),
    targetType: typeof p.TargetType === "string" ? p.TargetType : "instance",
    healthCheckPath: typeof p.HealthCheckPath === "string" ? p.HealthCheckPath : DEFAULT_HEALTH_CHECK.path,
    healthCheckTimeoutSeconds: Number(p.HealthCheckTimeoutSeconds ?? DEFAULT_HEALTH_CHECK.timeoutSeconds),
  };
}

/** The port of the load balancer whose listener forwards to one of the target groups. */
function loadBalancerPort(
  resources: readonly DeployedResource[],
  targetGroupArns: readonly string[],
): number | undefined {
  for (const listener of resources.filter(
    (r) => r.resourceType === "AWS::ElasticLoadBalancingV2::Listener",
  )) {
    const actions = Array.isArray(listener.properties.DefaultActions)
      ? (listener.properties.DefaultActions as Props[])
      : [];
    const forwards = actions.flatMap((a) => [
      a?.TargetGroupArn,
      ...(((a?.ForwardConfig as Props | undefined)?.TargetGroups as Props[] | undefined) ?? []).map(
        (t) => t?.TargetGroupArn,
      ),
    ]);
    if (!forwards.some((arn) => typeof arn === "string" && targetGroupArns.includes(arn))) continue;
    const lb = resources.find(
      (r) =>
        r.resourceType === "AWS::ElasticLoadBalancingV2::LoadBalancer" &&
        r.physicalId === listener.properties.LoadBalancerArn,
    );
    const port = Number(lb?.attributes[LOAD_BALANCER_PORT_ATTRIBUTE]);
    if (Number.isInteger(port) && port > 0) return port;
  }
  return undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

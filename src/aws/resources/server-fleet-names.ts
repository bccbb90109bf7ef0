/**
 * Physical names of a server fleet's resources (issue 19). Elastic Load Balancing names load
 * balancers and target groups with at most 32 letters, digits and inner hyphens (limits.ts
 * `elb.loadBalancerName`, `elb.targetGroupName`), so a long `<app>-<stage>-<fleet>` is cut and
 * keeps a digest of the whole, as bucket names do.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import { resourcePrefix } from "../../model/naming.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { sha256Hex } from "../../model/sha256.ts";

/** Hex characters of the digest a shortened name keeps. */
const DIGEST_CHARS = 8;

/** The application load balancer's Name: `<app>-<stage>-<fleet>`, at most 32 characters. */
export function fleetLoadBalancerName(spec: AppSpec, fleet: ServerSpec): string {
  return elbName(`${resourcePrefix(spec)}-${fleet.name}`, "", LIMITS.elb.loadBalancerName.max);
}

/**
 * The target group's Name. A named resource cannot be replaced in place (CloudFormation would
 * create the new one under the same name first), and a target group is replaced when its port or
 * target type changes, so both are part of the name: a new port is a new group, created before
 * the listener moves to it and the old one is deleted.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-targetgroup.html
 */
export function fleetTargetGroupName(spec: AppSpec, fleet: ServerSpec): string {
  const variant = sha256Hex(`${fleet.port}/${fleet.platform}`).slice(0, 4);
  return elbName(`${resourcePrefix(spec)}-${fleet.name}`, `-${variant}`, LIMITS.elb.targetGroupName.max);
}

/** The CloudWatch Logs group the fleet's servers write to (systemd's output on EC2, awslogs on Fargate). */
export function fleetLogGroupName(spec: AppSpec, fleet: ServerSpec): string {
  return `/sluice/${resourcePrefix(spec)}/servers/${fleet.name}`;
}

/** Where an EC2 fleet's instances keep the servers' log files (logrotate rotates them). */
export const INSTANCE_LOG_DIR = "/var/log/sluice";

/**
 * The systemd unit that runs a fleet's `sluice serve` on an EC2 instance. Its output goes to
 * `fleetInstanceLogFile`, not the journal, so that is the file to read on an instance.
 */
export function fleetUnitName(fleet: ServerSpec): string {
  return `sluice-${fleet.name}.service`;
}

/** The file an EC2 fleet's unit appends the server's JSON log lines to (the agent ships it). */
export function fleetInstanceLogFile(fleet: ServerSpec): string {
  return `${INSTANCE_LOG_DIR}/${fleet.name}.log`;
}

/**
 * `stem` + `suffix` in ELB's alphabet (anything else becomes a hyphen), at most `max` characters:
 * a longer stem is cut and followed by a digest of the whole stem, so two long names that share
 * their start still differ. A name never starts with `internal-` (reserved for internal load
 * balancers' DNS names) nor starts or ends with a hyphen.
 */
function elbName(stem: string, suffix: string, max: number): string {
  let clean = stem
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (clean.toLowerCase().startsWith("internal-")) clean = `s-${clean}`;
  if (clean.length + suffix.length <= max) return `${clean}${suffix}`;
  const digest = sha256Hex(stem).slice(0, DIGEST_CHARS);
  const room = max - suffix.length - DIGEST_CHARS - 1;
  return `${clean.slice(0, room).replace(/-+$/, "")}-${digest}${suffix}`;
}

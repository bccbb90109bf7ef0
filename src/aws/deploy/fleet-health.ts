/**
 * After the stack is deployed, a load-balanced server fleet is ready once its target group
 * reports at least `minSize` healthy targets (ELBv2 DescribeTargetHealth: the load balancer's
 * own health checks on `/healthz`). CloudFormation's CREATE_COMPLETE for an auto-scaling group
 * or ECS service says nothing about the servers answering, so deploy waits here, on its polling
 * clock, bounded, reporting "fleet web: 1/2 healthy" as the count changes.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 */
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { AppSpec } from "../../model/app-spec.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { fleetInstanceLogFile, fleetLogGroupName, fleetUnitName } from "../resources/server-fleet-names.ts";
import { logicalId } from "../template/logical-ids.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import type { DeployListener } from "./deploy-events.ts";
import { type Polling, pollUntil } from "./polling.ts";

/**
 * How long a fleet may take to become healthy: an instance boots, installs Node and the
 * artifact's packages, and then needs the target group's healthy threshold of checks. Sluice's
 * own bound, not AWS's; a smaller deploy-wide polling bound wins.
 */
export const FLEET_HEALTH_TIMEOUT_MS = 20 * 60_000;

/** One target as DescribeTargetHealth reports it. */
export interface FleetTarget {
  readonly id: string;
  readonly port?: number;
  /** initial | healthy | unhealthy | unhealthy.draining | unused | draining | unavailable */
  readonly state: string;
  readonly reason?: string;
  readonly description?: string;
}

export interface FleetHealth {
  readonly fleet: string;
  /** `http://<load balancer DNS name>` (the `<Fleet>FleetUrl` output). */
  readonly url?: string;
  readonly targetGroupArn: string;
  readonly healthy: number;
  readonly wanted: number;
  readonly targets: readonly FleetTarget[];
}

export async function fleetTargets(
  elbv2: Pick<ElasticLoadBalancingV2Client, "send">,
  targetGroupArn: string,
): Promise<FleetTarget[]> {
  const { DescribeTargetHealthCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
  const answer = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return (answer.TargetHealthDescriptions ?? []).map((d) => ({
    id: d.Target?.Id ?? "",
    ...(d.Target?.Port === undefined ? {} : { port: d.Target.Port }),
    state: d.TargetHealth?.State ?? "unknown",
    ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
    ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
  }));
}

/**
 * Waits for every load-balanced fleet of `spec` whose target group the stack outputs; a fleet
 * without a load balancer has nothing to wait on. Fleets are waited on one after the other: the
 * bound is per fleet, and they boot in parallel anyway.
 */
export async function waitForFleets(
  clients: { elbv2(): Promise<Pick<ElasticLoadBalancingV2Client, "send">>; readonly region: string },
  spec: AppSpec,
  outputs: Readonly<Record<string, string>>,
  poll: Polling,
  onEvent: DeployListener,
): Promise<FleetHealth[]> {
  const results: FleetHealth[] = [];
  const bounded: Polling = { ...poll, timeoutMs: Math.min(poll.timeoutMs, FLEET_HEALTH_TIMEOUT_MS) };
  for (const fleet of Object.values(spec.servers ?? {})) {
    const targetGroupArn = outputs[logicalId("fleetTargetGroupOutput", fleet.name)];
    if (!fleet.loadBalancer || targetGroupArn === undefined) continue;
    const elbv2 = await clients.elbv2();
    const url = outputs[logicalId("fleetUrlOutput", fleet.name)];
    const wanted = fleet.minSize;
    let last: FleetTarget[] = [];
    let reported = -1;
    const healthy = await pollUntil(
      bounded,
      async () => {
        last = await fleetTargets(elbv2, targetGroupArn);
        const count = last.filter((t) => t.state === "healthy").length;
        if (count !== reported) {
          reported = count;
          onEvent({
            type: "fleet-health",
            region: clients.region,
            fleet: fleet.name,
            healthy: count,
            wanted,
          });
        }
        return count >= wanted ? count : undefined;
      },
      () =>
        new DeployError(
          DEPLOY_ERROR.fleetUnhealthy,
          `fleet ${fleet.name} in ${clients.region}: ${Math.max(reported, 0)}/${wanted} healthy target(s) after ${Math.round(bounded.timeoutMs / 1000)}s; ${unhealthyText(last)}. The stack is deployed; look at the servers' logs (${serverLogsText(spec, fleet)}) and deploy again.`,
          { context: { fleet: fleet.name, targetGroupArn } },
        ),
    );
    results.push({
      fleet: fleet.name,
      ...(url === undefined ? {} : { url }),
      targetGroupArn,
      healthy,
      wanted,
      targets: last,
    });
  }
  return results;
}

/** `i-0abc (unhealthy, Target.Timeout: Request timed out); …`, or that there is no target yet. */
export function unhealthyText(targets: readonly FleetTarget[]): string {
  const bad = targets.filter((t) => t.state !== "healthy");
  if (targets.length === 0) return "the target group has no registered targets (no instance or task started)";
  if (bad.length === 0) return "every registered target is healthy, but too few are registered";
  return `not healthy: ${bad
    .map(
      (t) =>
        `${t.id}${t.port === undefined ? "" : `:${t.port}`} (${t.state}${t.reason ? `, ${t.reason}` : ""}${t.description ? `: ${t.description}` : ""})`,
    )
    .join("; ")}`;
}

/**
 * Where a fleet's servers log: the log group, and on an EC2 instance the file its systemd unit
 * appends to (the user data sends the unit's output there, so `journalctl` shows only systemd's
 * own lines). A Fargate task has no instance to log in to.
 */
function serverLogsText(spec: AppSpec, fleet: ServerSpec): string {
  const group = `the fleet's log group ${fleetLogGroupName(spec, fleet)}`;
  if (fleet.platform !== "ec2") return group;
  return `${group}, or ${fleetInstanceLogFile(fleet)} on an instance, \`systemctl status ${fleetUnitName(fleet)}\` for the service`;
}

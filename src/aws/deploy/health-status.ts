/**
 * `sluice status` of a multi-region app: the state of each region's Route 53 health check in the
 * global stack, from GetHealthCheckStatus (what each Route 53 checker saw last). Route 53 counts
 * a check healthy while more than 18% of its checkers report it healthy.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
 */
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";
import type { AppSpec } from "../../model/app-spec.ts";
import { appRegions } from "../../model/failover.ts";
import { LIMITS } from "../../model/limits.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { AwsClients } from "./clients.ts";
import { globalStack, stackResources } from "./stacks.ts";

export interface RegionHealthStatus {
  readonly region: string;
  readonly healthCheckId: string;
  /** As Route 53 decides it from its checkers' last reports; `unknown` before any report. */
  readonly status: "healthy" | "unhealthy" | "unknown";
  readonly checkers: number;
  /** Checkers whose last report was a success. */
  readonly succeeding: number;
  /** The newest report: its text (`Success: HTTP Status Code 200, OK`) and time. */
  readonly lastReport?: { readonly status: string; readonly checkedAt: string };
}

export interface GlobalHealthStatus {
  readonly stackName: string;
  readonly stackStatus: string;
  readonly regions: readonly RegionHealthStatus[];
}

/** The global stack's health checks, or undefined when the stage has no global stack. */
export async function globalHealthStatus(
  clients: Pick<AwsClients, "cloudFormation" | "route53">,
  spec: AppSpec,
  stage: string,
): Promise<GlobalHealthStatus | undefined> {
  const stack = await globalStack(clients.cloudFormation, spec.name, stage, "global");
  if (stack === undefined) return undefined;
  const resources = await stackResources(clients.cloudFormation, stack.stackName);
  const regions: RegionHealthStatus[] = [];
  for (const region of appRegions(spec)) {
    const id = logicalId("regionHealthCheck", region);
    const healthCheckId = resources.find(
      (r) => r.LogicalResourceId === id && r.ResourceStatus !== "DELETE_COMPLETE",
    )?.PhysicalResourceId;
    if (healthCheckId === undefined) continue;
    const answer = await clients.route53.send(
      new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId }),
    );
    regions.push(summarise(region, healthCheckId, answer.HealthCheckObservations ?? []));
  }
  return { stackName: stack.stackName, stackStatus: stack.status, regions };
}

export function summarise(
  region: string,
  healthCheckId: string,
  observations: readonly { StatusReport?: { Status?: string; CheckedTime?: Date } }[],
): RegionHealthStatus {
  const reports = observations.flatMap((o) => (o.StatusReport?.Status ? [o.StatusReport] : []));
  const succeeding = reports.filter((r) => r.Status?.startsWith("Success")).length;
  const newest = [...reports].sort(
    (a, b) => (b.CheckedTime?.getTime() ?? 0) - (a.CheckedTime?.getTime() ?? 0),
  )[0];
  const share = LIMITS.route53.healthyCheckerShare.default;
  return {
    region,
    healthCheckId,
    status:
      reports.length === 0 ? "unknown" : succeeding * 100 > share * reports.length ? "healthy" : "unhealthy",
    checkers: reports.length,
    succeeding,
    ...(newest?.Status
      ? { lastReport: { status: newest.Status, checkedAt: newest.CheckedTime?.toISOString() ?? "" } }
      : {}),
  };
}

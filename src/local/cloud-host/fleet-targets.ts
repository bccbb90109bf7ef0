/**
 * The targets a fleet's target group reports in `sluice cloud` (ELB DescribeTargetHealth,
 * local/elbv2/): one per instance or task the fleet asks for, each with the health of the fleet's
 * one local `sluice serve` process, checked as the target group checks (its path and timeout).
 */
import { createHash } from "node:crypto";
import { request } from "node:http";
import { healthOf, type TargetHealthDescription } from "../elbv2/index.ts";
import type { FleetPlan, FleetTargetGroup } from "./translate-servers.ts";

/**
 * `served`: where the fleet's process listens, "exited" once it stopped by itself (until it is
 * started again, or for good once given up), undefined before it was started. A process that
 * exited is a server whose checks fail, as on AWS; only one not started yet is in its initial
 * checks.
 */
export async function groupTargets(
  plan: FleetPlan,
  group: FleetTargetGroup,
  served: { readonly port: number } | "exited" | undefined,
  host: string,
): Promise<TargetHealthDescription[]> {
  const health = healthOf(
    served === undefined
      ? { kind: "starting" }
      : served === "exited"
        ? { kind: "error" }
        : await probe(host, served.port, group.healthCheckPath, group.healthCheckTimeoutSeconds * 1000),
  );
  return Array.from({ length: plan.desired }, (_, i) => ({
    id: targetId(plan, group.targetType, i),
    port: group.port,
    healthCheckPort: String(group.port),
    health,
  }));
}

/** A stable placeholder id per target: `i-` and 17 hex digits, or a loopback address for `ip` targets. */
function targetId(plan: FleetPlan, targetType: string, index: number): string {
  if (targetType === "ip") return `127.0.0.${index + 1}`;
  return `i-${createHash("sha256").update(`${plan.key}#${index}`).digest("hex").slice(0, 17)}`;
}

/** One health check: GET the path; its status, a timeout, or a connection error. */
function probe(
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<Parameters<typeof healthOf>[0]> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ kind: "status", status: res.statusCode ?? 0 });
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ kind: "timeout" });
    });
    req.on("error", () => resolve({ kind: "error" }));
    req.end();
  });
}

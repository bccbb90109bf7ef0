/**
 * Elastic Load Balancing v2's target health, as `sluice cloud` answers it for deploy's wait
 * (issue 19). Instances are not simulated: a fleet's load balancer is one local `sluice serve`
 * process, and each of the `desired` targets its auto-scaling group or service asks for reports
 * that process's `/healthz`, with the state and reason codes ELB uses:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 */
import { AwsError } from "../../model/errors.ts";

/** `healthy`, or the state and reason code of a target that is not. */
export interface TargetHealth {
  readonly state: "initial" | "healthy" | "unhealthy" | "unused" | "draining";
  readonly reason?: string;
  readonly description?: string;
}

export interface TargetHealthDescription {
  /** An instance id (`i-…`) or an IP address, as the target group's TargetType says. */
  readonly id: string;
  readonly port: number;
  /** The port the load balancer checks health on. */
  readonly healthCheckPort: string;
  readonly health: TargetHealth;
}

/**
 * Where the answers come from (the cloud host's fleet runner): the targets of a target group by
 * ARN, or undefined when the region has no such target group.
 */
export type TargetHealthSource = (
  region: string,
  targetGroupArn: string,
) => Promise<readonly TargetHealthDescription[] | undefined>;

/** ELB's error for an unknown target group (DescribeTargetHealth's Errors). */
export function targetGroupNotFound(arn: string): AwsError {
  return new AwsError("TargetGroupNotFound", `Target groups '${arn}' not found`, 400);
}

/**
 * The health one `/healthz` answer means: 200 healthy; another status
 * Target.ResponseCodeMismatch; no answer in time Target.Timeout; a refused or broken connection
 * Target.FailedHealthChecks (a process that exited is checked as refusing); no process started
 * yet Elb.InitialHealthChecking.
 */
export function healthOf(
  probe:
    | { readonly kind: "status"; readonly status: number }
    | { readonly kind: "timeout" }
    | { readonly kind: "error" }
    | { readonly kind: "starting" },
): TargetHealth {
  switch (probe.kind) {
    case "status":
      return probe.status === 200
        ? { state: "healthy" }
        : {
            state: "unhealthy",
            reason: "Target.ResponseCodeMismatch",
            description: `Health checks failed with these codes: [${probe.status}]`,
          };
    case "timeout":
      return { state: "unhealthy", reason: "Target.Timeout", description: "Request timed out" };
    case "error":
      return { state: "unhealthy", reason: "Target.FailedHealthChecks", description: "Health checks failed" };
    case "starting":
      return {
        state: "initial",
        reason: "Elb.InitialHealthChecking",
        description: "Initial health checks in progress",
      };
  }
}

/**
 * How a fleet's health is judged (issue 19), in one place for synth and the local runs: the
 * target group checks `sluice serve`'s `/healthz` with these numbers (aws/resources/
 * server-fleet-network.ts), and the fleet's Route 53 alias record, with EvaluateTargetHealth,
 * inherits the target group's health, so dev's local Route 53 checks a fleet with the same ones
 * (dev/region-failover.ts), not a Route 53 health check's.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 */

/** The path `sluice serve` answers 200 on while serving and 503 while it shuts down. */
export const FLEET_HEALTH_PATH = "/healthz";

/**
 * The target group's health checks: quicker than ELB's defaults (30 s, 5 healthy checks, so
 * 2.5 minutes before a new server takes traffic), within its bounds (limits.ts `elb.*`). A server
 * marked draining answers 503 at once, so two failures at 10 s take it out in 20 s.
 */
export const FLEET_HEALTH_CHECK = {
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
} as const satisfies Record<string, number>;

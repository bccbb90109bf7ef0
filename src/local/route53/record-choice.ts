/**
 * Which record of a group (same name, same routing policy) Route 53 answers with, given each
 * record's health
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html):
 * a record without a health check is always healthy; when no record of the group is healthy,
 * Route 53 treats them all as healthy and chooses by the routing policy alone, so a failover pair
 * with both checks unhealthy answers with the PRIMARY, and latency records answer with the lowest
 * latency overall. Failover: the PRIMARY while it is healthy, else the SECONDARY
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html#dns-failover-types-active-passive).
 * Latency: the healthy record whose region has the lowest latency to the caller
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html); locally
 * the caller is this machine and the latencies are the ones the user set.
 */
import type { RecordConfig } from "./route53-config.ts";

export interface ChoiceInputs {
  /** The health of a check by id; an unknown check counts as healthy (as a new one does). */
  readonly healthy: (checkId: string) => boolean;
  /** Milliseconds from the caller to a region; unset regions sort last, ties by record order. */
  readonly latencyOf: (region: string) => number | undefined;
}

/** The record to answer with, from records that all share one name (in the order they were given). */
export function chooseRecord(group: readonly RecordConfig[], inputs: ChoiceInputs): RecordConfig | undefined {
  if (group.length === 0) return undefined;
  const healthy = group.filter((r) => r.healthCheckId === undefined || inputs.healthy(r.healthCheckId));
  // No healthy record: Route 53 must answer something, so every record counts as healthy.
  const candidates = healthy.length > 0 ? healthy : group;
  if (group.some((r) => r.failover !== undefined)) {
    return (
      candidates.find((r) => r.failover === "PRIMARY") ?? candidates.find((r) => r.failover === "SECONDARY")
    );
  }
  if (group.some((r) => r.latencyRegion !== undefined)) return lowestLatency(candidates, inputs);
  return candidates[0];
}

function lowestLatency(candidates: readonly RecordConfig[], inputs: ChoiceInputs): RecordConfig | undefined {
  let best: RecordConfig | undefined;
  let bestMs = Number.POSITIVE_INFINITY;
  for (const record of candidates) {
    const ms = inputs.latencyOf(record.latencyRegion ?? record.region) ?? Number.POSITIVE_INFINITY;
    if (best === undefined || ms < bestMs) {
      best = record;
      bestMs = ms;
    }
  }
  return best;
}

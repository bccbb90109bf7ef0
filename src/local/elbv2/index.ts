/**
 * Elastic Load Balancing v2 in `sluice cloud` (issue 19): target health for deploy's wait on a
 * server fleet, answered from the fleet's local `sluice serve` process.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { healthOf, type TargetHealthDescription } from "./target-health.ts";
export { handleElbv2Query } from "./wire/elbv2-query.ts";

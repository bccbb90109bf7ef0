/**
 * EC2 in `sluice cloud` (issue 19): the default VPC and its two default subnets, for deploy's
 * lookup of a server fleet's network. No instance runs: a fleet is a local `sluice serve`.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { handleEc2Query } from "./wire/ec2-query.ts";

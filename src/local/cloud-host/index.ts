/**
 * The local AWS account (`sluice cloud`): one endpoint for every region, CloudFormation making
 * resources real, one LocalCloud per region.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { CloudHostEvent } from "./cloud-host.ts";
export { CloudHost, DEFAULT_STATE_DIR } from "./cloud-host.ts";

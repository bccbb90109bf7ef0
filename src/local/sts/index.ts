/**
 * STS over the query protocol (GetCallerIdentity).
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { handleSts } from "./wire/sts-query.ts";

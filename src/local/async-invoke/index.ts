/**
 * Lambda's internal queue for asynchronous invokes, with its retries and destinations.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { AsyncInvokeEvent } from "./async-invoke-queue.ts";
export { AsyncInvokeQueue } from "./async-invoke-queue.ts";

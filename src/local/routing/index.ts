/**
 * Delivers what a function's routing wrapper asked for to queues, functions and buses.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { AsyncInvoker, ExecutionStarter } from "./router.ts";
export { Router } from "./router.ts";

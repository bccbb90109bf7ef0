/**
 * SQS event source mappings: the poller that delivers queue batches to functions.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { SqsPoller } from "./sqs-poller.ts";
export type { PollerEvent } from "./sqs-poller.ts";
export { StreamPoller } from "./stream-poller.ts";
export type { StreamPollerEvent, StreamPollerOptions } from "./stream-poller.ts";

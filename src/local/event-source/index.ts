/**
 * SQS event source mappings: the poller that delivers queue batches to functions.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export { readBatchResponse } from "./batch-item-failures.ts";
export { compileFilters, sqsFilterView } from "./record-filter.ts";
export { SqsBatchPayload } from "./sqs-batch-payload.ts";
export { toSqsEvent } from "./sqs-event.ts";
export type { PollerEvent } from "./sqs-poller.ts";
// What `sluice serve`'s SQS consumers share with the mapping (issue 19): one event shape, one
// reading of a partial batch response (readBatchResponse), one filter (compileFilters), one
// concurrency rule (mappingConcurrency, the throttle backoff).
export { mappingConcurrency, SqsPoller, THROTTLE_BACKOFF_MS, throttleBackoffMs } from "./sqs-poller.ts";
export type { StreamPollerEvent, StreamPollerOptions } from "./stream-poller.ts";
export { StreamPoller } from "./stream-poller.ts";

/**
 * Numbers the Lambda surface enforces. AWS's own limits come from the model's table where it has
 * them; the rest cite their source here.
 */
import { LIMITS } from "../../model/limits.ts";

/** Synchronous Invoke request payload (API_Invoke: 6 MB). */
export const REQUEST_PAYLOAD_MAX_BYTES: number = LIMITS.lambda.syncPayload.max;

/**
 * Synchronous response payload. Lambda measures it against 6 MB plus 100 bytes, the number its
 * `Function.ResponseSizeTooLarge` message quotes.
 */
export const RESPONSE_PAYLOAD_MAX_BYTES = 6_291_556;

/** `LogType: Tail` returns the last 4 KB of the invocation's log (API_Invoke, LogResult). */
export const LOG_TAIL_BYTES = 4096;

/**
 * Lambda gives a function's init phase 10 seconds; an on-demand init that runs longer is retried
 * inside the invoke phase under the function timeout. Sluice allows both in one go.
 */
export const INIT_TIMEOUT_MS = 10_000;

/** Concurrent executions per account and region (default quota), shared by unreserved functions. */
export const ACCOUNT_CONCURRENCY: number = LIMITS.lambda.reservedConcurrency.max;

/** Sluice's choice: how long an idle execution environment stays warm. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** `ClientContext`: up to 3,583 bytes of base64-encoded data (API_Invoke). */
export const CLIENT_CONTEXT_MAX_BYTES = 3583;

/**
 * Sluice's choice: execution environments alive at once across all functions (see
 * environment-cap.ts). Lambda itself would go to the account's 1,000, but each environment is a
 * worker thread of about 8 MB RSS before the handler allocates anything (500 took 4.1 GB in issue
 * 11); 64 keeps that near 0.5 GB while staying well above what one developer's app asks for: an SQS
 * event source starts 5 concurrent batches, the HTTP benchmarks drive 10 connections.
 */
export const DEFAULT_MAX_ENVIRONMENTS = 64;

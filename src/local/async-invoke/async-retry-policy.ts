/**
 * Lambda's timing for asynchronous invocation: after a function error, a retry about a minute later
 * and another about two minutes after that; a throttled attempt is not counted and is tried again
 * shortly; an event older than its maximum age is discarded.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
import { ASYNC_INVOKE_DEFAULTS } from "../../model/async-invoke.ts";

/** Lambda's defaults: two retries within an event age of 6 hours. */
export const ASYNC_DEFAULTS = {
  maximumRetryAttempts: ASYNC_INVOKE_DEFAULTS.maximumRetryAttempts,
  maximumEventAgeSeconds: ASYNC_INVOKE_DEFAULTS.maximumEventAgeSeconds,
} as const;

const MINUTE_MS = 60_000;

/**
 * Sluice retries a throttled attempt a second later every time. Lambda starts at one second and
 * backs off up to 5 minutes; locally a throttle only happens when another caller takes the last
 * environment between the capacity check and the invoke, so the wait stays short.
 */
const THROTTLE_RETRY_MS = 1000;

/** Delay before retry number `attempt` (1-based). */
export function retryDelayMs(attempt: number, throttled: boolean): number {
  if (throttled) return THROTTLE_RETRY_MS;
  return attempt <= 1 ? MINUTE_MS : 2 * MINUTE_MS;
}

/** The first instant an event accepted at `createdAt` is older than its maximum age. */
export function expiresAt(createdAt: number, maximumEventAgeSeconds: number): number {
  return createdAt + maximumEventAgeSeconds * 1000 + 1;
}

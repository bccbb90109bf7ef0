/**
 * Lambda's defaults for asynchronous invocation: two retries, the first after about a minute and
 * the second after about two, within the event's maximum age of 6 hours. Throttled attempts are
 * not counted as retries; they are tried again after a short pause.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export const ASYNC_DEFAULTS = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21600,
} as const;

const MINUTE_MS = 60_000;

/** Delay before retry number `attempt` (1-based). */
export function retryDelayMs(attempt: number, throttled: boolean): number {
  if (throttled) return 1000;
  return attempt <= 1 ? MINUTE_MS : 2 * MINUTE_MS;
}

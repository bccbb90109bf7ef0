/**
 * EventBridge retries a target "with an exponential back off and jitter" (eb-rule-dlq) without
 * publishing the base or the cap; Sluice starts at 1 second, doubles up to 5 minutes, and draws
 * each delay between half and all of that (so two retries never coincide and none is instant).
 * Randomness is injected so tests can pin it.
 */
const BASE_MS = 1000;
const CAP_MS = 5 * 60 * 1000;

/** Delay before retry number `retry` (1-based). `random` returns [0, 1). */
export function retryDelayMs(retry: number, random: () => number): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.min(retry - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** EXHAUSTED_RETRY_CONDITION values EventBridge puts on dead-lettered events. */
export const ExhaustedCondition = {
  MaximumRetryAttempts: "MaximumRetryAttempts",
  MaximumEventAgeInSeconds: "MaximumEventAgeInSeconds",
} as const;
export type ExhaustedCondition = (typeof ExhaustedCondition)[keyof typeof ExhaustedCondition];

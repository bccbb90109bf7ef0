/**
 * How deploy code waits between polls of AWS. Injectable so tests poll every few milliseconds;
 * nothing here decides semantics by wall time except the overall bound.
 */
export interface Polling {
  /** Between two polls. @default 2000 */
  readonly intervalMs: number;
  /** Gives up on one wait after this long. @default 3_600_000 (an hour, CloudFormation's own waits are shorter) */
  readonly timeoutMs: number;
  /** @default setTimeout */
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since some origin, for the timeout only. @default performance.now */
  readonly now: () => number;
}

export const DEFAULT_POLLING: Polling = {
  intervalMs: 2000,
  timeoutMs: 3_600_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => performance.now(),
};

export function polling(overrides: Partial<Polling> = {}): Polling {
  return { ...DEFAULT_POLLING, ...overrides };
}

/**
 * Calls `check` until it returns a value other than undefined, sleeping `intervalMs` between
 * calls; throws `onTimeout()` once `timeoutMs` has passed.
 */
export async function pollUntil<T>(
  poll: Polling,
  check: () => Promise<T | undefined>,
  onTimeout: () => Error,
): Promise<T> {
  const deadline = poll.now() + poll.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (poll.now() >= deadline) throw onTimeout();
    await poll.sleep(poll.intervalMs);
  }
}

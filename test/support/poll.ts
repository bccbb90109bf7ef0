/**
 * Waiting for what happens in the background (another process, a server, a timer), by polling:
 * every wait is bounded, so a hang fails its test with a message instead of stalling CI.
 */

export interface PollOptions {
  /** @default 60_000 */
  readonly timeoutMs?: number;
  /** @default 100 */
  readonly intervalMs?: number;
  /** Extra context for the failure message (the last lines of a process's output, say). */
  readonly detail?: () => string;
}

/** Calls `check` until it returns a value other than `undefined`, and returns that value. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  options: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const detail = options.detail?.();
      throw new Error(`timed out waiting for ${what}${detail ? `; ${detail}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

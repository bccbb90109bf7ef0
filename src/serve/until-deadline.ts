import type { Clock } from "../local/clock/index.ts";

/**
 * Resolves when `work` settles or the clock reaches `deadlineMs`, whichever comes first, and
 * leaves no timer behind: how a stopping server waits for in-flight work (ServeWork.stop).
 */
export async function untilOrDeadline(
  work: Promise<unknown>,
  clock: Clock,
  deadlineMs: number,
): Promise<void> {
  let timer: { cancel(): void } | undefined;
  try {
    await Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      new Promise<void>((resolve) => {
        timer = clock.at(deadlineMs, resolve);
      }),
    ]);
  } finally {
    timer?.cancel();
  }
}

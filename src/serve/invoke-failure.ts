/**
 * An invoke the Lambda service refused (it threw: a throttle, or the service closing), as the
 * failed invocation ServeContext.invoke answers with: background work never sees a throw. Only
 * Lambda's throttle (local/lambda's tooManyRequests: the function never ran) is marked
 * `throttled`, so a mapping retries it; a function's own error of that name is not.
 */
import type { Clock } from "../local/clock/index.ts";
import { throttleBackoffMs } from "../local/event-source/index.ts";
import type { ServeInvokeResult } from "./serve-contract.ts";
import { errorMessage } from "./serve-log.ts";

export function refusedInvocation(error: unknown): ServeInvokeResult {
  const errorType = (error as { code?: string }).code ?? "Error";
  return {
    payload: JSON.stringify({ errorType, errorMessage: errorMessage(error) }),
    functionError: "Unhandled",
    ...(errorType === "TooManyRequestsException" ? { throttled: true as const } : {}),
  };
}

/**
 * Runs `attempt` again after Lambda's throttle, with the mappings' back-off on the clock: Lambda's
 * asynchronous invocation queues a throttled event and tries it again for up to its maximum event
 * age (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html), where a
 * server would otherwise drop a route to a served function whose concurrency is taken. Gives up
 * (rejects with the throttle) once the server stops or the event would outlive `maxAgeMs`; any
 * other failure rejects at once.
 */
export async function retryThrottled<T>(
  attempt: () => Promise<T>,
  clock: Clock,
  stopping: () => boolean,
  maxAgeMs: number,
): Promise<T> {
  const expires = clock.now() + maxAgeMs;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { code?: string }).code !== "TooManyRequestsException" || stopping()) throw error;
      const wait = throttleBackoffMs(tries);
      if (clock.now() + wait > expires) throw error;
      await new Promise<void>((resolve) => clock.at(clock.now() + wait, resolve));
    }
  }
}

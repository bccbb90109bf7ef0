/**
 * What a served function's SQS consumer logs (one ServeLogEntry each): a batch's outcome, a
 * warning, and how it tells a throttle from a function's error.
 */
import type { ServeContext, ServeInvokeResult } from "../serve-contract.ts";
import type { ConsumerPlan } from "./consumer-plan.ts";

export type BatchLogOutcome = "succeeded" | "partial" | "failed";

export function logBatch(
  context: ServeContext,
  plan: ConsumerPlan,
  outcome: BatchLogOutcome,
  messages: number,
  extra: object = {},
): void {
  context.log({
    level: outcome === "succeeded" ? "info" : "warn",
    event: "batch",
    function: plan.fn.name,
    queue: plan.queue.name,
    messages,
    outcome,
    ...extra,
  });
}

export function logWarning(context: ServeContext, plan: ConsumerPlan, event: string, message: string): void {
  context.log({
    level: "warn",
    event,
    function: plan.fn.name,
    queue: plan.queue.name,
    message,
  });
}

/**
 * Lambda's throttle, as the server reports it: its own flag, never the payload's errorType, which a
 * function that ran may set to any name (a retry would run its side effects again at once).
 */
export function isThrottle(result: ServeInvokeResult): boolean {
  return result.throttled === true;
}

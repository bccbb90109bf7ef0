/** A function's asynchronous invocation settings, Lambda's defaults filled in when it states none. */
import type { AppSpec, AsyncInvokeSpec, FunctionSpec } from "./app-spec.ts";
import { DEFAULT_BUS } from "./events.ts";
import { LIMITS } from "./limits.ts";

/** Lambda's defaults: 2 retries, events kept up to 6 hours, no destinations. */
export const ASYNC_INVOKE_DEFAULTS: AsyncInvokeSpec = Object.freeze({
  maximumRetryAttempts: LIMITS.lambda.asyncRetryAttempts.default,
  maximumEventAgeSeconds: LIMITS.lambda.asyncEventAge.default,
});

export function asyncInvokeSettings(fn: FunctionSpec): AsyncInvokeSpec {
  return fn.async ?? ASYNC_INVOKE_DEFAULTS;
}

export type AsyncDestinationKind = "function" | "queue" | "bus";

/**
 * What an on-success or on-failure destination name denotes. Validation keeps bus names apart from
 * function and queue names; only "default" could clash, and a component so named wins.
 */
export function asyncDestinationKind(spec: AppSpec, name: string): AsyncDestinationKind {
  if (spec.functions[name] !== undefined) return "function";
  if (spec.queues[name] !== undefined) return "queue";
  if (name === DEFAULT_BUS || spec.events?.buses[name] !== undefined) return "bus";
  return "function";
}

/** The bus names an asynchronous destination may name in this app: its buses, and "default" unless a component has that name. */
export function asyncBusNames(spec: AppSpec): ReadonlySet<string> {
  const names = [...Object.keys(spec.events?.buses ?? {}), DEFAULT_BUS];
  return new Set(names.filter((name) => asyncDestinationKind(spec, name) === "bus"));
}

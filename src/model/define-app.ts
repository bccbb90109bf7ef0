import type { AppDefinition } from "./app-definition.ts";

/**
 * Declares the application. It returns the definition unchanged: it exists so the editor knows
 * the names of queues and functions and flags unknown ones.
 */
export function defineApp<
  const QueueName extends string = never,
  const FunctionName extends string = string,
  const BusName extends string = never,
>(app: AppDefinition<QueueName, FunctionName, BusName>): AppDefinition<QueueName, FunctionName, BusName> {
  return app;
}

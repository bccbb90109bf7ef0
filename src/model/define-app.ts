import type { AppDefinition, FifoQueueNames, QueueDefinition } from "./app-definition.ts";

/**
 * Declares the application. It returns the definition unchanged: it exists so the editor knows
 * the names of queues, functions, buses, tables, buckets and state machines and flags unknown ones, and which queues are FIFO (a
 * route there must give a `groupId`).
 */
export function defineApp<
  const QueueName extends string = never,
  const FunctionName extends string = string,
  const BusName extends string = never,
  const Queues extends Partial<Record<QueueName, QueueDefinition<string>>> = Record<never, never>,
  const TableName extends string = never,
  const BucketName extends string = never,
  const StateMachineName extends string = never,
>(
  app: AppDefinition<
    QueueName,
    FunctionName,
    BusName,
    FifoQueueNames<Queues>,
    TableName,
    BucketName,
    StateMachineName
  > & {
    queues?: Queues;
  },
): AppDefinition<
  QueueName,
  FunctionName,
  BusName,
  FifoQueueNames<Queues>,
  TableName,
  BucketName,
  StateMachineName
> {
  return app;
}

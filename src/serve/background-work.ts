/**
 * What a server runs besides HTTP: the served functions' SQS consumers always, their schedules
 * when asked (`--schedules`, or the fleet's `schedules`): one fleet of several instances would
 * otherwise fire each schedule once per instance.
 */
import type { SQSClient } from "@aws-sdk/client-sqs";
import { sqsConsumers } from "./consumers/sqs-consumers.ts";
import type { FleetSettings } from "./fleet-settings.ts";
import { serveSchedules } from "./schedules/serve-schedules.ts";
import type { ServeContext, ServeWork } from "./serve-contract.ts";

/** `queueUrls`: what the server found for the queues (queue-urls.ts), by definition name. */
export function backgroundWork(
  context: ServeContext,
  settings: FleetSettings,
  sqs: SQSClient,
  queueUrls: ReadonlyMap<string, string>,
): ServeWork[] {
  // The server's client: its endpoint and credentials, which the server closes after the work stopped.
  const work = [sqsConsumers(context, settings.functions, { client: sqs, queueUrls })];
  if (settings.schedules) work.push(serveSchedules(context, settings.functions));
  return work;
}

/**
 * How EventBridge retries a target and where it puts events it gives up on: the retry policy
 * (attempts and maximum event age) and a standard-queue dead-letter queue.
 */
import { LIMITS } from "../limits.ts";
import type { EventsContext } from "./event-context.ts";
import { didYouMean } from "./suggest.ts";
import {
  checkKeys,
  type Issues,
  join,
  quoteList,
  readDuration,
  readInteger,
  readObject,
  readString,
} from "./values.ts";

const E = LIMITS.events;

export function readRetryPolicy(
  issues: Issues,
  path: string,
  value: unknown,
): { maximumRetryAttempts: number; maximumEventAgeSeconds: number } | undefined {
  const defaults = {
    maximumRetryAttempts: E.retryAttempts.default,
    maximumEventAgeSeconds: E.eventAge.default,
  };
  if (value === undefined) return defaults;
  const fields = readObject(issues, path, value, `retryPolicy: { maximumRetryAttempts: 3 }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, ["maximumRetryAttempts", "maximumEventAge"]);
  const retries =
    fields.maximumRetryAttempts === undefined
      ? defaults.maximumRetryAttempts
      : readInteger(issues, join(path, "maximumRetryAttempts"), fields.maximumRetryAttempts, E.retryAttempts);
  const age =
    fields.maximumEventAge === undefined
      ? defaults.maximumEventAgeSeconds
      : readDuration(issues, join(path, "maximumEventAge"), fields.maximumEventAge, E.eventAge);
  if (retries === undefined || age === undefined) return undefined;
  return { maximumRetryAttempts: retries, maximumEventAgeSeconds: age };
}

/** undefined: none; null: invalid. */
export function readDeadLetter(
  issues: Issues,
  path: string,
  value: unknown,
  context: EventsContext,
): string | undefined | null {
  if (value === undefined) return undefined;
  const name = readString(issues, path, value, `deadLetter: "events-dlq"`);
  if (name === undefined) return null;
  const queue = context.queues.get(name);
  const standard = [...context.queues.values()].filter((q) => q.fifo !== true).map((q) => q.name);
  if (queue === undefined || queue.fifo === true) {
    issues.add(
      path,
      name,
      queue === undefined
        ? `deadLetter names "${name}", which is not a defined queue.${didYouMean(name, standard)}`
        : `deadLetter names the FIFO queue "${name}"; EventBridge's dead-letter queue must be a standard queue`,
      `one of the standard queues: ${quoteList(standard)}`,
      `define queues["${name}"] as a standard queue, or name one`,
    );
    return null;
  }
  return name;
}

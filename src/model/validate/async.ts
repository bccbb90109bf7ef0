/**
 * Reads a function's `async` settings (Lambda's EventInvokeConfig and DeadLetterConfig) and checks
 * that their destinations exist and are ones Lambda delivers to: functions, standard queues and
 * event buses (a declared one or the account's default bus).
 */
import type { AsyncInvokeSpec } from "../app-spec.ts";
import { DEFAULT_BUS } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { AsyncDraft, FunctionDraft, QueueDraft } from "./draft.ts";
import { closest, didYouMean } from "./suggest.ts";
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

const ASYNC_KEYS = [
  "maximumRetryAttempts",
  "maximumEventAge",
  "onSuccess",
  "onFailure",
  "deadLetter",
] as const;
const RETRIES = LIMITS.lambda.asyncRetryAttempts;
const EVENT_AGE = LIMITS.lambda.asyncEventAge;

export function readAsync(issues: Issues, path: string, value: unknown): AsyncDraft | undefined {
  const fields = readObject(issues, path, value, `async: { maximumRetryAttempts: 0, onFailure: "failures" }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, ASYNC_KEYS);
  const at = (key: string): string => join(path, key);
  const name = (key: "onSuccess" | "onFailure" | "deadLetter"): string | undefined =>
    fields[key] === undefined ? undefined : readString(issues, at(key), fields[key], `${key}: "failures"`);
  return {
    path,
    maximumRetryAttempts:
      fields.maximumRetryAttempts === undefined
        ? RETRIES.default
        : readInteger(issues, at("maximumRetryAttempts"), fields.maximumRetryAttempts, RETRIES),
    maximumEventAgeSeconds:
      fields.maximumEventAge === undefined
        ? EVENT_AGE.default
        : readDuration(issues, at("maximumEventAge"), fields.maximumEventAge, EVENT_AGE),
    onSuccess: name("onSuccess"),
    onFailure: name("onFailure"),
    deadLetter: name("deadLetter"),
  };
}

/** Destinations must be functions, standard queues or buses; a dead-letter queue must be a standard queue. */
export function checkAsyncTargets(
  issues: Issues,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
  /** Names of the app's declared EventBridge buses; the default bus is always allowed. */
  buses: readonly string[] = [],
): void {
  const known = [...functions.keys(), ...queues.keys(), ...buses, DEFAULT_BUS];
  for (const fn of functions.values()) {
    const settings = fn.async;
    if (settings === undefined) continue;
    for (const key of ["onSuccess", "onFailure"] as const) {
      const target = settings[key];
      if (target === undefined || functions.has(target)) continue;
      if (!queues.has(target) && (target === DEFAULT_BUS || buses.includes(target))) continue;
      const path = join(settings.path, key);
      const queue = queues.get(target);
      if (queue === undefined) {
        const suggestion = closest(target, known);
        issues.add(
          path,
          target,
          `${key} names "${target}", which is neither a function, a queue nor an event bus.${didYouMean(target, known)}`,
          `one of: ${quoteList(known)}`,
          suggestion === undefined
            ? `define "${target}", or name one of the known components`
            : `name "${suggestion}"`,
        );
      } else if (queue.fifo === true) {
        issues.add(
          path,
          target,
          `${key} names the FIFO queue "${target}"; Lambda sends invocation records only to standard queues`,
          "a function, a standard queue or an event bus",
          `name a standard queue, or set fifo: false on "${target}"`,
        );
      }
    }
    if (settings.deadLetter !== undefined) checkDeadLetter(issues, settings, queues, functions, buses);
  }
}

function checkDeadLetter(
  issues: Issues,
  settings: AsyncDraft,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
  buses: readonly string[],
): void {
  const name = settings.deadLetter ?? "";
  const path = join(settings.path, "deadLetter");
  const queue = queues.get(name);
  if (queue === undefined) {
    const isFunction = functions.has(name);
    const isBus = !isFunction && (name === DEFAULT_BUS || buses.includes(name));
    issues.add(
      path,
      name,
      isFunction || isBus
        ? `deadLetter names the ${isBus ? "event bus" : "function"} "${name}"; Lambda's dead-letter target is a queue (use onFailure for a ${isBus ? "bus" : "function"})`
        : `deadLetter names "${name}", which is not a defined queue.${didYouMean(name, queues.keys())}`,
      `one of the standard queues: ${quoteList([...queues.values()].filter((q) => q.fifo !== true).map((q) => q.name))}`,
      isFunction || isBus
        ? `write onFailure: "${name}" instead`
        : `define queues["${name}"], or name a defined queue`,
    );
  } else if (queue.fifo === true) {
    issues.add(
      path,
      name,
      `deadLetter names the FIFO queue "${name}"; Lambda's dead-letter queue must be a standard queue`,
      "a standard queue",
      `name a standard queue, or set fifo: false on "${name}"`,
    );
  }
}

/** The spec of settings validation accepted (every field is then present). */
export function buildAsync(draft: AsyncDraft): AsyncInvokeSpec {
  const retries = draft.maximumRetryAttempts;
  const age = draft.maximumEventAgeSeconds;
  if (retries === undefined || age === undefined) {
    throw new Error(`buildAsync: ${draft.path} was accepted with a missing value`);
  }
  return {
    maximumRetryAttempts: retries,
    maximumEventAgeSeconds: age,
    ...(draft.onSuccess === undefined ? {} : { onSuccess: draft.onSuccess }),
    ...(draft.onFailure === undefined ? {} : { onFailure: draft.onFailure }),
    ...(draft.deadLetter === undefined ? {} : { deadLetterQueue: draft.deadLetter }),
  };
}

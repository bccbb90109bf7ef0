/**
 * Reads a rule's targets: 1–5 of them, each naming exactly one defined function, standard queue or
 * other bus, once, with at most one input option, a retry policy and a dead-letter queue.
 */
import { type BusSpec, DEFAULT_BUS, type EventTargetKind, type EventTargetSpec } from "../events.ts";
import { LIMITS } from "../limits.ts";
import type { EventsContext } from "./event-context.ts";
import { readDeadLetter, readRetryPolicy } from "./event-delivery.ts";
import { readInput } from "./event-input.ts";
import { didYouMean } from "./suggest.ts";
import { checkKeys, type Issues, join, quoteList, readObject, readString } from "./values.ts";

const E = LIMITS.events;
const TARGET_KEYS = [
  "function",
  "queue",
  "bus",
  "input",
  "inputPath",
  "inputTransformer",
  "retryPolicy",
  "deadLetter",
] as const;
const KINDS = ["function", "queue", "bus"] as const satisfies readonly EventTargetKind[];

export function readTargets(
  issues: Issues,
  path: string,
  value: unknown,
  bus: string | undefined,
  buses: Readonly<Record<string, BusSpec>>,
  context: EventsContext,
): EventTargetSpec[] | undefined {
  if (!Array.isArray(value) || value.length < E.targetsPerRule.min || value.length > E.targetsPerRule.max) {
    issues.add(
      path,
      value,
      "a rule needs 1 to 5 targets",
      "a list of 1 to 5 targets",
      `write targets: [{ function: "bill" }]`,
    );
    return undefined;
  }
  const targets: EventTargetSpec[] = [];
  let ok = true;
  value.forEach((item, index) => {
    const target = readTarget(issues, join(path, index), item, bus, buses, context);
    if (target === undefined) ok = false;
    else if (targets.some((t) => t.id === target.id)) {
      issues.add(
        join(path, index),
        item,
        `the ${target.kind} "${target.name}" is a target twice`,
        "each target once",
        "remove the second one",
      );
      ok = false;
    } else targets.push(target);
  });
  return ok ? targets : undefined;
}

function readTarget(
  issues: Issues,
  path: string,
  value: unknown,
  ruleBus: string | undefined,
  buses: Readonly<Record<string, BusSpec>>,
  context: EventsContext,
): EventTargetSpec | undefined {
  const fields = readObject(issues, path, value, `{ function: "bill" }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, TARGET_KEYS);
  const kinds = KINDS.filter((k) => fields[k] !== undefined);
  if (kinds.length !== 1) {
    issues.add(
      path,
      value,
      "a target names exactly one function, queue or bus",
      `one of ${KINDS.join(", ")}`,
      `write { function: "bill" }, { queue: "audit" } or { bus: "orders" }`,
    );
    return undefined;
  }
  const kind = kinds[0] as EventTargetKind;
  const name = readString(issues, join(path, kind), fields[kind], `${kind}: "name"`);
  if (name === undefined || !targetExists(issues, join(path, kind), kind, name, ruleBus, buses, context))
    return undefined;
  const input = readInput(issues, path, fields);
  const retry = readRetryPolicy(issues, join(path, "retryPolicy"), fields.retryPolicy);
  const deadLetter = readDeadLetter(issues, join(path, "deadLetter"), fields.deadLetter, context);
  if (kind === "bus" && input !== undefined && input !== null) {
    issues.add(
      path,
      value,
      "a bus target gets the event itself; EventBridge takes no input options for it",
      "no input, inputPath or inputTransformer",
      "remove the input option, or target a function or queue",
    );
    return undefined;
  }
  if (input === null || retry === undefined || deadLetter === null) return undefined;
  return {
    id: `${kind}-${name}`,
    kind,
    name,
    ...(input === undefined ? {} : { input }),
    ...retry,
    ...(deadLetter === undefined ? {} : { deadLetterQueue: deadLetter }),
  };
}

function targetExists(
  issues: Issues,
  path: string,
  kind: EventTargetKind,
  name: string,
  ruleBus: string | undefined,
  buses: Readonly<Record<string, BusSpec>>,
  context: EventsContext,
): boolean {
  const known =
    kind === "function"
      ? [...context.functions.keys()]
      : kind === "queue"
        ? [...context.queues.keys()]
        : [DEFAULT_BUS, ...Object.keys(buses)];
  if (!known.includes(name)) {
    issues.add(
      path,
      name,
      `${kind} "${name}" is not defined.${didYouMean(name, known)}`,
      `one of: ${quoteList(known)}`,
      `define "${name}", or name a defined ${kind}`,
    );
    return false;
  }
  if (kind === "queue" && context.queues.get(name)?.fifo === true) {
    issues.add(
      path,
      name,
      `"${name}" is a FIFO queue; Sluice's rules deliver to standard queues only`,
      "a standard queue",
      "target a standard queue",
    );
    return false;
  }
  if (kind === "bus" && name === ruleBus) {
    issues.add(
      path,
      name,
      `the rule is on bus "${name}" and would send each event back to it, looping`,
      "another bus",
      "target another bus, or a function or queue",
    );
    return false;
  }
  return true;
}

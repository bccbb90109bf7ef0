/**
 * Reads a rule's targets: 1–5 of them, each naming exactly one defined function, queue or other
 * bus, once, with at most one input option, a retry policy and a dead-letter queue. A queue target
 * may name its message group (EventBridge's SqsParameters); a FIFO queue target always has one
 * (the rule's name by default) and its queue must deduplicate by content, as EventBridge requires
 * ([Target](https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html): "If you
 * specify an SQS FIFO queue as a target, the queue must have content-based deduplication enabled").
 */
import { type BusSpec, DEFAULT_BUS, type EventTargetKind, type EventTargetSpec } from "../events.ts";
import { matchesLimit } from "../limit-rules.ts";
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
  "messageGroupId",
] as const;
const KINDS = ["function", "queue", "bus"] as const satisfies readonly EventTargetKind[];

/** The rule whose targets are read: its definition name and the bus it is on (undefined when invalid). */
interface RuleOfTargets {
  readonly name: string;
  readonly bus: string | undefined;
}

export function readTargets(
  issues: Issues,
  path: string,
  value: unknown,
  rule: RuleOfTargets,
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
    const target = readTarget(issues, join(path, index), item, rule, buses, context);
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
  rule: RuleOfTargets,
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
  if (name === undefined || !targetExists(issues, join(path, kind), kind, name, rule.bus, buses, context))
    return undefined;
  const group = readMessageGroup(issues, path, fields, kind, name, rule, context);
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
  if (input === null || retry === undefined || deadLetter === null || group === null) return undefined;
  return {
    id: `${kind}-${name}`,
    kind,
    name,
    ...(input === undefined ? {} : { input }),
    ...retry,
    ...(deadLetter === undefined ? {} : { deadLetterQueue: deadLetter }),
    ...(group === undefined ? {} : { messageGroupId: group }),
  };
}

/**
 * A queue target's message group: as given, or the rule's name for a FIFO queue; undefined for
 * none; null after an issue.
 */
function readMessageGroup(
  issues: Issues,
  path: string,
  fields: Readonly<Record<string, unknown>>,
  kind: EventTargetKind,
  queue: string,
  rule: RuleOfTargets,
  context: EventsContext,
): string | undefined | null {
  const at = join(path, "messageGroupId");
  const given = fields.messageGroupId;
  if (given !== undefined && kind !== "queue") {
    issues.add(
      at,
      given,
      `a ${kind} target has no message group; only a queue target takes messageGroupId`,
      "no messageGroupId",
      "remove messageGroupId, or target a queue",
    );
    return null;
  }
  if (kind !== "queue") return undefined;
  const draft = context.queues.get(queue);
  let group: string | undefined;
  if (given !== undefined) {
    const limit = E.targetMessageGroupId;
    if (typeof given !== "string" || !matchesLimit(limit, given)) {
      issues.add(
        at,
        given,
        "not a message group id",
        `${limit.min}–${limit.max} ${limit.charset}`,
        `write messageGroupId: "orders"`,
      );
      return null;
    }
    group = given;
  }
  if (draft?.fifo !== true) return group;
  if (draft.contentBasedDeduplication !== true) {
    issues.add(
      join(path, "queue"),
      queue,
      `"${queue}" is a FIFO queue without content-based deduplication; EventBridge sends its messages no deduplication id`,
      "a FIFO queue with contentBasedDeduplication: true, or a standard queue",
      `set contentBasedDeduplication: true on queues.${queue}`,
    );
    return null;
  }
  return group ?? rule.name;
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

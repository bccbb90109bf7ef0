/**
 * Reads and checks `buses` and `rules`: names that fit EventBridge, patterns EventBridge would
 * accept (compiled here, so a bad pattern fails at load, not at the first event), 1–5 targets
 * that exist, at most one input option each, retry policies within range, standard-queue DLQs.
 */
import { compilePattern } from "./event-pattern/compile-pattern.ts";
import { PatternError } from "./event-pattern/errors.ts";
import {
  type BusSpec,
  DEFAULT_BUS,
  type EventTargetInput,
  type EventTargetKind,
  type EventTargetSpec,
  type EventsSpec,
  physicalBusName,
  physicalRuleName,
  type RuleSpec,
} from "./events.ts";
import { LIMITS } from "./limits.ts";
import type { FunctionDraft, QueueDraft } from "./validate-draft.ts";
import { didYouMean } from "./validate-suggest.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  quoteList,
  readDuration,
  readInteger,
  readObject,
  readString,
} from "./validate-values.ts";

const E = LIMITS.events;
const RULE_KEYS = ["bus", "description", "pattern", "targets"] as const;
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

export interface EventsContext {
  readonly app: string | undefined;
  readonly queues: ReadonlyMap<string, QueueDraft>;
  readonly functions: ReadonlyMap<string, FunctionDraft>;
}

/** The events section, or undefined when the definition has neither buses nor rules. */
export function readEvents(issues: Issues, fields: Fields, context: EventsContext): EventsSpec | undefined {
  if (fields.buses === undefined && fields.rules === undefined) return undefined;
  const app = context.app ?? "app";
  const buses = readBuses(issues, fields.buses, app, context);
  const rules: Record<string, RuleSpec> = {};
  if (fields.rules !== undefined) {
    const raw = readObject(
      issues,
      "rules",
      fields.rules,
      `rules: { bill: { pattern: {...}, targets: [...] } }`,
    );
    for (const [name, value] of Object.entries(raw ?? {})) {
      const rule = readRule(issues, name, value, app, buses, context);
      if (rule) rules[name] = rule;
    }
  }
  return { buses, rules };
}

function readBuses(
  issues: Issues,
  value: unknown,
  app: string,
  context: EventsContext,
): Record<string, BusSpec> {
  const buses: Record<string, BusSpec> = {};
  if (value === undefined) return buses;
  const raw = readObject(issues, "buses", value, `buses: { orders: {} }`);
  for (const [name, def] of Object.entries(raw ?? {})) {
    const path = join("buses", name);
    if (name === DEFAULT_BUS) {
      issues.add(
        path,
        name,
        `"default" is the account's default bus, which always exists`,
        "another name",
        `remove buses.default; rules without bus use it`,
      );
      continue;
    }
    if (context.functions.has(name) || context.queues.has(name)) {
      issues.add(
        path,
        name,
        `bus "${name}" has the name of a ${context.functions.has(name) ? "function" : "queue"}, so a route to "${name}" would be ambiguous`,
        "a name no function or queue has",
        `rename the bus, e.g. "${name}-bus"`,
      );
      continue;
    }
    const eventBusName = physicalBusName(app, name);
    if (!checkName(issues, path, name, eventBusName, E.eventBusName, "bus")) continue;
    const fields = readObject(issues, path, def, `${name}: { description: "..." }`);
    if (fields === undefined) continue;
    checkKeys(issues, path, fields, ["description"]);
    const description =
      fields.description === undefined
        ? undefined
        : readString(issues, join(path, "description"), fields.description, `description: "Orders"`);
    buses[name] = { name, eventBusName, ...(description === undefined ? {} : { description }) };
  }
  return buses;
}

function checkName(
  issues: Issues,
  path: string,
  name: string,
  physical: string,
  row: { readonly max: number; readonly pattern: RegExp; readonly charset: string },
  what: string,
): boolean {
  if (row.pattern.test(name) && physical.length <= row.max) return true;
  issues.add(
    path,
    name,
    `the ${what} name "${name}" makes the physical name "${physical}", which EventBridge refuses`,
    `${row.charset}, at most ${row.max} characters with the app name prefix`,
    `rename the ${what}`,
  );
  return false;
}

function readRule(
  issues: Issues,
  name: string,
  value: unknown,
  app: string,
  buses: Readonly<Record<string, BusSpec>>,
  context: EventsContext,
): RuleSpec | undefined {
  const path = join("rules", name);
  const ruleName = physicalRuleName(app, name);
  const nameOk = checkName(issues, path, name, ruleName, E.ruleName, "rule");
  const fields = readObject(
    issues,
    path,
    value,
    `${name}: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }] }`,
  );
  if (fields === undefined || !nameOk) return undefined;
  checkKeys(issues, path, fields, RULE_KEYS);
  const bus =
    fields.bus === undefined
      ? DEFAULT_BUS
      : readString(issues, join(path, "bus"), fields.bus, `bus: "orders"`);
  if (bus !== undefined && bus !== DEFAULT_BUS && !buses[bus]) {
    const known = [DEFAULT_BUS, ...Object.keys(buses)];
    issues.add(
      join(path, "bus"),
      bus,
      `bus "${bus}" is not defined.${didYouMean(bus, known)}`,
      `one of: ${quoteList(known)}`,
      `define buses["${bus}"], or name a defined bus`,
    );
  }
  const pattern = readPattern(issues, join(path, "pattern"), fields.pattern);
  const targets = readTargets(issues, join(path, "targets"), fields.targets, bus, buses, context);
  if (bus === undefined || pattern === undefined || targets === undefined) return undefined;
  return { name, ruleName, bus, pattern, targets };
}

function readPattern(issues: Issues, path: string, value: unknown): Record<string, unknown> | undefined {
  const fields = readObject(issues, path, value, `pattern: { source: ["shop"] }`);
  if (fields === undefined) return undefined;
  try {
    compilePattern(fields);
    return JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    issues.add(
      path,
      fields,
      error.message,
      "an EventBridge event pattern",
      "fix the pattern as the reason says",
    );
    return undefined;
  }
}

function readTargets(
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

/** undefined: the whole event; null: invalid (an issue is recorded). */
function readInput(issues: Issues, path: string, fields: Fields): EventTargetInput | undefined | null {
  const given = (["input", "inputPath", "inputTransformer"] as const).filter((k) => fields[k] !== undefined);
  if (given.length > 1) {
    issues.add(
      path,
      given,
      `a target takes at most one of input, inputPath and inputTransformer; it has ${given.join(" and ")}`,
      "one of them, or none",
      `keep ${given[0]}`,
    );
    return null;
  }
  if (fields.input !== undefined) {
    const json = JSON.stringify(fields.input);
    if (json.length <= E.input.max) return { kind: "constant", json };
    issues.add(
      join(path, "input"),
      fields.input,
      `input is ${json.length} characters of JSON`,
      `at most ${E.input.max}`,
      "use a smaller constant",
    );
    return null;
  }
  if (fields.inputPath !== undefined) {
    const p = readString(issues, join(path, "inputPath"), fields.inputPath, `inputPath: "$.detail"`);
    if (p === undefined) return null;
    return checkJsonPath(issues, join(path, "inputPath"), p) ? { kind: "path", path: p } : null;
  }
  if (fields.inputTransformer === undefined) return undefined;
  return readTransformer(issues, join(path, "inputTransformer"), fields.inputTransformer);
}

function readTransformer(issues: Issues, path: string, value: unknown): EventTargetInput | null {
  const fields = readObject(
    issues,
    path,
    value,
    `inputTransformer: { inputPathsMap: { id: "$.detail.id" }, inputTemplate: '{"id": <id>}' }`,
  );
  if (fields === undefined) return null;
  checkKeys(issues, path, fields, ["inputPathsMap", "inputTemplate"]);
  const template = readString(
    issues,
    join(path, "inputTemplate"),
    fields.inputTemplate,
    `inputTemplate: '{"id": <id>}'`,
  );
  const mapPath = join(path, "inputPathsMap");
  const raw =
    fields.inputPathsMap === undefined
      ? {}
      : readObject(issues, mapPath, fields.inputPathsMap, `inputPathsMap: { id: "$.detail.id" }`);
  if (raw === undefined || template === undefined) return null;
  let ok = true;
  const entries = Object.entries(raw);
  if (entries.length > E.inputPathsMap.max) {
    issues.add(
      mapPath,
      entries.length,
      `inputPathsMap has ${entries.length} entries`,
      `at most ${E.inputPathsMap.max}`,
      "pick fewer values",
    );
    ok = false;
  }
  const map: Record<string, string> = {};
  for (const [key, p] of entries) {
    if (key.startsWith("aws.")) {
      issues.add(
        join(mapPath, key),
        key,
        `"${key}" starts with "aws.", which EventBridge reserves for its predefined variables`,
        "a name not starting with aws.",
        "rename it",
      );
      ok = false;
    }
    const text = readString(issues, join(mapPath, key), p, `${key}: "$.detail.${key}"`);
    if (text === undefined || !checkJsonPath(issues, join(mapPath, key), text)) ok = false;
    else map[key] = text;
  }
  if (template.length > E.inputTemplate.max) {
    issues.add(
      join(path, "inputTemplate"),
      template.length,
      "inputTemplate is too long",
      `at most ${E.inputTemplate.max} characters`,
      "shorten it",
    );
    ok = false;
  }
  return ok ? { kind: "transformer", inputPathsMap: map, inputTemplate: template } : null;
}

function checkJsonPath(issues: Issues, path: string, text: string): boolean {
  if (/^\$(\.[^.[\]]+|\[\d+\])*$/.test(text)) return true;
  issues.add(
    path,
    text,
    `"${text}" is not a JSON path Sluice can follow`,
    `"$", then .field or [index] steps, e.g. "$.detail.id"`,
    `write e.g. "$.detail"`,
  );
  return false;
}

function readRetryPolicy(
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
function readDeadLetter(
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

/**
 * Reads `schedules` (EventBridge Scheduler): the expression and time zone through the schedule
 * parser, and the target against the definition's functions, queues and buses.
 */

import { ScheduleExpressionError } from "../schedule/error.ts";
import { parseSchedule } from "../schedule/expression.ts";
import { nextFireTimes } from "../schedule/next.ts";
import type { ScheduleSpec, ScheduleTargetKind } from "../schedule/spec.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  isRecord,
  join,
  quoteList,
  readBoolean,
  readObject,
  readString,
} from "./values.ts";

const SCHEDULE_KEYS = ["expression", "timezone", "target", "enabled"] as const;
const TARGET_KINDS = ["function", "queue", "bus"] as const;
const TARGET_KEYS = [...TARGET_KINDS, "input"] as const;
/** Scheduler's Name: 1–64 of `[0-9a-zA-Z-_.]`. */
const NAME = /^[0-9A-Za-z_.-]+$/;
const NAME_MAX = 64;
/** EventBridge's default bus exists in every account. */
const DEFAULT_BUS = "default";

/** Names the schedules may target. */
export interface ScheduleTargets {
  readonly functions: ReadonlySet<string>;
  readonly queues: ReadonlySet<string>;
  readonly buses: ReadonlySet<string>;
}

export function readSchedules(
  issues: Issues,
  app: string | undefined,
  definition: Fields,
  targets: ScheduleTargets,
): Record<string, ScheduleSpec> | undefined {
  if (definition.schedules === undefined) return undefined;
  const example = `schedules: { nightly: { expression: "cron(0 2 * * ? *)", target: { function: "report" } } }`;
  const fields = readObject(issues, "schedules", definition.schedules, example);
  if (fields === undefined) return undefined;
  const out: Record<string, ScheduleSpec> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("schedules", name);
    const schedule = readObject(
      issues,
      path,
      raw,
      `{ expression: "rate(5 minutes)", target: { function: "f" } }`,
    );
    if (schedule === undefined) continue;
    const spec = readSchedule(issues, path, app ?? "app", name, schedule, targets);
    if (spec !== undefined) out[name] = spec;
  }
  return out;
}

function readSchedule(
  issues: Issues,
  path: string,
  app: string,
  name: string,
  fields: Fields,
  targets: ScheduleTargets,
): ScheduleSpec | undefined {
  checkKeys(issues, path, fields, SCHEDULE_KEYS);
  const scheduleName = `${app}-${name}`;
  if (!NAME.test(name) || scheduleName.length > NAME_MAX) {
    issues.add(
      path,
      name,
      `schedule name "${scheduleName}" is not a valid EventBridge Scheduler name`,
      `1–${NAME_MAX} letters, digits, hyphens, underscores and dots, including the "${app}-" prefix`,
      "rename the schedule",
    );
  }
  const expression = readExpression(issues, join(path, "expression"), fields.expression, fields.timezone);
  const timezone =
    fields.timezone === undefined
      ? "UTC"
      : readString(issues, join(path, "timezone"), fields.timezone, '"Europe/London"');
  const enabled =
    fields.enabled === undefined ? true : readBoolean(issues, join(path, "enabled"), fields.enabled);
  const target = readTarget(issues, join(path, "target"), fields.target, targets);
  if (expression === undefined || timezone === undefined || enabled === undefined || target === undefined) {
    return undefined;
  }
  return { name, scheduleName, expression, timezone, target, enabled };
}

/** Parses the expression and checks the time zone by computing a fire time with it. */
export function readExpression(
  issues: Issues,
  path: string,
  value: unknown,
  timezone: unknown,
): string | undefined {
  const expression = readString(issues, path, value, '"rate(5 minutes)"');
  if (expression === undefined) return undefined;
  try {
    const schedule = parseSchedule(expression);
    nextFireTimes(schedule, 0, 1, typeof timezone === "string" ? timezone : "UTC");
    return expression;
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    const at = error.expression === expression ? path : path.replace(/expression$/, "timezone");
    const issue = error.toIssue(at);
    issues.add(issue.path, issue.value, issue.message, issue.allowed, issue.fix);
    return undefined;
  }
}

function readTarget(
  issues: Issues,
  path: string,
  value: unknown,
  targets: ScheduleTargets,
): ScheduleSpec["target"] | undefined {
  const fields = readObject(issues, path, value, `{ function: "report" }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, TARGET_KEYS);
  const kinds = TARGET_KINDS.filter((kind) => fields[kind] !== undefined);
  if (kinds.length !== 1) {
    issues.add(
      path,
      value,
      kinds.length === 0
        ? "a schedule needs a target"
        : `a schedule has one target, got ${kinds.join(" and ")}`,
      "exactly one of function, queue or bus",
      `write e.g. target: { function: "report" }`,
    );
    return undefined;
  }
  const kind = kinds[0] as ScheduleTargetKind;
  const name = readString(issues, join(path, kind), fields[kind], '"report"');
  if (name === undefined) return undefined;
  const known = kind === "function" ? targets.functions : kind === "queue" ? targets.queues : targets.buses;
  if (!known.has(name) && !(kind === "bus" && name === DEFAULT_BUS)) {
    issues.add(
      join(path, kind),
      name,
      `schedule target ${kind} "${name}" is not defined`,
      known.size === 0 ? `a ${kind} defined in this app` : quoteList(known),
      `define ${kind} "${name}", or target an existing one`,
    );
    return undefined;
  }
  if (fields.input === undefined) return { kind, name };
  const input = readInput(issues, join(path, "input"), fields.input, kind);
  return input === undefined ? undefined : { kind, name, input };
}

/**
 * The text Scheduler sends: a string as-is, anything else as JSON. Lambda and EventBridge targets
 * need well-formed JSON (EventBridge a JSON object, its event's detail); SQS takes any text.
 */
function readInput(
  issues: Issues,
  path: string,
  value: unknown,
  kind: ScheduleTargetKind,
): string | undefined {
  let text: string | undefined;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value);
  } catch {
    text = undefined;
  }
  let parsed: unknown;
  let json = text !== undefined;
  if (text !== undefined && kind !== "queue") {
    try {
      parsed = JSON.parse(text);
    } catch {
      json = false;
    }
  }
  const allowed =
    kind === "queue"
      ? "text, or data sent as JSON"
      : kind === "bus"
        ? "a JSON object"
        : "JSON (or data, sent as JSON)";
  if (!json || (kind === "bus" && !isRecord(parsed))) {
    issues.add(
      path,
      value,
      kind === "bus"
        ? "a bus target's input is its event's detail and must be a JSON object"
        : "input must be JSON",
      allowed,
      'pass plain data, e.g. input: { report: "daily" }',
    );
    return undefined;
  }
  return text;
}

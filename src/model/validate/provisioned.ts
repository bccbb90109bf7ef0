/**
 * Reads each function's `provisionedConcurrency`: a fixed number of pre-initialised environments
 * (PutProvisionedConcurrencyConfig, at least 1) or scheduled scaling actions (Application Auto
 * Scaling, capacity 0 or more). Neither may exceed the function's reserved concurrency.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
 */
import { LIMITS } from "../limits.ts";
import type { ProvisionedConcurrencySpec, ProvisionedScalingAction } from "../schedule/spec.ts";
import { readExpression } from "./schedules.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  isRecord,
  join,
  readInteger,
  readObject,
  readString,
} from "./values.ts";

const ACTION_KEYS = ["expression", "capacity", "timezone"] as const;
/**
 * Without reserved concurrency, at most the account's unreserved concurrency minus the 100 Lambda
 * keeps for other functions: 900 with the default quota of 1,000.
 */
const CAPACITY_MAX = LIMITS.lambda.reservedConcurrency.max - LIMITS.lambda.unreservedConcurrency.min;

export function readProvisioned(
  issues: Issues,
  definition: Fields,
  reserved: ReadonlyMap<string, number | undefined>,
): Map<string, ProvisionedConcurrencySpec> {
  const out = new Map<string, ProvisionedConcurrencySpec>();
  if (!isRecord(definition.functions)) return out;
  for (const [name, fn] of Object.entries(definition.functions)) {
    if (!isRecord(fn) || fn.provisionedConcurrency === undefined) continue;
    const path = join(join("functions", name), "provisionedConcurrency");
    const spec = readOne(issues, path, fn.provisionedConcurrency, reserved.get(name));
    if (spec !== undefined) out.set(name, spec);
  }
  return out;
}

function readOne(
  issues: Issues,
  path: string,
  value: unknown,
  reserved: number | undefined,
): ProvisionedConcurrencySpec | undefined {
  const max = reserved ?? CAPACITY_MAX;
  const unit =
    reserved === undefined
      ? "environments (the account's unreserved concurrency less the 100 Lambda keeps)"
      : "environments (the function's reservedConcurrency)";
  if (typeof value === "number") {
    const capacity = readInteger(issues, path, value, { min: 1, max, unit });
    return capacity === undefined ? undefined : { kind: "fixed", capacity };
  }
  const fields = readObject(
    issues,
    path,
    value,
    '{ schedule: [{ expression: "cron(45 11 * * ? *)", capacity: 250 }] }',
  );
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, ["schedule"]);
  if (!Array.isArray(fields.schedule) || fields.schedule.length === 0) {
    issues.add(
      join(path, "schedule"),
      fields.schedule,
      "provisionedConcurrency needs a number or a non-empty schedule of scaling actions",
      "a list of { expression, capacity }",
      'write schedule: [{ expression: "cron(45 11 * * ? *)", capacity: 250 }, { expression: "cron(15 13 * * ? *)", capacity: 0 }]',
    );
    return undefined;
  }
  const actions: ProvisionedScalingAction[] = [];
  fields.schedule.forEach((raw: unknown, i: number) => {
    const at = join(join(path, "schedule"), i);
    const action = readObject(issues, at, raw, '{ expression: "cron(45 11 * * ? *)", capacity: 250 }');
    if (action === undefined) return;
    for (const key of Object.keys(action)) {
      if (!(ACTION_KEYS as readonly string[]).includes(key)) {
        issues.add(
          join(at, key),
          action[key],
          `unknown key "${key}"`,
          ACTION_KEYS.join(", "),
          `remove "${key}"`,
        );
      }
    }
    const expression = readExpression(issues, join(at, "expression"), action.expression, action.timezone);
    const capacity = readInteger(issues, join(at, "capacity"), action.capacity, { min: 0, max, unit });
    const timezone =
      action.timezone === undefined
        ? "UTC"
        : readString(issues, join(at, "timezone"), action.timezone, '"UTC"');
    if (expression !== undefined && capacity !== undefined && timezone !== undefined) {
      actions.push({ expression, capacity, timezone });
    }
  });
  return actions.length === fields.schedule.length ? { kind: "scheduled", actions } : undefined;
}

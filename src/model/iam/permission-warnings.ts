/**
 * Declared permissions that IAM accepts but least privilege advises against: wildcard actions,
 * `*` resources, and routing functions without `routesTo` (whose role reaches every target). They are valid (AWS allows them), so they are warnings, not validation errors;
 * `sluice dev` prints them at start.
 */
import type { AppSpec } from "../app-spec.ts";
import { RESOURCE_WILDCARD_ACTIONS } from "./actions.ts";

export interface PermissionWarning {
  /** e.g. `functions.render.permissions[0].actions[1]` */
  readonly path: string;
  readonly message: string;
}

const NEEDS_STAR = new Set(RESOURCE_WILDCARD_ACTIONS.map((a) => a.toLowerCase()));

export function permissionWarnings(spec: AppSpec): PermissionWarning[] {
  const warnings: PermissionWarning[] = [];
  for (const fn of Object.values(spec.functions)) {
    for (const [index, statement] of (fn.permissions ?? []).entries()) {
      const at = `functions.${fn.name}.permissions[${index}]`;
      for (const [i, action] of statement.actions.entries()) {
        if (!/[*?]/.test(action)) continue;
        warnings.push({
          path: `${at}.actions[${i}]`,
          message: `"${action}" grants ${action === "*" ? "every action of every service" : "every action it matches"}; AWS allows it, but name the actions the code calls (e.g. "sqs:SendMessage")`,
        });
      }
      const narrowable = statement.actions.filter((a) => !NEEDS_STAR.has(a.toLowerCase()));
      for (const [i, resource] of statement.resources.entries()) {
        if (resource !== "*" || narrowable.length === 0) continue;
        warnings.push({
          path: `${at}.resources[${i}]`,
          message: `"*" lets ${narrowable.join(", ")} reach every resource in the account; name them instead (e.g. "${example(spec, narrowable)}")`,
        });
      }
    }
  }
  warnings.push(...routingWarnings(spec));
  return warnings;
}

/** A routing function without `routesTo`: its role must reach everything it could return. */
function routingWarnings(spec: AppSpec): PermissionWarning[] {
  return Object.values(spec.functions)
    .filter((fn) => fn.routes.kind === "function" && fn.routes.routesTo === undefined)
    .map((fn) => ({
      path: `functions.${fn.name}.routes`,
      message:
        `the routing function of "${fn.name}" declares no routesTo, so its role grants sqs:SendMessage on every queue, ` +
        "lambda:InvokeFunction on every function and events:PutEvents on every bus of the app; " +
        `declare the names it returns, e.g. routesTo: ["${Object.keys(spec.functions).find((n) => n !== fn.name) ?? firstQueue(spec)}"]`,
    }));
}

/** A named resource of the app for the first action's service: the same advice for queues, functions and buses. */
function example(spec: AppSpec, actions: readonly string[]): string {
  const service = actions[0]?.split(":")[0]?.toLowerCase();
  if (service === "events") return `bus:${Object.keys(spec.events?.buses ?? {})[0] ?? "default"}`;
  if (service === "lambda") return `function:${Object.keys(spec.functions)[0] ?? "worker"}`;
  if (service === "s3") return `bucket:${Object.keys(spec.buckets ?? {})[0] ?? "files"}`;
  return `queue:${firstQueue(spec)}`;
}

function firstQueue(spec: AppSpec): string {
  return Object.keys(spec.queues)[0] ?? "jobs";
}

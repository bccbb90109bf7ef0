/**
 * Declared permissions that IAM accepts but least privilege advises against: wildcard actions and
 * `*` resources. They are valid (AWS allows them), so they are warnings, not validation errors;
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
          message: `"*" lets ${narrowable.join(", ")} reach every resource in the account; name them instead (e.g. "queue:${firstQueue(spec)}")`,
        });
      }
    }
  }
  return warnings;
}

function firstQueue(spec: AppSpec): string {
  return Object.keys(spec.queues)[0] ?? "jobs";
}

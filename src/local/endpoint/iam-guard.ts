/**
 * Local IAM: every call a function makes through the endpoint is checked against the policy its
 * definition implies (src/model/permissions.ts). `enforce` answers AccessDenied as AWS does,
 * `warn` lets the call through and reports it, `off` checks nothing. A server fleet's calls (issue
 * 19: dev runs fleets in-process) are checked against the fleet's role, the union of its functions'
 * grants (src/model/fleet-grants.ts). Calls signed by anyone else (the user's scripts, the AWS
 * CLI) are allowed, as an administrator's would be.
 */
import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { fleetAssumedRoleArn, fleetPolicy } from "../../model/fleet-grants.ts";
import { assumedRoleArn, functionPolicy, type PolicyDocument } from "../../model/iam/function-grants.ts";
import { policyAllows } from "../../model/iam/match.ts";
import {
  bucketArn,
  executionArnOf,
  functionArn,
  queueArn,
  stateMachineArn,
  tableArn,
} from "../../model/naming.ts";
import type { ServerSpec } from "../../model/servers.ts";
import { AccessDeniedError } from "../wire/index.ts";

export { AccessDeniedError };

export const IAM_MODES = ["enforce", "warn", "off"] as const;
export type IamMode = (typeof IAM_MODES)[number];

/** A call outside a function's permissions: denied (`enforce`) or let through (`warn`). */
export interface IamDeniedEvent {
  readonly type: "iam-denied";
  readonly mode: "enforce" | "warn";
  /** Definition name of the calling function (of the calling fleet when `fleet` is set). */
  readonly function: string;
  /** Set when a server fleet made the call: its functions share its role. */
  readonly fleet?: { readonly functions: readonly string[] };
  readonly action: string;
  readonly resource: string;
  readonly principal: string;
  /** The statement to add to the function's `permissions` to allow the call. */
  readonly grant: { readonly actions: readonly string[]; readonly resources: readonly string[] };
}

/** Who signed a call: a function, or a server fleet running its functions' code. */
export type IamCaller = FunctionSpec | { readonly fleet: ServerSpec };

export class IamGuard {
  private readonly policies = new WeakMap<object, PolicyDocument>();

  constructor(
    private readonly mode: IamMode,
    private readonly onDenied?: (event: IamDeniedEvent) => void,
  ) {}

  check(spec: AppSpec, caller: IamCaller | undefined, action: string, resource: string): void {
    if (this.mode === "off" || caller === undefined) return;
    const fleet = "fleet" in caller ? caller.fleet : undefined;
    // Keyed by the spec's own object: a reload's new spec gets new policies.
    const key = fleet ?? caller;
    let policy = this.policies.get(key);
    if (!policy) {
      policy = fleet ? fleetPolicy(spec, fleet) : functionPolicy(spec, caller as FunctionSpec);
      this.policies.set(key, policy);
    }
    if (policyAllows(policy, action, resource)) return;
    const grant = { actions: [action], resources: [definitionResource(spec, resource)] };
    const principal = fleet ? fleetAssumedRoleArn(spec, fleet) : assumedRoleArn(spec, caller as FunctionSpec);
    const name = fleet?.name ?? (caller as FunctionSpec).name;
    this.onDenied?.({
      type: "iam-denied",
      mode: this.mode,
      function: name,
      ...(fleet ? { fleet: { functions: fleet.functions } } : {}),
      action,
      resource,
      principal,
      grant,
    });
    if (this.mode === "enforce") {
      const hint = fleet ? fleetGrantHint(fleet, grant) : grantHint(name, grant);
      throw new AccessDeniedError(principal, action, resource, hint);
    }
  }
}

/** How to allow the call in sluice.config.ts. */
export function grantHint(fn: string, grant: IamDeniedEvent["grant"]): string {
  const list = (items: readonly string[]) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;
  return `Sluice: to allow it, add { actions: ${list(grant.actions)}, resources: ${list(grant.resources)} } to functions.${fn}.permissions in sluice.config.ts.`;
}

/** How to allow a fleet's call: in the permissions of whichever of its functions makes it. */
function fleetGrantHint(
  fleet: Pick<ServerSpec, "name" | "functions">,
  grant: IamDeniedEvent["grant"],
): string {
  const list = (items: readonly string[]) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;
  const where = fleet.functions.map((fn) => `functions.${fn}.permissions`).join(" or ");
  return `Sluice: server fleet ${fleet.name} runs its functions with one role; to allow it, add { actions: ${list(grant.actions)}, resources: ${list(grant.resources)} } to ${where} (the function that makes the call) in sluice.config.ts.`;
}

/**
 * `queue:<name>`, `function:<name>`, `table:<name>` (which covers the table's indexes and
 * streams), `bucket:<name>[/<key>]` or `stateMachine:<name>` (its executions too) for the app's
 * own resources, else the ARN itself.
 */
function definitionResource(spec: AppSpec, resource: string): string {
  for (const queue of Object.values(spec.queues)) {
    if (queueArn(spec, queue) === resource) return `queue:${queue.name}`;
  }
  for (const table of Object.values(spec.tables ?? {})) {
    const arn = tableArn(spec, table);
    if (resource === arn || resource.startsWith(`${arn}/`)) return `table:${table.name}`;
  }
  for (const bucket of Object.values(spec.buckets ?? {})) {
    const arn = bucketArn(spec, bucket);
    if (resource === arn) return `bucket:${bucket.name}`;
    if (resource.startsWith(`${arn}/`)) return `bucket:${bucket.name}/${resource.slice(arn.length + 1)}`;
  }
  for (const machine of Object.values(spec.stateMachines ?? {})) {
    // A machine's executions are granted through it (`stateMachine:<name>` covers them).
    const executions = executionArnOf(spec.region, spec.accountId, machine.stateMachineName, "");
    if (resource === stateMachineArn(spec, machine) || resource.startsWith(executions))
      return `stateMachine:${machine.name}`;
  }
  for (const fn of Object.values(spec.functions)) {
    const arn = functionArn(spec, fn);
    if (resource === arn || resource.startsWith(`${arn}:`)) return `function:${fn.name}`;
  }
  return resource;
}

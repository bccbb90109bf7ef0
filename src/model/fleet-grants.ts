/**
 * What a server fleet's code may do with AWS (issue 19): one derivation for the fleet's instance
 * or task role (aws/resources/server-fleet-role.ts) and for the local endpoint's IAM checks of the
 * calls a fleet makes in `sluice dev` (local/endpoint/iam-guard.ts). A fleet runs its functions'
 * code with one role, so it holds each served function's grants (function-grants.ts), less what
 * only Lambda does with them (its log group, asynchronous destinations) and less routing to the
 * functions it serves (it runs them in-process), plus what `sluice serve` itself calls: GetQueueUrl
 * on its functions' queues, to fill their discovery variables (serve/queue-urls.ts).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
 */
import type { AppSpec } from "./app-spec.ts";
import { functionGrants, type Grant, grantsPolicy, type PolicyDocument } from "./iam/function-grants.ts";
import { partition, resourcePrefix } from "./naming.ts";
import { linkedResources } from "./resource-variables.ts";
import type { ServerSpec } from "./servers.ts";

/** One grant of a fleet's role; `function` names the served function it comes from, if any. */
export interface FleetGrant {
  readonly function?: string;
  readonly grant: Grant;
}

/** What `sluice serve` calls to find a queue's URL when it has no stack outputs to read. */
export const FIND_QUEUE_ACTIONS = ["sqs:GetQueueUrl"] as const;

export function fleetGrants(spec: AppSpec, fleet: ServerSpec): FleetGrant[] {
  const served = new Set(fleet.functions);
  const grants: FleetGrant[] = [];
  const queues = new Set<string>();
  for (const name of fleet.functions) {
    const fn = spec.functions[name];
    if (!fn) continue;
    for (const grant of functionGrants(spec, fn)) {
      const held = servedGrant(grant, served);
      if (held !== undefined) grants.push({ function: name, grant: held });
    }
    for (const queue of linkedResources(spec, fn).queues) queues.add(queue);
  }
  if (queues.size > 0) {
    const resources = [...queues].map((name) => ({ kind: "queue", name }) as const);
    grants.push({ grant: { sid: "FindQueueUrls", actions: FIND_QUEUE_ACTIONS, resources } });
  }
  return grants;
}

/** The fleet's grants as an IAM policy document (ARNs), for the local IAM checks. */
export function fleetPolicy(spec: AppSpec, fleet: ServerSpec): PolicyDocument {
  return grantsPolicy(
    spec,
    fleetGrants(spec, fleet).map(({ grant }) => grant),
  );
}

/**
 * The principal a fleet's calls are reported as locally. On AWS the role's name is
 * CloudFormation's and the session the instance's (or task's) id; here the fleet names both.
 */
export function fleetAssumedRoleArn(spec: AppSpec, fleet: ServerSpec): string {
  return `arn:${partition(spec.region)}:sts::${spec.accountId}:assumed-role/${resourcePrefix(spec)}-${fleet.name}-server/${fleet.name}`;
}

/**
 * A function's grant as the fleet holds it: without Lambda's log group and Lambda's own grants,
 * and routing to a function only when the fleet does not serve it.
 */
function servedGrant(grant: Grant, served: ReadonlySet<string>): Grant | undefined {
  if (grant.sid === "WriteLogs" || grant.byLambda) return undefined;
  if (grant.sid !== "RouteToFunctions") return grant;
  const resources = grant.resources.filter((r) => !(r.kind === "function" && served.has(r.name)));
  return resources.length === 0 ? undefined : { ...grant, resources };
}

/**
 * A state machine's own IAM role, least privilege, derived from its references: each action on
 * exactly the resources the definition names (stepfunctions-iam.html lists what each
 * integration needs), `*` only where AWS requires it (CloudWatch Logs' log delivery actions).
 * Synth writes it as the machine's role. Locally the engine calls the surfaces directly and no
 * role is checked (docs/fidelity.md).
 */
import type { AppSpec } from "../app-spec.ts";
import { arn } from "../naming.ts";
import { mapProcessor, walkStates } from "../state-machine-walk.ts";
import type { StateMachineReference, StateMachineSpec } from "../state-machines.ts";
import { type Grant, type GrantResource, grantsPolicy, type PolicyDocument } from "./function-grants.ts";

/**
 * What logging to CloudWatch Logs needs: the log delivery and resource policy actions, which
 * CloudWatch Logs authorizes only on `*`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html, "IAM Policies for logging to CloudWatch Logs").
 */
export const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
] as const;

/**
 * The EventBridge rule Step Functions manages to learn that a `.sync` child execution ended
 * (https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html).
 */
export const SYNC_EXECUTION_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

/** The machine's grants: one per action, on every resource its references name for it. */
export function stateMachineGrants(spec: AppSpec, machine: StateMachineSpec): Grant[] {
  const byAction = new Map<string, GrantResource[]>();
  for (const reference of machine.references) {
    for (const action of reference.actions) {
      const list = byAction.get(action) ?? [];
      for (const resource of referenceResources(spec, reference, action)) {
        if (!list.some((known) => sameResource(known, resource))) list.push(resource);
      }
      byAction.set(action, list);
    }
  }
  for (const target of machine.externalTargets ?? []) {
    for (const action of target.actions) {
      const list = byAction.get(action) ?? [];
      for (const arn of externalArns(spec, target.kind, target.arn, action)) {
        if (!list.some((known) => known.kind === "arn" && known.arn === arn)) list.push({ kind: "arn", arn });
      }
      byAction.set(action, list);
    }
  }
  const grants: Grant[] = [...byAction].map(([action, resources]) => ({
    sid: action.replace(/[^A-Za-z0-9]/g, ""),
    actions: [action],
    resources,
  }));
  if (hasDistributedMap(machine)) {
    // A distributed Map runs each child workflow as an execution of this machine, named
    // `<machine>/<map run>:<id>` (state-map-distributed.html, "IAM policies for Distributed Map").
    grants.push(
      {
        sid: "DistributedMapStart",
        actions: ["states:StartExecution"],
        resources: [{ kind: "stateMachine", name: machine.name }],
      },
      {
        sid: "DistributedMapChildren",
        actions: ["states:DescribeExecution", "states:StopExecution"],
        resources: [
          {
            kind: "arn",
            arn: arn("states", spec.region, spec.accountId, `execution:${machine.stateMachineName}/*`),
          },
        ],
      },
    );
  }
  if (machine.logging.level !== "OFF") {
    grants.push({ sid: "LogDelivery", actions: LOG_DELIVERY_ACTIONS, resources: [{ kind: "any" }] });
  }
  return grants;
}

/** The machine's role policy, every resource an ARN (or `*` where AWS requires it). */
export function stateMachinePolicy(spec: AppSpec, machine: StateMachineSpec): PolicyDocument {
  return grantsPolicy(spec, stateMachineGrants(spec, machine));
}

function referenceResources(
  spec: AppSpec,
  reference: StateMachineReference,
  action: string,
): GrantResource[] {
  const name = reference.name;
  switch (reference.kind) {
    case "function":
      return [{ kind: "function", name }];
    case "queue":
      return [{ kind: "queue", name }];
    case "bus":
      return [{ kind: "bus", name }];
    case "table":
      return [{ kind: "table", name }];
    case "bucket":
      // ListBucket acts on the bucket, GetObject and PutObject on its objects.
      return action === "s3:ListBucket"
        ? [{ kind: "bucket", name }]
        : [{ kind: "bucketObjects", name, key: "*" }];
    case "stateMachine":
      if (action === "states:StartExecution") return [{ kind: "stateMachine", name }];
      if (action.startsWith("states:")) return [{ kind: "stateMachineExecutions", name }];
      return [
        { kind: "arn", arn: arn("events", spec.region, spec.accountId, `rule/${SYNC_EXECUTION_RULE}`) },
      ];
  }
}

/**
 * The ARNs an action needs for a target outside the app: a function's versions too, a table's
 * indexes, a state machine's executions for DescribeExecution/StopExecution, and AWS's managed
 * rule for a `.sync` child's events actions.
 */
function externalArns(
  spec: AppSpec,
  kind: StateMachineReference["kind"],
  target: string,
  action: string,
): string[] {
  if (action.startsWith("events:") && kind === "stateMachine") {
    return [arn("events", spec.region, spec.accountId, `rule/${SYNC_EXECUTION_RULE}`)];
  }
  if (kind === "function") return [target, `${target}:*`];
  if (kind === "table") return [target, `${target}/index/*`];
  if (kind === "stateMachine" && action.startsWith("states:") && action !== "states:StartExecution") {
    // arn:…:stateMachine:<name> → arn:…:execution:<name>:*
    return [`${target.replace(":stateMachine:", ":execution:")}:*`];
  }
  if (kind === "bucket") return action === "s3:ListBucket" ? [target] : [`${target}/*`];
  return [target];
}

/** Whether some Map state runs its items as child workflows (`ProcessorConfig.Mode: DISTRIBUTED`). */
function hasDistributedMap(machine: StateMachineSpec): boolean {
  let found = false;
  walkStates(machine.definition, ({ state }) => {
    const config = state.Type === "Map" ? mapProcessor(state)?.ProcessorConfig : undefined;
    if (
      typeof config === "object" &&
      config !== null &&
      (config as { Mode?: unknown }).Mode === "DISTRIBUTED"
    )
      found = true;
  });
  return found;
}

function sameResource(a: GrantResource, b: GrantResource): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

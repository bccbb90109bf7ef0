/**
 * What a state's evaluations read (its raw input, the Context object, the variables in scope) and
 * the variables a frame holds after a state assigns some. The scoping rules themselves are
 * language/variables.ts's: a frame keeps only the variables it assigned; a Parallel branch or Map
 * iteration reads those of the frames around it (which wait while it runs, so they are as they
 * were when the state started) and may not assign one of them; a distributed Map's child workflow
 * sees none (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 */
import type { ContextObject, Scope, Variables } from "../language/query-language.ts";
import {
  checkVariablesTotal,
  childScope,
  mergeAssign,
  rootScope,
  type VariableScope,
  visibleVariables,
} from "../language/variables.ts";
import { isDistributed } from "./definition-index.ts";
import type { LiveExecution, LiveFrame } from "./engine-context.ts";

const iso = (ms: number) => new Date(ms).toISOString();

function variableScope(exec: LiveExecution, frame: LiveFrame): VariableScope {
  const parent = frame.parent === null ? undefined : exec.frames.get(frame.parent);
  if (!parent) return rootScope(frame.variables);
  const distributed = isDistributed(exec.index.state(parent.path, parent.state));
  return { outer: childScope(variableScope(exec, parent), { distributed }).outer, own: frame.variables };
}

/** The Scope of the frame's current state (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html). */
export function stateScope(
  exec: LiveExecution,
  frame: LiveFrame,
  nowMs: number,
  extra?: Partial<Pick<ContextObject, "Task" | "Map">>,
): Scope {
  const row = exec.row;
  return {
    input: frame.input,
    variables: visibleVariables(variableScope(exec, frame)),
    context: {
      Execution: {
        Id: row.arn,
        Input: exec.input,
        Name: row.name,
        RoleArn: row.roleArn,
        StartTime: iso(row.startMs),
        RedriveCount: 0,
      },
      State: {
        EnteredTime: iso(frame.data.enteredAt ?? nowMs),
        Name: frame.state,
        RetryCount: frame.attempt,
      },
      StateMachine: { Id: row.machineArn, Name: row.machineName },
      ...extra,
    },
  };
}

/** The frame's own variables once the state's Assign applies; States.Runtime when it may not. */
export function assignedVariables(
  exec: LiveExecution,
  frame: LiveFrame,
  assign: Variables,
): Record<string, unknown> {
  if (Object.keys(assign).length === 0) return frame.variables;
  const merged = mergeAssign(variableScope(exec, frame), assign);
  checkVariablesTotal(visibleVariables(merged));
  return { ...merged.own };
}

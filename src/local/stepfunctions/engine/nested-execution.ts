/**
 * `arn:…:states:::states:startExecution` tasks: the engine is its own service here
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html). Request-response
 * answers { ExecutionArn, StartDate }; `.sync` waits for the child and answers its description with
 * Output as JSON text, `.sync:2` with Output as JSON; `.waitForTaskToken` starts the child and waits
 * for the token. The child keeps its parent ("<execution arn>#<frame id>"), so the parent hears when
 * it closes and stopping the parent stops it. Dates are epoch milliseconds, as the integration's
 * examples show them.
 */

import { type IntegrationPattern, parseTaskResource } from "../../../model/state-machine-integrations.ts";
import { StatesError } from "../language/states-error.ts";
import type { TaskOutcome } from "../task-port.ts";
import type { LiveExecution, LiveFrame, Runner } from "./engine-context.ts";

export function isNestedExecution(resource: string): boolean {
  return parseTaskResource(resource)?.api === "states:startExecution";
}

export function startNested(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  pattern: IntegrationPattern,
  parameters: unknown,
): TaskOutcome {
  const p = (parameters ?? {}) as Record<string, unknown>;
  if (typeof p.StateMachineArn !== "string") {
    throw new StatesError("States.Runtime", "states:startExecution needs a StateMachineArn parameter");
  }
  const input =
    p.Input === undefined ? "{}" : typeof p.Input === "string" ? p.Input : JSON.stringify(p.Input);
  let started: { executionArn: string; startDate: number };
  try {
    started = it.o.startChild(
      { stateMachineArn: p.StateMachineArn, input, ...(typeof p.Name === "string" ? { name: p.Name } : {}) },
      // A request-response child runs on its own; the others stop with their parent.
      pattern === "requestResponse" ? null : `${exec.row.arn}#${frame.id}`,
    );
  } catch (err) {
    const e = err as { code?: string; message?: string };
    // The service's own error names, as an AWS SDK integration reports them: StepFunctions.<Code>.
    return {
      kind: "failed",
      error: `StepFunctions.${e.code ?? "ServiceException"}`,
      cause: e.message ?? String(err),
    };
  }
  if (pattern === "requestResponse") {
    return {
      kind: "succeeded",
      output: { ExecutionArn: started.executionArn, StartDate: started.startDate },
    };
  }
  frame.data.child = started.executionArn;
  return { kind: "waiting" };
}

/** The outcome of a `.sync` child once it has closed; undefined while it runs. */
export function syncOutcome(
  it: Runner,
  frame: LiveFrame,
  pattern: IntegrationPattern,
): { ok: true; output: unknown } | { ok: false; error: string; cause: string } | undefined {
  const arn = frame.data.child;
  const child = arn ? it.o.describeChild(arn) : undefined;
  if (!child || child.status === "RUNNING") return undefined;
  const output =
    child.output === null ? undefined : pattern === "sync:2" ? JSON.parse(child.output) : child.output;
  const description = {
    ExecutionArn: child.arn,
    Input: pattern === "sync:2" ? JSON.parse(child.input) : child.input,
    InputDetails: { Included: true },
    Name: child.name,
    ...(output !== undefined ? { Output: output, OutputDetails: { Included: true } } : {}),
    StartDate: child.startMs,
    StateMachineArn: child.machineArn,
    Status: child.status,
    StopDate: child.stopMs,
    ...(child.error !== null ? { Error: child.error } : {}),
    ...(child.cause !== null ? { Cause: child.cause } : {}),
  };
  if (child.status === "SUCCEEDED") return { ok: true, output: description };
  return { ok: false, error: "States.TaskFailed", cause: JSON.stringify(description) };
}

/**
 * Task states (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html): the call
 * through the TaskPort, or a nested execution (nested-execution.ts); TimeoutSeconds and
 * HeartbeatSeconds on the clock; task tokens for `.waitForTaskToken`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token).
 *
 * At most once per attempt (STANDARD): the frame is committed in phase "task" before the call.
 * If the process dies while a call is in flight, nobody knows whether it ran; on restart the
 * attempt counts as failed (States.TaskFailed, a cause saying so), so the state's Retry decides
 * whether it runs again, as AWS does when it loses a worker. A submitted `.waitForTaskToken` task
 * keeps waiting for its token. EXPRESS runs at least once: the call is made again.
 */
import { LIMITS } from "../../../model/limits.ts";
import { type IntegrationPattern, parseTaskResource } from "../../../model/state-machine-integrations.ts";
import type { AslState } from "../language/query-language.ts";
import { StatesError } from "../language/states-error.ts";
import type { TaskOutcome } from "../task-port.ts";
import type { LiveExecution, LiveFrame, Runner } from "./engine-context.ts";
import { payload, taskResource } from "./history-events.ts";
import { isNestedExecution, startNested, syncOutcome } from "./nested-execution.ts";
import { TOKEN_OPEN } from "./records.ts";
import { next } from "./state-kinds.ts";

export const LOST_IN_FLIGHT =
  "Sluice stopped while this task was in flight; a STANDARD execution runs a task at most once per attempt, so the attempt counts as failed (Retry may run it again).";

/** A Lambda ARN written as the Resource (the legacy form) is request-response. */
export function patternOf(resource: string): IntegrationPattern {
  return parseTaskResource(resource)?.pattern ?? "requestResponse";
}

export async function runTask(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
): Promise<void> {
  const gen = frame.gen;
  const resource = String(state.Resource ?? "");
  const pattern = patternOf(resource);
  const language = exec.index.language(state);
  if (exec.row.type === "EXPRESS" && pattern !== "requestResponse") {
    // https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html: Express supports neither.
    throw new StatesError(
      "States.Runtime",
      `EXPRESS state machines do not support the ${pattern} pattern (${resource})`,
    );
  }
  it.entered(exec, frame, state);
  const token =
    pattern === "waitForTaskToken" ? `${it.o.newId()}${it.o.newId()}`.replaceAll("-", "") : undefined;
  const scope = it.scope(exec, frame, token ? { Task: { Token: token } } : undefined);
  const { timeoutSeconds, heartbeatSeconds } = await language.timeouts(state, scope);
  const parameters = await language.effectiveInput(state, scope);
  if (!it.alive(exec, frame, gen)) return;
  const now = it.clock.now();
  const names = taskResource(resource);
  const timeoutAt =
    timeoutSeconds !== undefined
      ? now + timeoutSeconds * 1000
      : token
        ? now + LIMITS.stepFunctions.taskTokenLifetime.max * 1000
        : undefined;
  if (names.lambdaArn) {
    it.event(exec, frame, "LambdaFunctionScheduled", {
      resource,
      ...payload("input", parameters),
      ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
    });
    it.event(exec, frame, "LambdaFunctionStarted");
  } else {
    it.event(exec, frame, "TaskScheduled", {
      resourceType: names.resourceType,
      resource: names.resource,
      region: it.o.region,
      parameters: JSON.stringify(parameters) ?? "null",
      ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    });
    it.event(exec, frame, "TaskStarted", { resourceType: names.resourceType, resource: names.resource });
  }
  frame.phase = "task";
  frame.data = {
    enteredAt: frame.data.enteredAt,
    enteredEventId: frame.data.enteredEventId,
    retries: frame.data.retries,
    parameters,
    ...(timeoutAt !== undefined ? { timeoutAt } : {}),
    ...(heartbeatSeconds !== undefined
      ? { heartbeatSeconds, heartbeatAt: now + heartbeatSeconds * 1000 }
      : {}),
    ...(token ? { token } : {}),
  };
  it.commit(exec, [frame], () => {
    if (token) it.o.records.insertToken(token, exec.row.arn, frame.id);
  });
  armTaskTimers(it, exec, frame);
  await call(it, exec, frame, state, resource, pattern, parameters, token);
}

async function call(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
  resource: string,
  pattern: IntegrationPattern,
  parameters: unknown,
  token: string | undefined,
): Promise<void> {
  const gen = frame.gen;
  let outcome: TaskOutcome;
  try {
    if (isNestedExecution(resource)) {
      outcome = startNested(it, exec, frame, pattern, parameters);
    } else {
      const abort = new AbortController();
      exec.aborts.set(frame.id, abort);
      outcome = await it.o.tasks.run({
        resource,
        pattern,
        parameters,
        executionArn: exec.row.arn,
        stateName: frame.state,
        roleArn: exec.row.roleArn,
        machineName: exec.row.machineName,
        ...(exec.row.traceHeader === null ? {} : { traceHeader: exec.row.traceHeader }),
        signal: abort.signal,
        ...(token ? { taskToken: token } : {}),
      });
      if (exec.aborts.get(frame.id) === abort) exec.aborts.delete(frame.id);
    }
  } catch (err) {
    outcome =
      err instanceof StatesError
        ? { kind: "failed", error: err.error, cause: err.cause }
        : {
            kind: "failed",
            error: "States.TaskFailed",
            cause: err instanceof Error ? err.message : String(err),
          };
  }
  if (!it.alive(exec, frame, gen) || frame.phase !== "task") return;
  // A callback task waits for its token whatever the call answered (the answer is what it submitted).
  if (outcome.kind === "waiting" || (outcome.kind === "succeeded" && pattern === "waitForTaskToken")) {
    const names = taskResource(resource);
    it.event(exec, frame, "TaskSubmitted", {
      resourceType: names.resourceType,
      resource: names.resource,
      ...payload("output", outcome.kind === "succeeded" ? outcome.output : {}),
    });
    frame.phase = pattern === "waitForTaskToken" ? "token" : "child";
    it.commit(exec, [frame]);
    return;
  }
  await finish(
    it,
    exec,
    frame,
    state,
    outcome.kind === "succeeded"
      ? { ok: true, output: outcome.output }
      : { ok: false, error: outcome.error, cause: outcome.cause },
  );
}

/** The task's outcome: Retry/Catch on failure, else the state's output and the transition. */
export async function finish(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
  outcome: { ok: true; output: unknown } | { ok: false; error: string; cause: string },
): Promise<void> {
  const resource = String(state.Resource ?? "");
  const names = taskResource(resource);
  if (!outcome.ok) {
    taskEvent(it, exec, frame, names, "Failed", { error: outcome.error, cause: outcome.cause });
    await it.stateFailed(exec, frame, outcome.error, outcome.cause);
    return;
  }
  const gen = frame.gen;
  const out = await exec.index.language(state).output(state, it.scope(exec, frame), outcome.output);
  if (!it.alive(exec, frame, gen)) return;
  taskEvent(it, exec, frame, names, "Succeeded", payload("output", outcome.output));
  it.transition(exec, frame, state, out.output, out.assign, next(state));
  it.drive(exec, frame);
}

function taskEvent(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  names: ReturnType<typeof taskResource>,
  what: "Failed" | "Succeeded" | "TimedOut",
  details: Record<string, unknown>,
): void {
  if (names.lambdaArn) it.event(exec, frame, `LambdaFunction${what}`, details);
  else
    it.event(exec, frame, `Task${what}`, {
      resourceType: names.resourceType,
      resource: names.resource,
      ...details,
    });
}

/** TimeoutSeconds (States.Timeout) and HeartbeatSeconds (States.HeartbeatTimeout) on the clock. */
export function armTaskTimers(it: Runner, exec: LiveExecution, frame: LiveFrame): void {
  const gen = frame.gen;
  const { timeoutAt } = frame.data;
  if (timeoutAt !== undefined) {
    it.arm(exec, frame, timeoutAt, () => timedOut(it, exec, frame, gen, "States.Timeout", "Task timed out."));
  }
  armHeartbeat(it, exec, frame);
}

/** The heartbeat deadline; SendTaskHeartbeat moves it on, which makes the earlier timer stale. */
export function armHeartbeat(it: Runner, exec: LiveExecution, frame: LiveFrame): void {
  const gen = frame.gen;
  const heartbeatAt = frame.data.heartbeatAt;
  if (heartbeatAt === undefined || !frame.data.token) return;
  it.arm(exec, frame, heartbeatAt, () => {
    if (frame.data.heartbeatAt !== heartbeatAt) return;
    timedOut(it, exec, frame, gen, "States.HeartbeatTimeout", "Task heartbeat timed out.");
  });
}

function timedOut(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  gen: number,
  error: string,
  cause: string,
): void {
  if (!it.alive(exec, frame, gen)) return;
  if (frame.phase !== "task" && frame.phase !== "token" && frame.phase !== "child") return;
  const state = it.stateOf(exec, frame);
  const names = taskResource(String(state.Resource ?? ""));
  if (frame.data.token) it.o.records.closeToken(frame.data.token, true);
  const child = frame.data.child;
  it.settle(exec, frame, "the task timed out");
  if (child) it.o.stopChild(child);
  taskEvent(it, exec, frame, names, "TimedOut", { error, cause });
  void it.guard(exec, frame, () => it.stateFailed(exec, frame, error, cause));
}

/** SendTaskSuccess/SendTaskFailure: the outcome is committed with the token's close, then applied. */
export function tokenOutcome(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  outcome: { ok: true; output: unknown } | { ok: false; error: string; cause: string },
): void {
  const token = frame.data.token;
  // The call that handed the token out may still be running (a function that answers its own
  // token before it returns): it is left to finish, its answer is dropped.
  exec.aborts.delete(frame.id);
  it.settle(exec, frame, "the task token was answered");
  frame.phase = "result";
  frame.data = { ...frame.data, outcome };
  it.commit(exec, [frame], () => {
    if (token) it.o.records.closeToken(token);
  });
  resumeTask(it, exec, frame);
}

/** A restarted or woken task frame: see the file's comment for what each phase does. */
export function resumeTask(it: Runner, exec: LiveExecution, frame: LiveFrame): void {
  const state = it.stateOf(exec, frame);
  switch (frame.phase) {
    case "result": {
      const outcome = frame.data.outcome;
      if (outcome) void it.guard(exec, frame, () => finish(it, exec, frame, state, outcome));
      return;
    }
    case "token":
      armTaskTimers(it, exec, frame);
      return;
    case "child": {
      const outcome = syncOutcome(it, frame, patternOf(String(state.Resource ?? "")));
      if (outcome) {
        it.settle(exec, frame);
        void it.guard(exec, frame, () => finish(it, exec, frame, state, outcome));
      } else armTaskTimers(it, exec, frame);
      return;
    }
    case "task": {
      // The message with the token may have gone out: wait for it, as AWS keeps a submitted task waiting.
      if (frame.data.token && it.o.records.token(frame.data.token)?.open === TOKEN_OPEN) {
        frame.phase = "token";
        armTaskTimers(it, exec, frame);
        return;
      }
      if (exec.row.type === "EXPRESS") {
        frame.phase = "enter";
        frame.data.retrying = true;
        it.drive(exec, frame);
        return;
      }
      void it.guard(exec, frame, () =>
        finish(it, exec, frame, state, { ok: false, error: "States.TaskFailed", cause: LOST_IN_FLIGHT }),
      );
      return;
    }
    default:
      return;
  }
}

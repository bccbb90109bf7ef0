/**
 * A small in-memory StepFunctionsApi for the wire's tests: executions that wait on one task token
 * each (`token-<execution name>`), Express machines that answer StartSyncExecution with their
 * input, AWS's error codes. It stands in for the engine so the wire is tested alone.
 */
import {
  type ExecutionDescription,
  type HistoryEvent,
  SfnApiError,
  type StepFunctionsApi,
} from "../../src/local/stepfunctions/index.ts";
import type { AppSpec } from "../../src/model/app-spec.ts";
import { executionArnOf, stateMachineArn } from "../../src/model/naming.ts";

interface FakeExecution extends ExecutionDescription {
  status: ExecutionDescription["status"];
  output?: string;
  error?: string;
  cause?: string;
  stopDate?: number;
  history: HistoryEvent[];
}

export function fakeStepFunctions(spec: AppSpec, now: () => number): StepFunctionsApi & { calls: string[] } {
  const machines = Object.values(spec.stateMachines ?? {}).map((m) => ({
    stateMachineArn: stateMachineArn(spec, m),
    name: m.stateMachineName,
    type: m.type,
    creationDate: 1_700_000_000_000,
    definition: JSON.stringify(m.definition),
  }));
  const executions: FakeExecution[] = [];
  const calls: string[] = [];
  const machine = (arn: string) => {
    const found = machines.find((m) => m.stateMachineArn === arn);
    if (!found) throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    return found;
  };
  const execution = (arn: string) => {
    const found = executions.find((e) => e.executionArn === arn);
    if (!found) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    return found;
  };
  const byToken = (token: string) => {
    if (!token.startsWith("token-"))
      throw new SfnApiError("InvalidToken", "Invalid Token: 'not a task token'");
    const found = executions.find((e) => `token-${e.name}` === token && e.status === "RUNNING");
    if (!found)
      throw new SfnApiError("TaskDoesNotExist", "Task Does Not Exist: the task token is not waiting");
    return found;
  };
  const settle = (e: FakeExecution, status: FakeExecution["status"], type: string, details: object) => {
    e.status = status;
    e.stopDate = now();
    const id = e.history.length + 1;
    e.history.push({ id, previousEventId: id - 1, timestamp: now(), type, ...details });
  };
  return {
    calls,
    listStateMachines: () => machines,
    describeStateMachine(arn) {
      const m = machine(arn);
      return {
        ...m,
        status: "ACTIVE",
        roleArn: `${m.stateMachineArn}-role`,
        loggingConfiguration: { level: "OFF", includeExecutionData: false },
      };
    },
    startExecution(input) {
      calls.push(`startExecution ${input.stateMachineArn}`);
      const m = machine(input.stateMachineArn);
      const name = input.name ?? `run-${executions.length + 1}`;
      if (executions.some((e) => e.name === name && e.stateMachineArn === m.stateMachineArn))
        throw new SfnApiError("ExecutionAlreadyExists", `Execution Already Exists: '${name}'`);
      const startDate = now();
      const e: FakeExecution = {
        executionArn: executionArnOf(spec.region, spec.accountId, m.name, name),
        stateMachineArn: m.stateMachineArn,
        name,
        status: "RUNNING",
        startDate,
        input: input.input ?? "{}",
        history: [
          {
            id: 1,
            previousEventId: 0,
            timestamp: startDate,
            type: "ExecutionStarted",
            executionStartedEventDetails: { input: input.input ?? "{}", roleArn: "role" },
          },
          {
            id: 2,
            previousEventId: 1,
            timestamp: startDate + 5,
            type: "TaskStateEntered",
            stateEnteredEventDetails: { name: "WaitForCallback", input: "{}" },
          },
        ],
      };
      executions.unshift(e);
      return { executionArn: e.executionArn, startDate };
    },
    async startSyncExecution(input) {
      const m = machine(input.stateMachineArn);
      if (m.type !== "EXPRESS")
        throw new SfnApiError(
          "StateMachineTypeNotSupported",
          "This operation is not supported by this type of state machine",
        );
      const t = now();
      return {
        executionArn: executionArnOf(spec.region, spec.accountId, m.name, input.name ?? "sync", { id: "1" }),
        stateMachineArn: m.stateMachineArn,
        name: input.name ?? "sync",
        status: "SUCCEEDED",
        startDate: t,
        stopDate: t + 12,
        input: input.input ?? "{}",
        output: input.input ?? "{}",
        billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 },
      };
    },
    describeExecution: (arn) => {
      const { history: _history, ...described } = execution(arn);
      return described;
    },
    stopExecution(input) {
      const e = execution(input.executionArn);
      settle(e, "ABORTED", "ExecutionAborted", {
        executionAbortedEventDetails: { error: input.error, cause: input.cause },
      });
      if (input.error !== undefined) e.error = input.error;
      return { stopDate: e.stopDate ?? now() };
    },
    listExecutions(input) {
      machine(input.stateMachineArn);
      const all = executions.filter(
        (e) =>
          e.stateMachineArn === input.stateMachineArn &&
          (input.statusFilter === undefined || e.status === input.statusFilter),
      );
      const start = input.nextToken === undefined ? 0 : Number(input.nextToken.replace("page-", ""));
      const size = input.maxResults ?? 100;
      const page = all.slice(start, start + size).map(({ history: _h, input: _i, ...summary }) => summary);
      return {
        executions: page,
        ...(start + size < all.length ? { nextToken: `page-${start + size}` } : {}),
      };
    },
    getExecutionHistory(input) {
      const events = [...execution(input.executionArn).history];
      return { events: input.reverseOrder ? events.reverse() : events };
    },
    sendTaskSuccess(input) {
      calls.push(`sendTaskSuccess ${input.taskToken}`);
      const e = byToken(input.taskToken);
      e.output = input.output;
      settle(e, "SUCCEEDED", "ExecutionSucceeded", {
        executionSucceededEventDetails: { output: input.output },
      });
    },
    sendTaskFailure(input) {
      const e = byToken(input.taskToken);
      if (input.error !== undefined) e.error = input.error;
      if (input.cause !== undefined) e.cause = input.cause;
      settle(e, "FAILED", "ExecutionFailed", {
        executionFailedEventDetails: { error: input.error, cause: input.cause },
      });
    },
    sendTaskHeartbeat(input) {
      byToken(input.taskToken);
    },
    taskTokenOwner(taskToken) {
      return executions.find((e) => `token-${e.name}` === taskToken)?.stateMachineArn;
    },
  };
}

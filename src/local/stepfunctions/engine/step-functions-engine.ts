/**
 * The local Step Functions service: StepFunctionsApi (service-api.ts) over the durable interpreter.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { executionArnOf } from "../../../model/naming.ts";
import type { AslDocument } from "../../../model/state-machines.ts";
import { STATES_ERRORS } from "../language/states-error.ts";
import {
  type ExecutionDescription,
  type ExecutionStatus,
  type ExecutionSummary,
  type HistoryEvent,
  SfnApiError,
  type StartExecutionInput,
  type StateMachineDescription,
  type StateMachineSummary,
  type StepFunctionsApi,
} from "../service-api.ts";
import { describe, page, summary, withoutData } from "./api-answers.ts";
import type { LocalStateMachine, StepFunctionsEngineOptions } from "./engine-options.ts";
import { Interpreter } from "./interpreter.ts";
import { defaultLanguages } from "./languages.ts";
import { type ExecutionRow, Records, TOKEN_OPEN, TOKEN_TIMED_OUT } from "./records.ts";
import { migrateStepFunctions } from "./schema.ts";
import { armHeartbeat, tokenOutcome } from "./task-state.ts";

const SYNC_LOST =
  "Sluice stopped during this synchronous Express execution, which runs at most once: it is not restarted.";

/** Execution names follow the rule for every Step Functions name (service-quotas.html, "General quotas"). */
const NAME = LIMITS.stepFunctions.stateMachineName;

export class StepFunctionsEngine implements StepFunctionsApi {
  private readonly records: Records;
  private readonly interpreter: Interpreter;
  private readonly newId: () => string;
  private readonly firstSeen = new Map<string, number>();
  /** Each definition's text, kept in every execution's row (written once per definition, not per start). */
  private readonly definitionTexts = new WeakMap<AslDocument, string>();

  constructor(private readonly o: StepFunctionsEngineOptions) {
    migrateStepFunctions(o.db);
    this.records = new Records(o.db);
    this.newId = o.newId ?? randomUUID;
    this.interpreter = new Interpreter({
      records: this.records,
      clock: o.clock,
      region: o.region,
      tasks: o.tasks,
      languages:
        o.languages ??
        defaultLanguages({ nowMs: () => o.clock.now(), random: o.random ?? Math.random, uuid: this.newId }),
      random: o.random ?? Math.random,
      newId: this.newId,
      startChild: (request, parent) => this.startExecutionWith(request, parent),
      describeChild: (arn) => this.records.execution(arn),
      stopChild: (arn) => this.stop(arn, undefined, "The parent execution stopped."),
    });
  }

  /** Resumes every RUNNING execution from its last committed transition (after a restart). */
  start(): void {
    for (const row of this.records.running()) {
      if (this.interpreter.live.has(row.arn)) continue;
      const exec = this.interpreter.load(row, this.records.framesOf(row.arn));
      if (row.sync) {
        // A synchronous Express execution runs at most once and is not restarted
        // (https://docs.aws.amazon.com/step-functions/latest/dg/express-at-least-once-execution.html);
        // its caller had its answer (RUNNING) when the cloud closed.
        this.interpreter.closeExecution(exec, undefined, "FAILED", {
          error: STATES_ERRORS.runtime,
          cause: SYNC_LOST,
        });
        continue;
      }
      this.interpreter.resume(exec);
    }
  }

  /** Executions' work that progresses without the clock moving: see Interpreter.pendingWork. */
  pendingWork(): number {
    return this.interpreter.pendingWork();
  }

  /** Stops timers and drops executions from memory; their rows stay RUNNING for the next start(). */
  close(): void {
    this.interpreter.unload();
  }

  // ---- state machines ----

  private machine(arn: string): LocalStateMachine {
    const found = this.o.machines().find((m) => m.arn === arn);
    if (!found) throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    return found;
  }

  private created(m: LocalStateMachine): number {
    if (m.creationDate !== undefined) return m.creationDate;
    let at = this.firstSeen.get(m.arn);
    if (at === undefined) {
      at = this.o.clock.now();
      this.firstSeen.set(m.arn, at);
    }
    return at;
  }

  listStateMachines(): readonly StateMachineSummary[] {
    return this.o.machines().map((m) => ({
      stateMachineArn: m.arn,
      name: m.stateMachineName,
      type: m.type,
      creationDate: this.created(m),
    }));
  }

  describeStateMachine(stateMachineArn: string): StateMachineDescription {
    const m = this.machine(stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.stateMachineName,
      type: m.type,
      creationDate: this.created(m),
      status: "ACTIVE",
      definition: this.definitionText(m.definition),
      roleArn: m.roleArn,
      loggingConfiguration: m.logging ?? { level: "OFF", includeExecutionData: false },
    };
  }

  // ---- executions ----

  startExecution(input: StartExecutionInput): { executionArn: string; startDate: number } {
    return this.startExecutionWith({ ...input, input: input.input ?? "{}" }, null);
  }

  private startExecutionWith(
    input: StartExecutionInput & { input: string },
    parent: string | null,
    sync = false,
  ): { executionArn: string; startDate: number } {
    const m = this.machine(input.stateMachineArn);
    const name = input.name ?? this.newId();
    if (name.length < NAME.min || name.length > NAME.max || !NAME.pattern.test(name)) {
      throw new SfnApiError("InvalidName", `Invalid Name: '${name}'`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.input);
    } catch {
      throw new SfnApiError(
        "InvalidExecutionInput",
        `Invalid State Machine Execution Input: '${input.input}'`,
      );
    }
    const express = m.type === "EXPRESS";
    const arn = executionArnOf(
      this.o.region,
      this.o.accountId,
      m.stateMachineName,
      name,
      express ? { id: this.newId() } : undefined,
    );
    const existing = this.records.execution(arn);
    if (existing) {
      // StartExecution is idempotent for an open execution with the same name and input
      // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
      if (existing.status === "RUNNING" && existing.input === input.input) {
        return { executionArn: existing.arn, startDate: existing.startMs };
      }
      throw new SfnApiError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
    }
    const now = this.o.clock.now();
    const row: ExecutionRow = {
      arn,
      machineArn: m.arn,
      machineName: m.stateMachineName,
      name,
      type: m.type,
      status: "RUNNING",
      input: input.input,
      output: null,
      error: null,
      cause: null,
      startMs: now,
      stopMs: null,
      traceHeader: input.traceHeader ?? null,
      roleArn: m.roleArn,
      definition: this.definitionText(m.definition),
      timeoutAt: Interpreter.deadline(now, m.type, m.definition),
      nextEventId: 1,
      parent,
      sync,
    };
    this.interpreter.begin(row, { document: m.definition, input: parsed });
    return { executionArn: arn, startDate: now };
  }

  private definitionText(document: AslDocument): string {
    let text = this.definitionTexts.get(document);
    if (text === undefined) {
      text = JSON.stringify(document);
      this.definitionTexts.set(document, text);
    }
    return text;
  }

  async startSyncExecution(input: StartExecutionInput): Promise<ExecutionDescription> {
    const m = this.machine(input.stateMachineArn);
    if (m.type !== "EXPRESS") {
      throw new SfnApiError(
        "StateMachineTypeNotSupported",
        "This operation is not supported by this type of state machine",
      );
    }
    const { executionArn } = this.startExecutionWith({ ...input, input: input.input ?? "{}" }, null, true);
    const exec = this.interpreter.live.get(executionArn);
    if (exec) {
      // The live row is the answer: closing the cloud (unload) answers RUNNING, and the store may be closed by then.
      await exec.closed;
      return describe(exec.row);
    }
    const row = this.records.execution(executionArn);
    if (!row) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    return describe(row);
  }

  private execution(arn: string, operation: string): ExecutionRow {
    if (!/^arn:[^:]+:states:[^:]*:[^:]*:(execution|express):/.test(arn)) {
      throw new SfnApiError("InvalidArn", `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    }
    const row = this.records.execution(arn);
    if (!row) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    // Express executions are described by their logs, not the API (API_DescribeExecution.html,
    // API_GetExecutionHistory.html, API_StopExecution.html).
    if (row.type === "EXPRESS") {
      throw new SfnApiError(
        "StateMachineTypeNotSupported",
        `${operation} is not supported by EXPRESS state machines`,
      );
    }
    return row;
  }

  describeExecution(executionArn: string): ExecutionDescription {
    return describe(this.execution(executionArn, "DescribeExecution"));
  }

  stopExecution(input: { executionArn: string; error?: string; cause?: string }): { stopDate: number } {
    const row = this.execution(input.executionArn, "StopExecution");
    if (row.status !== "RUNNING") return { stopDate: row.stopMs ?? this.o.clock.now() };
    this.stop(row.arn, input.error, input.cause);
    return { stopDate: this.o.clock.now() };
  }

  private stop(arn: string, error?: string, cause?: string): void {
    const exec = this.interpreter.live.get(arn);
    if (!exec) return;
    this.interpreter.closeExecution(exec, undefined, "ABORTED", {
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  listExecutions(input: {
    stateMachineArn: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }): { executions: readonly ExecutionSummary[]; nextToken?: string } {
    const m = this.machine(input.stateMachineArn);
    if (m.type === "EXPRESS") {
      throw new SfnApiError(
        "StateMachineTypeNotSupported",
        "ListExecutions is not supported by EXPRESS state machines",
      );
    }
    const all = this.records
      .executionsOf(m.arn)
      .filter((r) => input.statusFilter === undefined || r.status === input.statusFilter)
      .map(summary);
    return page(all, input.maxResults, input.nextToken, (events, nextToken) => ({
      executions: events,
      ...(nextToken ? { nextToken } : {}),
    }));
  }

  getExecutionHistory(input: {
    executionArn: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
    maxResults?: number;
    nextToken?: string;
  }): { events: readonly HistoryEvent[]; nextToken?: string } {
    const row = this.execution(input.executionArn, "GetExecutionHistory");
    const events = this.history(row.arn, input.includeExecutionData !== false);
    if (input.reverseOrder) events.reverse();
    return page(events, input.maxResults, input.nextToken, (list, nextToken) => ({
      events: list,
      ...(nextToken ? { nextToken } : {}),
    }));
  }

  /** Every event of any execution, Express included: for `sluice execution` (not an AWS operation). */
  timeline(executionArn: string): readonly HistoryEvent[] {
    return this.history(executionArn, true);
  }

  /** An execution's events as the API shapes them; without their input and output unless asked. */
  private history(executionArn: string, includeExecutionData: boolean): HistoryEvent[] {
    return this.records.history(executionArn).map((e) => ({
      id: e.id,
      previousEventId: e.previousId,
      timestamp: e.timestamp,
      type: e.type,
      ...(includeExecutionData ? e.details : withoutData(e.details)),
    }));
  }

  // ---- task tokens ----

  taskTokenOwner(taskToken: string): string | undefined {
    const row = this.records.token(taskToken);
    return row === undefined ? undefined : this.records.execution(row.execution)?.machineArn;
  }

  private waitingTask(taskToken: string) {
    const row = this.records.token(taskToken);
    if (!row) throw new SfnApiError("InvalidToken", "Invalid token");
    if (row.open === TOKEN_TIMED_OUT)
      throw new SfnApiError("TaskTimedOut", "Task Timed Out: 'Provided task token has timed out.'");
    const exec = this.interpreter.live.get(row.execution);
    const frame = exec?.frames.get(row.frame);
    if (
      row.open !== TOKEN_OPEN ||
      !exec ||
      !frame ||
      frame.data.token !== taskToken ||
      (frame.phase !== "token" && frame.phase !== "task")
    ) {
      throw new SfnApiError(
        "TaskDoesNotExist",
        "Task Does Not Exist: 'Provided task does not exist anymore'",
      );
    }
    return { exec, frame };
  }

  sendTaskSuccess(input: { taskToken: string; output: string }): void {
    const { exec, frame } = this.waitingTask(input.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(input.output);
    } catch {
      throw new SfnApiError("InvalidOutput", `Invalid Output: '${input.output}'`);
    }
    tokenOutcome(this.interpreter, exec, frame, { ok: true, output });
  }

  sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): void {
    const { exec, frame } = this.waitingTask(input.taskToken);
    tokenOutcome(this.interpreter, exec, frame, {
      ok: false,
      error: input.error ?? "",
      cause: input.cause ?? "",
    });
  }

  sendTaskHeartbeat(input: { taskToken: string }): void {
    const { exec, frame } = this.waitingTask(input.taskToken);
    const seconds = frame.data.heartbeatSeconds;
    if (seconds === undefined) return;
    frame.data.heartbeatAt = this.o.clock.now() + seconds * 1000;
    this.interpreter.commit(exec, [frame]);
    armHeartbeat(this.interpreter, exec, frame);
  }
}

/**
 * What `sluice executions` and `sluice execution` ask of a local cloud's Step Functions: the
 * executions of one machine or all, newest first, and one execution with its whole history. A
 * machine is named as the definition names it, by its physical name or by its ARN; an execution
 * by its ARN or, when unique, its name. Step Functions' own errors become AwsErrors, which the CLI
 * and the control API report with AWS's code and without a stack.
 */
import type { AppSpec } from "../model/app-spec.ts";
import { AwsError, SluiceError } from "../model/errors.ts";
import { LIMITS } from "../model/limits.ts";
import { stateMachineArn } from "../model/naming.ts";
import { didYouMean } from "../model/validate/suggest.ts";
import {
  EXECUTION_STATUSES,
  type ExecutionDescription,
  type ExecutionStatus,
  type HistoryEvent,
  SfnApiError,
  type StepFunctionsApi,
} from "./stepfunctions/index.ts";

export { EXECUTION_STATUSES };

export interface ExecutionsRequest {
  /** A state machine: the definition's name, its physical name or its ARN. @default every machine */
  readonly machine?: string;
  readonly status?: ExecutionStatus;
}

/** One execution as `sluice executions` lists it (dates in epoch milliseconds). */
export interface ExecutionListing {
  /** The definition's name of its state machine (the physical name for one outside the definition). */
  readonly stateMachine: string;
  readonly executionArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate?: number;
}

/** One execution and its history, oldest event first (dates in epoch milliseconds). */
export interface ExecutionTimeline {
  readonly execution: ExecutionDescription;
  readonly events: readonly HistoryEvent[];
}

/** The most results Step Functions returns per page. */
const PAGE = LIMITS.stepFunctionsApi.listMaxResults.max;

export function listExecutions(
  api: StepFunctionsApi,
  spec: AppSpec,
  request: ExecutionsRequest,
): ExecutionListing[] {
  return awsErrors(() => {
    const machines = api.listStateMachines();
    const names = new Map(
      Object.values(spec.stateMachines ?? {}).map((m) => [stateMachineArn(spec, m), m.name] as const),
    );
    const wanted =
      request.machine === undefined
        ? machines
        : [
            machines.find((m) => matches(m, request.machine ?? "", names)) ??
              unknownMachine(request.machine, names),
          ];
    const listed: ExecutionListing[] = [];
    for (const machine of wanted) {
      let nextToken: string | undefined;
      do {
        let page: ReturnType<StepFunctionsApi["listExecutions"]>;
        try {
          page = api.listExecutions({
            stateMachineArn: machine.stateMachineArn,
            maxResults: PAGE,
            ...(request.status === undefined ? {} : { statusFilter: request.status }),
            ...(nextToken === undefined ? {} : { nextToken }),
          });
        } catch (error) {
          // AWS keeps no list of Express executions; listing every machine skips them.
          if (request.machine === undefined && isCode(error, "StateMachineTypeNotSupported")) break;
          throw error;
        }
        const stateMachine = names.get(machine.stateMachineArn) ?? machine.name;
        for (const e of page.executions) {
          listed.push({
            stateMachine,
            executionArn: e.executionArn,
            name: e.name,
            status: e.status,
            startDate: e.startDate,
            ...(e.stopDate === undefined ? {} : { stopDate: e.stopDate }),
          });
        }
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
    }
    return listed.sort((a, b) => b.startDate - a.startDate);
  });
}

/**
 * The engine's API, and, where it has one, its reader of a whole history (Express executions
 * included, which AWS's GetExecutionHistory does not serve).
 */
export type TimelineApi = StepFunctionsApi & { timeline?(executionArn: string): readonly HistoryEvent[] };

/** The execution (by ARN, or by a name only one execution has) and its whole history. */
export function executionTimeline(api: TimelineApi, spec: AppSpec, execution: string): ExecutionTimeline {
  return awsErrors(() => {
    const arn = execution.startsWith("arn:") ? execution : byName(api, spec, execution);
    let described: ExecutionDescription;
    try {
      described = api.describeExecution(arn);
    } catch (error) {
      // AWS describes no Express execution (its history goes to Logs); the engine keeps it.
      if (!api.timeline || !isCode(error, "StateMachineTypeNotSupported")) throw error;
      const events = api.timeline(arn);
      return { execution: fromHistory(arn, events), events };
    }
    if (api.timeline) return { execution: described, events: api.timeline(arn) };
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = api.getExecutionHistory({
        executionArn: arn,
        includeExecutionData: true,
        maxResults: PAGE,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return { execution: described, events };
  });
}

/** An Express execution as its history tells it: started with its input, ended by its last event. */
function fromHistory(arn: string, events: readonly HistoryEvent[]): ExecutionDescription {
  // arn:<partition>:states:<region>:<account>:express:<machine>:<name>:<id>
  const [prefix, machine, name] = splitExpress(arn);
  const first = events[0];
  const last = events.at(-1);
  const details = (event: HistoryEvent | undefined) =>
    (event && Object.entries(event).find(([key]) => key.endsWith("EventDetails"))?.[1]) as
      | Record<string, unknown>
      | undefined;
  const started = details(first);
  const ended = details(last);
  const status: ExecutionStatus =
    last?.type === "ExecutionSucceeded"
      ? "SUCCEEDED"
      : last?.type === "ExecutionFailed"
        ? "FAILED"
        : last?.type === "ExecutionTimedOut"
          ? "TIMED_OUT"
          : last?.type === "ExecutionAborted"
            ? "ABORTED"
            : "RUNNING";
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const output = status === "SUCCEEDED" ? text(ended?.output) : undefined;
  const error = status === "RUNNING" ? undefined : text(ended?.error);
  const cause = status === "RUNNING" ? undefined : text(ended?.cause);
  return {
    executionArn: arn,
    stateMachineArn: `${prefix}:stateMachine:${machine}`,
    name,
    status,
    startDate: first?.timestamp ?? 0,
    ...(status === "RUNNING" || last === undefined ? {} : { stopDate: last.timestamp }),
    input: text(started?.input) ?? "{}",
    ...(output === undefined ? {} : { output }),
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
  };
}

/** The account prefix, machine and execution name of an Express execution's ARN. */
function splitExpress(arn: string): [string, string, string] {
  const at = arn.indexOf(":express:");
  if (at < 0) return ["", "", ""];
  const [machine = "", name = ""] = arn.slice(at + ":express:".length).split(":");
  return [arn.slice(0, at), machine, name];
}

function byName(api: StepFunctionsApi, spec: AppSpec, name: string): string {
  const found = listExecutions(api, spec, {}).filter((e) => e.name === name);
  if (found.length === 1 && found[0]) return found[0].executionArn;
  throw new SluiceError(
    "SLUICE_UNKNOWN_EXECUTION",
    found.length === 0
      ? `no execution named "${name.slice(0, 80)}"; \`sluice executions\` lists them`
      : `${found.length} executions are named "${name.slice(0, 80)}" (${found.map((e) => e.stateMachine).join(", ")}); give its ARN`,
  );
}

function matches(
  machine: { stateMachineArn: string; name: string },
  typed: string,
  names: ReadonlyMap<string, string>,
): boolean {
  return (
    machine.stateMachineArn === typed ||
    machine.name === typed ||
    names.get(machine.stateMachineArn) === typed
  );
}

function unknownMachine(typed: string, names: ReadonlyMap<string, string>): never {
  const known = [...names.values()];
  throw new SluiceError(
    "SLUICE_UNKNOWN_STATE_MACHINE",
    `no state machine "${typed.slice(0, 80)}" in this app.${didYouMean(typed, known)}${known.length ? ` State machines: ${known.join(", ")}.` : " It defines none (stateMachines in sluice.config.ts)."}`,
  );
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof SfnApiError && error.code === code;
}

/** Step Functions' errors as AwsErrors: the CLI prints their code and message, never a stack. */
function awsErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SfnApiError) throw new AwsError(error.code, error.message, error.status);
    throw error;
  }
}

/**
 * What the state handlers (state-kinds.ts, task-state.ts, branches.ts, nested-execution.ts,
 * item-reader.ts) see of the interpreter: the live execution and frame shapes, and the operations
 * they call. interpreter.ts implements `Runner`; the handlers import only this file, so the
 * interpreter and its handlers do not import each other.
 */
import type { Clock, Timer } from "../../clock/index.ts";
import type { AslState, ContextObject, Scope } from "../language/query-language.ts";
import type { ExecutionStatus } from "../service-api.ts";
import type { TaskPort } from "../task-port.ts";
import type { DefinitionIndex, Languages } from "./definition-index.ts";
import type { ExecutionRow, Frame, PendingEvent, Records } from "./records.ts";

export interface LiveFrame extends Frame {
  /** Bumped whenever the frame moves on, so a late callback (a task answer after a timeout) is dropped. */
  gen: number;
}

export interface LiveExecution {
  row: ExecutionRow;
  readonly index: DefinitionIndex;
  readonly input: unknown;
  readonly frames: Map<number, LiveFrame>;
  readonly timers: Map<number, Timer[]>;
  readonly aborts: Map<number, AbortController>;
  events: PendingEvent[];
  executionTimer?: Timer;
  /**
   * Frames moved on by pure states (Pass, Choice) whose rows are not written yet: the next commit
   * of this execution writes them with their events. Re-running a pure state after a crash has no
   * effect outside the execution, so a chain of them costs one transaction.
   */
  readonly dirty: Set<LiveFrame>;
  flushScheduled: boolean;
  /** Each running Map state's items, by its frame (sfn_map_items holds them durably). */
  readonly items: Map<number, readonly unknown[]>;
  /** Parents whose next iterations are being started (branches.ts). */
  readonly starting: Set<number>;
  /** Parents whose next iterations start at the end of this turn (branches.ts). */
  readonly startScheduled: Set<number>;
  readonly closed: Promise<void>;
  close: () => void;
}

export interface InterpreterOptions {
  readonly records: Records;
  readonly clock: Clock;
  readonly region: string;
  readonly tasks: TaskPort;
  readonly languages: Languages;
  readonly random: () => number;
  readonly newId: () => string;
  /** Starts a nested execution (states:startExecution); `parent` is "<execution arn>#<frame id>". */
  readonly startChild: (
    request: { stateMachineArn: string; name?: string; input: string },
    parent: string | null,
  ) => { executionArn: string; startDate: number };
  readonly describeChild: (arn: string) => ExecutionRow | undefined;
  /** Stops a nested execution when its parent closes. */
  readonly stopChild: (arn: string) => void;
}

export interface Runner {
  readonly o: InterpreterOptions;
  readonly clock: Clock;
  event(
    exec: LiveExecution,
    frame: LiveFrame | undefined,
    type: string,
    details?: Record<string, unknown>,
    timestamp?: number,
  ): number;
  entered(exec: LiveExecution, frame: LiveFrame, state: AslState): void;
  commit(exec: LiveExecution, frames: readonly LiveFrame[], also?: () => void): void;
  alive(exec: LiveExecution, frame: LiveFrame, gen: number): boolean;
  arm(exec: LiveExecution, frame: LiveFrame, atMs: number, fn: () => void): void;
  settle(exec: LiveExecution, frame: LiveFrame, reason?: string): void;
  stateOf(exec: LiveExecution, frame: LiveFrame): AslState;
  drive(exec: LiveExecution, frame: LiveFrame): void;
  guard(exec: LiveExecution, frame: LiveFrame, fn: () => Promise<void>): Promise<void>;
  scope(exec: LiveExecution, frame: LiveFrame, extra?: Partial<Pick<ContextObject, "Task" | "Map">>): Scope;
  transition(
    exec: LiveExecution,
    frame: LiveFrame,
    state: AslState,
    output: unknown,
    assign: Readonly<Record<string, unknown>>,
    next: string | undefined,
    also?: () => void,
    defer?: boolean,
  ): void;
  stateFailed(exec: LiveExecution, frame: LiveFrame, error: string, cause: string): Promise<void>;
  frameFailed(exec: LiveExecution, frame: LiveFrame, error: string, cause: string): void;
  collect(exec: LiveExecution, parent: LiveFrame): void;
  scheduleFlush(exec: LiveExecution): void;
  closeExecution(
    exec: LiveExecution,
    frame: LiveFrame | undefined,
    status: Exclude<ExecutionStatus, "RUNNING" | "PENDING_REDRIVE">,
    end: { output?: unknown; error?: string; cause?: string },
    also?: () => void,
  ): void;
}

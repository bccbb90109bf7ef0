/**
 * The durable interpreter: executions are trees of frames (records.ts); a frame runs one state at
 * a time, and every transition is one transaction holding the frame and the history events it
 * produced. Timers (Wait, retry intervals, TimeoutSeconds, HeartbeatSeconds, the execution's
 * timeout) run on the cloud's clock and are re-armed from the rows after a restart.
 * State kinds live in state-kinds.ts (Pass, Choice, Wait, Succeed, Fail), task-state.ts (Task) and
 * branches.ts (Parallel, Map).
 */
import { LIMITS } from "../../../model/limits.ts";
import type { AslDocument } from "../../../model/state-machines.ts";
import type { AslState, ContextObject, Scope } from "../language/query-language.ts";
import { findCatcher, nextRetry } from "../language/retry-catch.ts";
import { STATES_ERRORS, StatesError } from "../language/states-error.ts";
import { childEnded, collectChildren, releaseChildren, resumeChildren, runBranchState } from "./branches.ts";
import { DefinitionIndex } from "./definition-index.ts";
import type { LiveExecution, LiveFrame, Runner } from "./engine-context.ts";
import { payload, stateEventPrefix } from "./history-events.ts";
import { LiveExecutions } from "./live-executions.ts";
import type { ExecutionRow, Frame } from "./records.ts";
import { runSimpleState } from "./state-kinds.ts";
import { assignedVariables, stateScope } from "./state-scope.ts";
import { resumeTask, runTask } from "./task-state.ts";

/** https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions */
const PAYLOAD_MAX = LIMITS.stepFunctions.payloadSize.max;

/** Events of pure transitions kept in memory before a commit is forced (bounds what a crash re-runs). */
const MAX_DEFERRED_EVENTS = 2000;

/** https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-state-machine-executions */
const HISTORY_MAX = LIMITS.stepFunctions.historyEvents.max;

/** States a drive loop runs before it lets the event loop turn. */
const YIELD_EVERY = 256;

export class Interpreter extends LiveExecutions implements Runner {
  /** One index per machine definition new executions start from (it is read-only), so starts parse nothing. */
  private readonly indexes = new WeakMap<AslDocument, DefinitionIndex>();
  /** Calls of `guard` not yet finished: the states running now. */
  private stepsRunning = 0;

  /**
   * Loads an execution into memory: a new one (`parsed`: its machine's definition and its input,
   * already parsed by StartExecution) or a RUNNING one after a restart (from its row).
   */
  load(
    row: ExecutionRow,
    frames: readonly Frame[],
    parsed?: { readonly document: AslDocument; readonly input: unknown },
  ): LiveExecution {
    let close = () => {};
    const closed = new Promise<void>((resolve) => {
      close = resolve;
    });
    const exec: LiveExecution = {
      row,
      index: parsed
        ? this.indexOf(parsed.document)
        : new DefinitionIndex(JSON.parse(row.definition), this.o.languages),
      input: parsed ? parsed.input : JSON.parse(row.input),
      frames: new Map(frames.map((f) => [f.id, { ...f, gen: 0 }])),
      timers: new Map(),
      aborts: new Map(),
      events: [],
      dirty: new Set(),
      flushScheduled: false,
      items: new Map(),
      starting: new Set(),
      startScheduled: new Set(),
      closed,
      close,
    };
    this.live.set(row.arn, exec);
    if (row.timeoutAt !== null) {
      exec.executionTimer = this.clock.at(row.timeoutAt, () => this.timedOut(exec));
    }
    return exec;
  }

  private indexOf(document: AslDocument): DefinitionIndex {
    let index = this.indexes.get(document);
    if (!index) {
      index = new DefinitionIndex(document, this.o.languages);
      this.indexes.set(document, index);
    }
    return index;
  }

  /** Starts a new execution: its ExecutionStarted event and top frame in one transaction. */
  begin(
    row: ExecutionRow,
    parsed: { readonly document: AslDocument; readonly input: unknown },
  ): LiveExecution {
    const exec = this.load(row, [], parsed);
    // Stamped with the startDate StartExecution answers (a later read of the clock could be after it).
    const started = this.event(
      exec,
      undefined,
      "ExecutionStarted",
      { ...payload("input", exec.input), roleArn: row.roleArn },
      row.startMs,
    );
    const top = (exec.index.document.StartAt as string) ?? "";
    this.o.records.transaction(() => {
      this.o.records.insertExecution(row);
      const frame = this.o.records.insertFrame({
        execution: row.arn,
        parent: null,
        slot: 0,
        path: "[]",
        state: top,
        phase: "enter",
        input: exec.input,
        variables: {},
        attempt: 0,
        wakeAt: null,
        lastEventId: started,
        data: { enteredAt: row.startMs },
      });
      exec.frames.set(frame.id, { ...frame, gen: 0 });
      this.flushEvents(exec);
    });
    for (const frame of exec.frames.values()) this.drive(exec, frame);
    return exec;
  }

  /** Picks every frame of a reloaded execution up where its last transaction left it. */
  resume(exec: LiveExecution): void {
    for (const frame of [...exec.frames.values()]) {
      switch (frame.phase) {
        case "enter":
          this.drive(exec, frame);
          break;
        case "wait":
        case "retry":
          this.arm(exec, frame, frame.wakeAt ?? this.clock.now(), () => this.wake(exec, frame));
          break;
        case "task":
        case "token":
        case "child":
        case "result":
          resumeTask(this, exec, frame);
          break;
        case "children":
          resumeChildren(this, exec, frame);
          break;
        default:
          break;
      }
    }
  }

  private wake(exec: LiveExecution, frame: LiveFrame): void {
    if (exec.frames.get(frame.id) !== frame || exec.row.status !== "RUNNING") return;
    if (frame.phase === "wait") {
      void this.guard(exec, frame, () => runSimpleState(this, exec, frame, this.stateOf(exec, frame), true));
      return;
    }
    if (frame.phase === "retry") {
      frame.phase = "enter";
      frame.wakeAt = null;
      frame.data.retrying = true;
      this.drive(exec, frame);
    }
  }

  // ---- running states ----

  stateOf(exec: LiveExecution, frame: LiveFrame): AslState {
    return exec.index.state(frame.path, frame.state);
  }

  /** Runs the frame's states one after another until it waits, ends or the execution closes. */
  drive(exec: LiveExecution, frame: LiveFrame): void {
    void this.guard(exec, frame, async () => {
      let steps = 0;
      while (
        frame.phase === "enter" &&
        exec.frames.get(frame.id) === frame &&
        exec.row.status === "RUNNING"
      ) {
        // Pure states settle in microtasks only: a long (or endless) loop of them yields now and
        // then so timers, I/O and the group commit still run.
        if (++steps % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        if (frame.phase !== "enter" || exec.frames.get(frame.id) !== frame || exec.row.status !== "RUNNING")
          break;
        // Room for this state's Entered and Exited events and the closing one.
        if (exec.row.nextEventId + 2 > HISTORY_MAX) {
          this.closeExecution(exec, frame, "FAILED", {
            error: STATES_ERRORS.runtime,
            cause: `The execution reached the maximum number of history events (${HISTORY_MAX}).`,
          });
          return;
        }
        const state = this.stateOf(exec, frame);
        switch (state.Type) {
          case "Task":
            await runTask(this, exec, frame, state);
            return;
          case "Parallel":
          case "Map":
            await runBranchState(this, exec, frame, state);
            return;
          default:
            await runSimpleState(this, exec, frame, state, false);
        }
      }
      if (exec.dirty.size > 0) this.scheduleFlush(exec);
    });
  }

  /** Runs `fn`; an error it throws fails the frame's state (StatesError) or the execution (a bug: States.Runtime). */
  async guard(exec: LiveExecution, frame: LiveFrame, fn: () => Promise<void>): Promise<void> {
    this.stepsRunning++;
    try {
      await fn();
    } catch (err) {
      if (exec.row.status !== "RUNNING" || exec.frames.get(frame.id) !== frame) return;
      if (frame.phase === "done" || frame.phase === "failed") return;
      const e =
        err instanceof StatesError
          ? err
          : new StatesError("States.Runtime", err instanceof Error ? err.message : String(err));
      try {
        await this.stateFailed(exec, frame, e.error, this.evaluationCause(exec, frame, e));
      } catch (again) {
        // A catcher's own evaluation failed: nothing handles that but the execution.
        const e2 = again instanceof StatesError ? again : new StatesError("States.Runtime", String(again));
        this.frameFailed(exec, frame, e2.error, e2.cause);
      }
    } finally {
      this.stepsRunning--;
    }
  }

  /**
   * Work that progresses without the clock moving (StepFunctionsEngine.pendingWork): frames whose
   * states are running (every state runs inside `guard`: pure states, a task's call in flight, a
   * Retry's or a token's outcome being applied), plus the turns queued for a group commit or for a
   * Map's next iterations. A frame in a Wait or a Retry interval waits on a clock timer, one
   * waiting for a task token or a nested execution waits on someone else: none of them counts.
   * Reads the RUNNING executions held in memory, not the tables.
   */
  pendingWork(): number {
    let pending = this.stepsRunning;
    for (const exec of this.live.values()) {
      pending += exec.startScheduled.size + (exec.flushScheduled ? 1 : 0);
    }
    return pending;
  }

  /**
   * An error the state's own fields raised (not its task's): AWS puts the state and its Entered
   * event in front of the cause, e.g. "An error occurred while executing the state 'X' (entered at
   * the event id #2). The JSONPath '$.a' specified for the field 'InputPath' could not be found in
   * the input '{}'". States.DataLimitExceeded keeps its own wording.
   */
  private evaluationCause(exec: LiveExecution, frame: LiveFrame, e: StatesError): string {
    if (e.error === STATES_ERRORS.dataLimitExceeded) return e.cause;
    this.entered(exec, frame, this.stateOf(exec, frame));
    const id = frame.data.enteredEventId;
    return `An error occurred while executing the state '${frame.state}'${id !== undefined ? ` (entered at the event id #${id})` : ""}. ${e.cause}`;
  }

  /** What a state's evaluations read: its raw input, the Context object and the variables. */
  scope(exec: LiveExecution, frame: LiveFrame, extra?: Partial<Pick<ContextObject, "Task" | "Map">>): Scope {
    return stateScope(exec, frame, this.clock.now(), extra);
  }

  /**
   * Leaves the state with `output`: to `Next` (the frame enters it), or the frame ends (`End`).
   * `exitType` is the Exited event; Fail and Succeed have their own paths.
   */
  transition(
    exec: LiveExecution,
    frame: LiveFrame,
    state: AslState,
    output: unknown,
    assign: Readonly<Record<string, unknown>>,
    next: string | undefined,
    also?: () => void,
    defer = false,
  ): void {
    // An inner scope may not assign an outer variable (States.Runtime); the new values apply from the next state.
    const variables = assignedVariables(exec, frame, assign);
    const text = JSON.stringify(output) ?? "null";
    // A state's output is at most 256 KiB (UTF-8); beyond, States.DataLimitExceeded, which nothing catches.
    if (text.length * 3 > PAYLOAD_MAX && Buffer.byteLength(text, "utf8") > PAYLOAD_MAX) {
      throw new StatesError(
        STATES_ERRORS.dataLimitExceeded,
        `The state/task '${frame.state}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    this.settle(exec, frame);
    this.event(exec, frame, `${stateEventPrefix(state.Type)}StateExited`, {
      name: frame.state,
      output: text,
      outputDetails: { truncated: false },
    });
    frame.variables = variables;
    if (next === undefined) {
      this.frameEnded(exec, frame, { ok: true, output }, also, defer);
      return;
    }
    frame.state = next;
    frame.phase = "enter";
    frame.input = output;
    frame.attempt = 0;
    frame.wakeAt = null;
    frame.data = { enteredAt: this.clock.now() };
    if (defer && !also && exec.events.length < MAX_DEFERRED_EVENTS) {
      exec.dirty.add(frame);
      this.scheduleFlush(exec);
    } else this.commit(exec, [frame], also);
  }

  /**
   * A state failed with `error`: its retriers (Task, Parallel, Map) may run it again after their
   * interval, else its catchers may move on, else the frame fails (and with the top frame, the execution).
   */
  async stateFailed(exec: LiveExecution, frame: LiveFrame, error: string, cause: string): Promise<void> {
    const state = this.stateOf(exec, frame);
    const retriable = state.Type === "Task" || state.Type === "Parallel" || state.Type === "Map";
    this.settle(exec, frame, "the state failed");
    if (state.Type === "Parallel" || state.Type === "Map") releaseChildren(this, exec, frame);
    const gen = frame.gen;
    if (retriable) {
      const plan = nextRetry(state.Retry as never, frame.data.retries ?? [], error, this.o.random);
      if (plan) {
        frame.phase = "retry";
        frame.attempt++;
        frame.wakeAt = this.clock.now() + plan.delayMs;
        frame.data = {
          enteredAt: frame.data.enteredAt,
          enteredEventId: frame.data.enteredEventId,
          retries: [...plan.retryCounts],
        };
        this.commit(exec, [frame]);
        this.arm(exec, frame, frame.wakeAt, () => this.wake(exec, frame));
        return;
      }
      const found = findCatcher(state.Catch as never, error);
      if (found) {
        const out = await exec.index
          .language(state)
          .caught(found.catcher, this.scope(exec, frame), { Error: error, Cause: cause });
        if (!this.alive(exec, frame, gen)) return;
        this.transition(exec, frame, state, out.output, out.assign, found.catcher.Next as string);
        this.drive(exec, frame);
        return;
      }
    }
    this.frameFailed(exec, frame, error, cause);
  }

  /** The frame cannot go on: the execution fails (top frame), or its Parallel/Map parent hears of it. */
  frameFailed(exec: LiveExecution, frame: LiveFrame, error: string, cause: string): void {
    this.settle(exec, frame);
    this.frameEnded(exec, frame, { ok: false, error, cause });
  }

  private frameEnded(
    exec: LiveExecution,
    frame: LiveFrame,
    result: { ok: true; output: unknown } | { ok: false; error: string; cause: string },
    also?: () => void,
    defer = false,
  ): void {
    if (frame.parent === null) {
      if (result.ok) this.closeExecution(exec, frame, "SUCCEEDED", { output: result.output }, also);
      else this.closeExecution(exec, frame, "FAILED", { error: result.error, cause: result.cause }, also);
      return;
    }
    frame.phase = result.ok ? "done" : "failed";
    frame.data = result.ok ? { output: result.output } : { error: result.error, cause: result.cause };
    const parent = exec.frames.get(frame.parent);
    if (!parent) return;
    childEnded(this, exec, parent, frame, also, defer);
  }

  /** Collects a Parallel or Map state's branches (all ended) into its output. */
  collect(exec: LiveExecution, parent: LiveFrame): void {
    void this.guard(exec, parent, () => collectChildren(this, exec, parent));
  }

  /** A nested execution closed: its `.sync` parent task gets its outcome (task-state.ts). */
  protected childClosed(child: ExecutionRow): void {
    const [parentArn, frameId] = (child.parent ?? "").split("#");
    const exec = this.live.get(parentArn ?? "");
    const frame = exec?.frames.get(Number(frameId));
    if (!exec || !frame || frame.phase !== "child" || frame.data.child !== child.arn) return;
    resumeTask(this, exec, frame);
  }

  /** The ms an execution of this type may run at most, and its own TimeoutSeconds (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
  static deadline(startMs: number, type: "STANDARD" | "EXPRESS", document: Record<string, unknown>): number {
    const max =
      type === "EXPRESS"
        ? LIMITS.stepFunctions.expressDuration.max
        : LIMITS.stepFunctions.standardDuration.max;
    const own = typeof document.TimeoutSeconds === "number" ? document.TimeoutSeconds : max;
    return startMs + Math.min(own, max) * 1000;
  }
}

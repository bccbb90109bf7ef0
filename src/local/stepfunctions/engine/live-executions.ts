/**
 * The live executions' bookkeeping, under the interpreter (interpreter.ts runs their states): the
 * history events a frame produces, the transactions that write them with the frames (one per
 * transition, or a group commit for pure states), the frames' timers on the cloud's clock, and
 * closing an execution (its last event, its rows, its nested children stopped).
 */
import type { Clock } from "../../clock/index.ts";
import type { AslState } from "../language/query-language.ts";
import type { ExecutionStatus } from "../service-api.ts";
import type { InterpreterOptions, LiveExecution, LiveFrame } from "./engine-context.ts";
import { detailsKey, payload, stateEventPrefix } from "./history-events.ts";
import type { ExecutionRow } from "./records.ts";

export abstract class LiveExecutions {
  readonly live = new Map<string, LiveExecution>();

  constructor(readonly o: InterpreterOptions) {}

  get clock(): Clock {
    return this.o.clock;
  }

  // ---- events and commits ----

  /** Allocates the next event id for a frame (previousEventId: the frame's last event). */
  event(
    exec: LiveExecution,
    frame: LiveFrame | undefined,
    type: string,
    details?: Record<string, unknown>,
    timestamp = this.clock.now(),
  ): number {
    const id = exec.row.nextEventId++;
    const previousId = frame ? frame.lastEventId : id - 1;
    if (frame) frame.lastEventId = id;
    exec.events.push({
      id,
      previousId,
      timestamp,
      type,
      details: details && { [detailsKey(type)]: details },
    });
    return id;
  }

  /**
   * The state's `<Type>StateEntered` event, first thing when the state runs (before any of its
   * fields is evaluated, so a state that fails evaluating them was entered), once per state: a
   * retry, or a Wait's end, does not repeat it.
   */
  entered(exec: LiveExecution, frame: LiveFrame, state: AslState): void {
    if (frame.data.enteredEventId !== undefined || frame.data.retrying) return;
    frame.data.enteredEventId = this.event(
      exec,
      frame,
      `${stateEventPrefix(state.Type)}StateEntered`,
      { name: frame.state, ...payload("input", frame.input) },
      frame.data.enteredAt,
    );
  }

  protected flushEvents(exec: LiveExecution): void {
    if (exec.events.length === 0) return;
    this.o.records.insertEvents(exec.row.arn, exec.events);
    this.o.records.saveEventCounter(exec.row);
    exec.events = [];
  }

  /** One transaction: the frames as they now are, the buffered events, and `also`. */
  commit(exec: LiveExecution, frames: readonly LiveFrame[], also?: () => void): void {
    this.o.records.transaction(() => {
      for (const f of frames) {
        exec.dirty.delete(f);
        if (exec.frames.get(f.id) === f) this.o.records.saveFrame(f);
      }
      for (const f of exec.dirty) if (exec.frames.get(f.id) === f) this.o.records.saveFrame(f);
      exec.dirty.clear();
      this.flushEvents(exec);
      also?.();
    });
  }

  alive(exec: LiveExecution, frame: LiveFrame, gen: number): boolean {
    return exec.row.status === "RUNNING" && exec.frames.get(frame.id) === frame && frame.gen === gen;
  }

  // ---- timers ----

  arm(exec: LiveExecution, frame: LiveFrame, atMs: number, fn: () => void): void {
    const timer = this.clock.at(atMs, fn);
    const list = exec.timers.get(frame.id);
    if (list) list.push(timer);
    else exec.timers.set(frame.id, [timer]);
  }

  /** Cancels the frame's timers and its task in flight, and makes pending callbacks stale. */
  settle(exec: LiveExecution, frame: LiveFrame, reason = "the state moved on"): void {
    frame.gen++;
    for (const t of exec.timers.get(frame.id) ?? []) t.cancel();
    exec.timers.delete(frame.id);
    const abort = exec.aborts.get(frame.id);
    if (abort) {
      exec.aborts.delete(frame.id);
      abort.abort(new Error(reason));
    }
  }

  /**
   * Writes the deferred frames and events once the current burst of work is done (a group commit).
   * Anything another party can see (a task call, a token, a closed execution) commits first.
   */
  scheduleFlush(exec: LiveExecution): void {
    if (exec.flushScheduled) return;
    exec.flushScheduled = true;
    setImmediate(() => {
      exec.flushScheduled = false;
      if (exec.dirty.size > 0 && this.live.get(exec.row.arn) === exec) this.commit(exec, []);
    });
  }

  // ---- closing ----

  /** Closes the execution with its last event, in one transaction that also drops its frames. */
  closeExecution(
    exec: LiveExecution,
    frame: LiveFrame | undefined,
    status: Exclude<ExecutionStatus, "RUNNING" | "PENDING_REDRIVE">,
    end: { output?: unknown; error?: string; cause?: string },
    also?: () => void,
  ): void {
    if (exec.row.status !== "RUNNING") return;
    const row = exec.row;
    const type = {
      SUCCEEDED: "ExecutionSucceeded",
      FAILED: "ExecutionFailed",
      ABORTED: "ExecutionAborted",
      TIMED_OUT: "ExecutionTimedOut",
    }[status];
    const details: Record<string, unknown> =
      status === "SUCCEEDED"
        ? payload("output", end.output)
        : dropUndefined({ error: end.error, cause: end.cause });
    const last = frame ?? [...exec.frames.values()].find((f) => f.parent === null);
    this.event(exec, last, type, details);
    row.status = status;
    row.stopMs = this.clock.now();
    row.output = status === "SUCCEEDED" ? (JSON.stringify(end.output) ?? "null") : null;
    row.error = end.error ?? null;
    row.cause = end.cause ?? null;
    for (const f of exec.frames.values()) this.settle(exec, f, `the execution is ${status}`);
    exec.executionTimer?.cancel();
    this.o.records.transaction(() => {
      this.flushEvents(exec);
      this.o.records.closeExecution(row);
      also?.();
    });
    exec.frames.clear();
    this.live.delete(row.arn);
    for (const child of this.o.records.runningChildren(row.arn)) this.o.stopChild(child);
    exec.close();
    if (row.parent) this.childClosed(row);
  }

  protected timedOut(exec: LiveExecution): void {
    this.closeExecution(exec, undefined, "TIMED_OUT", {
      error: "States.Timeout",
      cause: "The execution ran longer than its TimeoutSeconds.",
    });
  }

  /** A nested execution closed: the parent frame waiting for it (if any) hears of it. */
  protected abstract childClosed(child: ExecutionRow): void;

  /** Every RUNNING execution's frames and timers, dropped without closing (the cloud is closing). */
  unload(): void {
    for (const exec of this.live.values()) {
      if (exec.dirty.size > 0) this.commit(exec, []);
      exec.executionTimer?.cancel();
      for (const f of exec.frames.values()) this.settle(exec, f, "the local cloud is closing");
      // A StartSyncExecution waiting on it answers with the execution still RUNNING.
      exec.close();
    }
    this.live.clear();
  }
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * The engine's rows and the statements that read and write them (tables in schema.ts). Frames and
 * history events are written together by `commit`, one transaction per transition.
 */
import type { Db } from "../../store/index.ts";
import type { ExecutionStatus } from "../service-api.ts";

/** Where a frame is in its current state. */
export type Phase =
  /** About to run `state` with `input` (a retry sets `data.retrying`). */
  | "enter"
  /** A Wait state, or a retrier's interval, until `wakeAt`. */
  | "wait"
  | "retry"
  /** A task call in flight (a restart does not re-run it blind: see interpreter.ts). */
  | "task"
  /** A `.waitForTaskToken` task submitted, waiting for SendTask* on `data.token`. */
  | "token"
  /** A task's outcome arrived (SendTask*, a nested execution closed) and is kept until the state moves on. */
  | "result"
  /** A `.sync` nested execution, waiting for `data.child` to close. */
  | "child"
  /** A Parallel or Map state waiting for its branches or iterations. */
  | "children"
  /** A branch or iteration that ended; its parent reads `data.output` / `data.error`. */
  | "done"
  | "failed";

export interface FrameData {
  enteredAt?: number;
  /** The state's Entered event (kept across retries: the state is entered once). */
  enteredEventId?: number;
  /** Retries taken, per retrier index of the state's Retry. */
  retries?: number[];
  retrying?: boolean;
  timeoutAt?: number;
  heartbeatAt?: number;
  token?: string;
  /** The task's effective input, kept for the history of a re-run. */
  parameters?: unknown;
  /** Nested execution ARN (states:startExecution.sync). */
  child?: string;
  /** Parallel/Map bookkeeping. */
  total?: number;
  started?: number;
  finished?: number;
  failedCount?: number;
  mapRunArn?: string;
  outcome?: { ok: true; output: unknown } | { ok: false; error: string; cause: string };
  heartbeatSeconds?: number;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface Frame {
  readonly id: number;
  readonly execution: string;
  readonly parent: number | null;
  readonly slot: number;
  /** JSON array naming the States container: [] top level, [["Par", 0]] a branch, [["Map", -1]] an item processor. */
  readonly path: string;
  state: string;
  phase: Phase;
  input: unknown;
  variables: Record<string, unknown>;
  attempt: number;
  wakeAt: number | null;
  lastEventId: number;
  data: FrameData;
}

export interface ExecutionRow {
  readonly arn: string;
  readonly machineArn: string;
  readonly machineName: string;
  readonly name: string;
  readonly type: "STANDARD" | "EXPRESS";
  status: ExecutionStatus;
  readonly input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  readonly startMs: number;
  stopMs: number | null;
  readonly traceHeader: string | null;
  readonly roleArn: string;
  readonly definition: string;
  readonly timeoutAt: number | null;
  nextEventId: number;
  /** The frame that waits for this execution (`.sync` parent: "<execution arn>#<frame id>"). */
  readonly parent: string | null;
  /** Started by StartSyncExecution (an Express execution that runs at most once). */
  readonly sync: boolean;
}

export const TOKEN_OPEN = 1;
export const TOKEN_CLOSED = 0;
export const TOKEN_TIMED_OUT = 2;

export interface PendingEvent {
  readonly id: number;
  readonly previousId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly details: Record<string, unknown> | undefined;
}

interface RawExecution {
  arn: string;
  machine_arn: string;
  machine_name: string;
  name: string;
  type: "STANDARD" | "EXPRESS";
  status: ExecutionStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  start_ms: number;
  stop_ms: number | null;
  trace_header: string | null;
  role_arn: string;
  definition: string;
  timeout_at: number | null;
  next_event_id: number;
  parent: string | null;
  map_run_arn: string | null;
  sync: number;
}

interface RawFrame {
  id: number;
  execution: string;
  parent_frame: number | null;
  slot: number;
  states_path: string;
  state: string;
  phase: Phase;
  input: string;
  variables: string;
  attempt: number;
  wake_at: number | null;
  last_event_id: number;
  data: string;
}

function toExecution(r: RawExecution): ExecutionRow {
  return {
    arn: r.arn,
    machineArn: r.machine_arn,
    machineName: r.machine_name,
    name: r.name,
    type: r.type,
    status: r.status,
    input: r.input,
    output: r.output,
    error: r.error,
    cause: r.cause,
    startMs: r.start_ms,
    stopMs: r.stop_ms,
    traceHeader: r.trace_header,
    roleArn: r.role_arn,
    definition: r.definition,
    timeoutAt: r.timeout_at,
    nextEventId: r.next_event_id,
    parent: r.parent,
    sync: r.sync === 1,
  };
}

function toFrame(r: RawFrame): Frame {
  return {
    id: r.id,
    execution: r.execution,
    parent: r.parent_frame,
    slot: r.slot,
    path: r.states_path,
    state: r.state,
    phase: r.phase,
    input: JSON.parse(r.input),
    variables: JSON.parse(r.variables),
    attempt: r.attempt,
    wakeAt: r.wake_at,
    lastEventId: r.last_event_id,
    data: JSON.parse(r.data),
  };
}

/** JSON text of a value; `undefined` (no value) is stored as null. */
export function json(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}

/** A frame's changing columns, in the order both insertFrame and updateFrame bind them. */
function frameState(f: Omit<Frame, "id">) {
  return [
    f.state,
    f.phase,
    json(f.input),
    json(f.variables),
    f.attempt,
    f.wakeAt,
    f.lastEventId,
    json(f.data),
  ] as const;
}

export class Records {
  private readonly s;
  private seq: number;
  /** Each open execution's `seq`, the key of its history rows. */
  private readonly seqs = new Map<string, number>();
  private readonly runInTransaction: (fn: () => unknown) => unknown;

  constructor(db: Db) {
    this.s = {
      insertExecution: db.prepare(
        `INSERT INTO sfn_executions (arn, machine_arn, machine_name, name, type, status, input, start_ms,
          trace_header, role_arn, definition, timeout_at, next_event_id, parent, map_run_arn, seq, sync)
         VALUES (@arn, @machineArn, @machineName, @name, @type, @status, @input, @startMs, @traceHeader,
          @roleArn, @definition, @timeoutAt, @nextEventId, @parent, NULL, @seq, @sync)`,
      ),
      closeExecution: db.prepare(
        "UPDATE sfn_executions SET status = ?, output = ?, error = ?, cause = ?, stop_ms = ?, next_event_id = ? WHERE arn = ?",
      ),
      eventCounter: db.prepare("UPDATE sfn_executions SET next_event_id = ? WHERE arn = ?"),
      execution: db.prepare("SELECT * FROM sfn_executions WHERE arn = ?"),
      running: db.prepare("SELECT * FROM sfn_executions WHERE status = 'RUNNING' ORDER BY seq"),
      byMachine: db.prepare("SELECT * FROM sfn_executions WHERE machine_arn = ? ORDER BY seq DESC"),
      // "<arn>#<frame>" sorts between "<arn>#" and "<arn>$" ('$' follows '#'): an index range.
      children: db.prepare(
        "SELECT arn FROM sfn_executions WHERE parent >= ? AND parent < ? AND status = 'RUNNING'",
      ),
      maxSeq: db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM sfn_executions"),
      insertFrame: db.prepare(
        `INSERT INTO sfn_frames (execution, parent_frame, slot, states_path, state, phase, input, variables, attempt,
          wake_at, last_event_id, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateFrame: db.prepare(
        `UPDATE sfn_frames SET state = ?, phase = ?, input = ?, variables = ?, attempt = ?, wake_at = ?,
          last_event_id = ?, data = ? WHERE id = ?`,
      ),
      deleteFrame: db.prepare("DELETE FROM sfn_frames WHERE id = ?"),
      framesOf: db.prepare("SELECT * FROM sfn_frames WHERE execution = ? ORDER BY id"),
      deleteFramesOf: db.prepare("DELETE FROM sfn_frames WHERE execution = ?"),
      deleteItemsOf: db.prepare(
        "DELETE FROM sfn_map_items WHERE frame IN (SELECT id FROM sfn_frames WHERE execution = ?)",
      ),
      insertEvent: db.prepare(
        "INSERT INTO sfn_history (execution, id, previous_id, timestamp, type, details) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      history: db.prepare(
        "SELECT h.* FROM sfn_history h JOIN sfn_executions e ON e.seq = h.execution WHERE e.arn = ? ORDER BY h.id",
      ),
      seqOf: db.prepare("SELECT seq FROM sfn_executions WHERE arn = ?"),
      insertToken: db.prepare("INSERT INTO sfn_tokens (token, execution, frame, open) VALUES (?, ?, ?, 1)"),
      token: db.prepare("SELECT token, execution, frame, open FROM sfn_tokens WHERE token = ?"),
      closeToken: db.prepare("UPDATE sfn_tokens SET open = ? WHERE token = ?"),
      insertItems: db.prepare("INSERT OR REPLACE INTO sfn_map_items (frame, items) VALUES (?, ?)"),
      items: db.prepare("SELECT items FROM sfn_map_items WHERE frame = ?"),
      deleteItems: db.prepare("DELETE FROM sfn_map_items WHERE frame = ?"),
      closeTokensOf: db.prepare("UPDATE sfn_tokens SET open = 0 WHERE execution = ? AND open = 1"),
    };
    this.seq = (this.s.maxSeq.get() as { seq: number }).seq;
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
  }

  /** One transaction around `fn` (one wrapper made once: making one per call costs more than a commit). */
  transaction<T>(fn: () => T): T {
    return this.runInTransaction(fn) as T;
  }

  insertExecution(row: ExecutionRow): void {
    this.s.insertExecution.run({ ...row, seq: ++this.seq, sync: row.sync ? 1 : 0 });
    this.seqs.set(row.arn, this.seq);
  }

  execution(arn: string): ExecutionRow | undefined {
    const r = this.s.execution.get(arn) as RawExecution | undefined;
    return r ? toExecution(r) : undefined;
  }

  running(): ExecutionRow[] {
    return (this.s.running.all() as RawExecution[]).map(toExecution);
  }

  executionsOf(machineArn: string): ExecutionRow[] {
    return (this.s.byMachine.all(machineArn) as RawExecution[]).map(toExecution);
  }

  /** RUNNING executions started by `.sync`/`.waitForTaskToken`/request-response tasks of `arn`. */
  runningChildren(arn: string): string[] {
    return (this.s.children.all(`${arn}#`, `${arn}$`) as { arn: string }[]).map((r) => r.arn);
  }

  closeExecution(row: ExecutionRow): void {
    this.s.closeExecution.run(
      row.status,
      row.output,
      row.error,
      row.cause,
      row.stopMs,
      row.nextEventId,
      row.arn,
    );
    this.s.deleteItemsOf.run(row.arn);
    this.s.deleteFramesOf.run(row.arn);
    this.s.closeTokensOf.run(row.arn);
    this.seqs.delete(row.arn);
  }

  saveEventCounter(row: ExecutionRow): void {
    this.s.eventCounter.run(row.nextEventId, row.arn);
  }

  insertFrame(f: Omit<Frame, "id">): Frame {
    const info = this.s.insertFrame.run(f.execution, f.parent, f.slot, f.path, ...frameState(f));
    return { ...f, id: Number(info.lastInsertRowid) };
  }

  saveFrame(f: Frame): void {
    this.s.updateFrame.run(...frameState(f), f.id);
  }

  deleteFrame(id: number): void {
    this.s.deleteFrame.run(id);
  }

  framesOf(execution: string): Frame[] {
    return (this.s.framesOf.all(execution) as RawFrame[]).map(toFrame);
  }

  insertEvents(execution: string, events: readonly PendingEvent[]): void {
    let seq = this.seqs.get(execution);
    if (seq === undefined) {
      seq = (this.s.seqOf.get(execution) as { seq: number }).seq;
      this.seqs.set(execution, seq);
    }
    for (const e of events) {
      this.s.insertEvent.run(
        seq,
        e.id,
        e.previousId,
        e.timestamp,
        e.type,
        e.details === undefined ? null : JSON.stringify(e.details),
      );
    }
  }

  history(execution: string): PendingEvent[] {
    return (
      this.s.history.all(execution) as {
        id: number;
        previous_id: number;
        timestamp: number;
        type: string;
        details: string | null;
      }[]
    ).map((r) => ({
      id: r.id,
      previousId: r.previous_id,
      timestamp: r.timestamp,
      type: r.type,
      details: r.details === null ? undefined : JSON.parse(r.details),
    }));
  }

  /** A Map state's items, written once when it starts (its iterations start from them). */
  insertItems(frame: number, items: readonly unknown[]): void {
    this.s.insertItems.run(frame, json(items));
  }

  items(frame: number): unknown[] {
    const row = this.s.items.get(frame) as { items: string } | undefined;
    return row ? JSON.parse(row.items) : [];
  }

  deleteItems(frame: number): void {
    this.s.deleteItems.run(frame);
  }

  insertToken(token: string, execution: string, frame: number): void {
    this.s.insertToken.run(token, execution, frame);
  }

  token(token: string): { token: string; execution: string; frame: number; open: number } | undefined {
    return this.s.token.get(token) as
      | { token: string; execution: string; frame: number; open: number }
      | undefined;
  }

  /** A closed token is refused: TaskTimedOut when its task timed out, TaskDoesNotExist otherwise. */
  closeToken(token: string, timedOut = false): void {
    this.s.closeToken.run(timedOut ? TOKEN_TIMED_OUT : TOKEN_CLOSED, token);
  }
}

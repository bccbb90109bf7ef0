/**
 * Parallel and Map states: each branch or item runs in a child frame
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
 * The result is the array of the children's outputs in branch or item order. A failed branch or
 * inline iteration fails the state with its error (the others are stopped); a distributed Map
 * tolerates failures up to ToleratedFailureCount / ToleratedFailurePercentage, beyond which it
 * fails with States.ExceedToleratedFailureThreshold. MaxConcurrency (0 = no limit) bounds how many
 * iterations run at once; the next starts in the transaction that ends one.
 */
import { LIMITS } from "../../../model/limits.ts";
import type { AslState } from "../language/query-language.ts";
import { childPath, isDistributed } from "./definition-index.ts";
import type { LiveExecution, LiveFrame, Runner } from "./engine-context.ts";
import { readItems } from "./item-reader.ts";
import { next } from "./state-kinds.ts";

export async function runBranchState(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
): Promise<void> {
  const gen = frame.gen;
  const language = exec.index.language(state);
  const scope = it.scope(exec, frame);
  const isMap = state.Type === "Map";
  it.entered(exec, frame, state);
  if (!isMap) {
    const input = await language.effectiveInput(state, scope);
    if (!it.alive(exec, frame, gen)) return;
    const branches = (state.Branches ?? []) as { StartAt: string }[];
    const started = it.event(exec, frame, "ParallelStateStarted");
    frame.phase = "children";
    frame.data = {
      enteredAt: frame.data.enteredAt,
      enteredEventId: frame.data.enteredEventId,
      retries: frame.data.retries,
      total: branches.length,
      started: branches.length,
      finished: 0,
    };
    const children: LiveFrame[] = [];
    it.commit(exec, [frame], () => {
      branches.forEach((branch, i) => {
        children.push(
          insertChild(
            it,
            exec,
            frame,
            i,
            childPath(frame.path, [frame.state, i]),
            branch.StartAt,
            input,
            started,
          ),
        );
      });
    });
    if (branches.length === 0) it.collect(exec, frame);
    for (const child of children) it.drive(exec, child);
    return;
  }
  const distributed = isDistributed(state);
  const read =
    distributed && state.ItemReader
      ? await readItems(it, exec, frame, state)
      : await language.items(state, scope);
  const items = distributed && state.ItemBatcher ? await batches(it, exec, frame, state, read) : read;
  if (!it.alive(exec, frame, gen)) return;
  it.event(exec, frame, "MapStateStarted", { length: items.length });
  const data = {
    enteredAt: frame.data.enteredAt,
    enteredEventId: frame.data.enteredEventId,
    retries: frame.data.retries,
    total: items.length,
    started: 0,
    finished: 0,
    failedCount: 0,
  };
  if (distributed) {
    const label = typeof state.Label === "string" ? state.Label : frame.state;
    const mapRunArn = `${exec.row.machineArn.replace(":stateMachine:", ":mapRun:")}/${label}:${it.o.newId()}`;
    it.event(exec, frame, "MapRunStarted", { mapRunArn });
    Object.assign(data, { mapRunArn });
  }
  frame.phase = "children";
  frame.data = data;
  exec.items.set(frame.id, items);
  it.commit(exec, [frame], () => it.o.records.insertItems(frame.id, items));
  if (items.length === 0) {
    it.collect(exec, frame);
    return;
  }
  await startMore(it, exec, frame);
}

function insertChild(
  it: Runner,
  exec: LiveExecution,
  parent: LiveFrame,
  slot: number,
  path: string,
  startAt: string,
  input: unknown,
  lastEventId: number,
): LiveFrame {
  const row = it.o.records.insertFrame({
    execution: exec.row.arn,
    parent: parent.id,
    slot,
    path,
    state: startAt,
    phase: "enter",
    input,
    // Only what the branch assigns: it reads the outer variables through its parent frame
    // (Interpreter.variableScope, language/variables.ts).
    variables: {},
    attempt: 0,
    wakeAt: null,
    lastEventId,
    data: { enteredAt: it.clock.now() },
  });
  const child = { ...row, gen: 0 };
  exec.frames.set(child.id, child);
  return child;
}

/** Starts iterations until MaxConcurrency are running or none is left. */
async function startMore(it: Runner, exec: LiveExecution, parent: LiveFrame): Promise<void> {
  if (exec.starting.has(parent.id)) return;
  exec.starting.add(parent.id);
  try {
    const state = it.stateOf(exec, parent);
    const own =
      typeof state.MaxConcurrency === "number" && state.MaxConcurrency > 0
        ? state.MaxConcurrency
        : Number.POSITIVE_INFINITY;
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html: "up to 40 concurrent iterations".
    const limit = isDistributed(state) ? own : Math.min(own, LIMITS.stepFunctions.inlineMapConcurrency.max);
    for (;;) {
      const d = parent.data;
      const total = d.total ?? 0;
      const running = (d.started ?? 0) - (d.finished ?? 0);
      const count = Math.min(total - (d.started ?? 0), limit - running);
      if (count <= 0 || parent.phase !== "children" || exec.row.status !== "RUNNING") return;
      const first = d.started ?? 0;
      let items = exec.items.get(parent.id);
      if (!items) {
        items = it.o.records.items(parent.id);
        exec.items.set(parent.id, items);
      }
      const due: unknown[] = [];
      for (let i = first; i < first + count; i++) due.push(items[i]);
      // A distributed Map's batches were selected item by item when they were made (batches()).
      const inputs =
        state.ItemBatcher !== undefined && isDistributed(state)
          ? due
          : await selectItems(it, exec, parent, state, due, first);
      if (exec.frames.get(parent.id) !== parent || parent.phase !== "children") return;
      const children: LiveFrame[] = [];
      const processor = (state.ItemProcessor ?? state.Iterator) as { StartAt: string };
      const path = childPath(parent.path, [parent.state, -1]);
      d.started = first + count;
      it.commit(exec, [parent], () => {
        inputs.forEach((input, k) => {
          const id = it.event(exec, parent, "MapIterationStarted", { name: parent.state, index: first + k });
          children.push(insertChild(it, exec, parent, first + k, path, processor.StartAt, input, id));
        });
      });
      for (const child of children) it.drive(exec, child);
    }
  } finally {
    exec.starting.delete(parent.id);
  }
}

/** A branch or iteration ended (its frame is already "done" or "failed"): one transaction updates both. */
export function childEnded(
  it: Runner,
  exec: LiveExecution,
  parent: LiveFrame,
  child: LiveFrame,
  also?: () => void,
  defer = false,
): void {
  const state = it.stateOf(exec, parent);
  const d = parent.data;
  const failed = child.phase === "failed";
  if (state.Type === "Map") {
    it.event(exec, parent, failed ? "MapIterationFailed" : "MapIterationSucceeded", {
      name: parent.state,
      index: child.slot,
    });
  }
  d.finished = (d.finished ?? 0) + 1;
  let stateError: { error: string; cause: string } | undefined;
  if (failed) {
    d.failedCount = (d.failedCount ?? 0) + 1;
    if (state.Type !== "Map" || !isDistributed(state))
      stateError = { error: child.data.error ?? "", cause: child.data.cause ?? "" };
    else if (beyondTolerance(state, d.failedCount, d.total ?? 0)) {
      stateError = {
        error: "States.ExceedToleratedFailureThreshold",
        cause: "The specified tolerated failure threshold was exceeded",
      };
    }
  }
  if (stateError) {
    d.error = stateError.error;
    d.cause = stateError.cause;
  }
  // The parent's counters are not written here: a restart counts its children's rows instead.
  // A branch that ended on a pure state may be written with the next group commit (a crash runs that state again).
  if (defer && !stateError && !also) {
    exec.dirty.add(child);
    it.scheduleFlush(exec);
  } else it.commit(exec, stateError ? [child, parent] : [child], also);
  if (stateError) {
    void it.guard(exec, parent, () => branchFailed(it, exec, parent));
    return;
  }
  if ((d.finished ?? 0) >= (d.total ?? 0)) it.collect(exec, parent);
  else if ((d.started ?? 0) < (d.total ?? 0)) startSoon(it, exec, parent);
}

/**
 * Starts the next iterations once the iterations ending in this burst of work have all ended, so
 * one transaction starts many (iterations of pure states end within one turn of the event loop).
 */
function startSoon(it: Runner, exec: LiveExecution, parent: LiveFrame): void {
  if (exec.startScheduled.has(parent.id)) return;
  exec.startScheduled.add(parent.id);
  setImmediate(() => {
    exec.startScheduled.delete(parent.id);
    if (exec.frames.get(parent.id) === parent) void it.guard(exec, parent, () => startMore(it, exec, parent));
  });
}

function beyondTolerance(state: AslState, failed: number, total: number): boolean {
  const count = typeof state.ToleratedFailureCount === "number" ? state.ToleratedFailureCount : undefined;
  const percent =
    typeof state.ToleratedFailurePercentage === "number" ? state.ToleratedFailurePercentage : undefined;
  if (count === undefined && percent === undefined) return failed > 0;
  // Either threshold, once exceeded, fails the Map Run.
  const overCount = count !== undefined && failed > count;
  const overPercent = percent !== undefined && (failed / Math.max(total, 1)) * 100 > percent;
  return overCount || overPercent;
}

/** Drops the children of a Parallel or Map frame (stopping what they were doing). */
function dropChildren(it: Runner, exec: LiveExecution, parent: LiveFrame): void {
  for (const f of [...exec.frames.values()]) {
    if (f.parent !== parent.id) continue;
    dropChildren(it, exec, f);
    it.settle(exec, f, "a sibling branch failed");
    // A stopped task stops what it started and waits for (a `.sync`/`.waitForTaskToken` child), as a timed-out one does.
    if (f.data.child && (f.phase === "child" || f.phase === "token")) it.o.stopChild(f.data.child);
    exec.frames.delete(f.id);
    it.o.records.deleteFrame(f.id);
  }
}

/** Drops a Parallel or Map frame's branches and items (the state failed, or is being retried). */
export function releaseChildren(it: Runner, exec: LiveExecution, parent: LiveFrame): void {
  exec.items.delete(parent.id);
  it.o.records.transaction(() => {
    dropChildren(it, exec, parent);
    it.o.records.deleteItems(parent.id);
  });
}

async function branchFailed(it: Runner, exec: LiveExecution, parent: LiveFrame): Promise<void> {
  const state = it.stateOf(exec, parent);
  const error = parent.data.error ?? "States.Runtime";
  const cause = parent.data.cause ?? "";
  releaseChildren(it, exec, parent);
  if (parent.data.mapRunArn) it.event(exec, parent, "MapRunFailed", { error, cause });
  it.event(exec, parent, state.Type === "Map" ? "MapStateFailed" : "ParallelStateFailed");
  await it.stateFailed(exec, parent, error, cause);
}

/** Every child ended well: the array of outputs in order becomes the state's result. */
export async function collectChildren(it: Runner, exec: LiveExecution, parent: LiveFrame): Promise<void> {
  if (parent.phase !== "children") return;
  const gen = parent.gen;
  const state = it.stateOf(exec, parent);
  const children = [...exec.frames.values()]
    .filter((f) => f.parent === parent.id)
    .sort((a, b) => a.slot - b.slot);
  const result = children.map((c) =>
    c.phase === "done" ? c.data.output : { Error: c.data.error, Cause: c.data.cause },
  );
  const scope = it.scope(exec, parent);
  const out = await exec.index.language(state).output(state, scope, result);
  if (!it.alive(exec, parent, gen) || parent.phase !== "children") return;
  if (parent.data.mapRunArn) it.event(exec, parent, "MapRunSucceeded");
  it.event(exec, parent, state.Type === "Map" ? "MapStateSucceeded" : "ParallelStateSucceeded");
  for (const c of children) exec.frames.delete(c.id);
  exec.items.delete(parent.id);
  it.transition(exec, parent, state, out.output, out.assign, next(state), () => {
    for (const c of children) it.o.records.deleteFrame(c.id);
    it.o.records.deleteItems(parent.id);
  });
  it.drive(exec, parent);
}

/** After a restart: a parent whose children all ended collects; a failed one fails; a Map starts what is left. */
export function resumeChildren(it: Runner, exec: LiveExecution, parent: LiveFrame): void {
  const children = [...exec.frames.values()].filter((f) => f.parent === parent.id);
  parent.data.started = Math.max(parent.data.started ?? 0, children.length);
  parent.data.finished = children.filter((f) => f.phase === "done" || f.phase === "failed").length;
  parent.data.failedCount = children.filter((f) => f.phase === "failed").length;
  if (parent.data.error !== undefined) {
    void it.guard(exec, parent, () => branchFailed(it, exec, parent));
    return;
  }
  if ((parent.data.finished ?? 0) >= (parent.data.total ?? 0)) {
    it.collect(exec, parent);
    return;
  }
  if (it.stateOf(exec, parent).Type === "Map") void it.guard(exec, parent, () => startMore(it, exec, parent));
}

/**
 * ItemBatcher (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html):
 * each item through ItemSelector first, then groups of MaxItemsPerBatch as `{ Items, BatchInput }`.
 * MaxInputBytesPerBatch is not applied.
 */
async function batches(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
  items: readonly unknown[],
): Promise<unknown[]> {
  const batcher = state.ItemBatcher as { MaxItemsPerBatch?: unknown; BatchInput?: unknown };
  const selected = await selectItems(it, exec, frame, state, items, 0);
  const size =
    typeof batcher.MaxItemsPerBatch === "number" && batcher.MaxItemsPerBatch > 0
      ? batcher.MaxItemsPerBatch
      : selected.length || 1;
  const out: unknown[] = [];
  for (let i = 0; i < selected.length; i += size) {
    out.push({
      Items: selected.slice(i, i + size),
      ...(batcher.BatchInput !== undefined ? { BatchInput: batcher.BatchInput } : {}),
    });
  }
  return out;
}

/**
 * Each item as its iteration receives it: through ItemSelector (or Parameters, its older JSONPath
 * name) with `$$.Map.Item` (Index from `first`, Value) in scope, or as it is when there is neither.
 */
async function selectItems(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
  items: readonly unknown[],
  first: number,
): Promise<unknown[]> {
  const field =
    state.ItemSelector !== undefined
      ? "ItemSelector"
      : state.Parameters !== undefined
        ? "Parameters"
        : undefined;
  if (field === undefined) return [...items];
  const language = exec.index.language(state);
  const selected: unknown[] = [];
  for (const [k, value] of items.entries()) {
    selected.push(
      await language.effectiveInput(
        state,
        it.scope(exec, frame, { Map: { Item: { Index: first + k, Value: value } } }),
        field,
      ),
    );
  }
  return selected;
}

/**
 * The async invoke queue's pendingWork while events due now wait for the function's concurrency:
 * settling must wait for them (issue 20: `advance` settles the work it triggers), and they start
 * as soon as an invocation gives its concurrency back, without the clock moving.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { AsyncInvokeQueue } from "../../src/local/async-invoke/async-invoke-queue.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import type { InvokeInput, InvokeResult, LambdaService } from "../../src/local/lambda/types.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

/** One function with room for one invocation at a time; each invocation ends when the test says. */
class OneAtATime implements LambdaService {
  busy = 0;
  readonly ran: string[] = [];
  private readonly ends: (() => void)[] = [];
  private readonly listeners = new Set<(functionName: string) => void>();

  async invoke(functionName: string, input: InvokeInput): Promise<InvokeResult> {
    this.busy++;
    this.ran.push(input.payload);
    await new Promise<void>((resolve) => this.ends.push(resolve));
    this.busy--;
    for (const listener of this.listeners) listener(functionName);
    return {
      requestId: input.requestId ?? "r",
      statusCode: 200,
      payload: "null",
      executedVersion: "$LATEST",
      deliveries: [],
      coldStart: false,
      traceHeader: input.traceHeader ?? "Root=1-00000000-000000000000000000000000",
    };
  }
  /** Ends the oldest running invocation. */
  endOne(): void {
    this.ends.shift()?.();
  }
  hasCapacity(): boolean {
    return this.busy < 1;
  }
  stats() {
    return [{ functionName: "task", warm: 1, busy: this.busy, codeGeneration: 1 }];
  }
  onInvocationEnd(listener: (functionName: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  reload(): void {}
  onLog(): () => void {
    return () => {};
  }
  async close(): Promise<void> {}
}

let temp: TempDir;
let db: Db;
beforeEach(() => {
  temp = tempDir("sluice-async-settle-");
  db = openStore(join(temp.dir, "state.sqlite"));
});
afterEach(() => {
  db.close();
  temp.cleanup();
});

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

test("an event due now but waiting for concurrency counts as pending and starts when room frees, on a still clock", async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const lambda = new OneAtATime();
  const queue = new AsyncInvokeQueue({ db, clock, lambda, functionNames: ["task"], onResult: () => {} });
  queue.start();
  // A synchronous invoke holds the function's one slot.
  const held = lambda.invoke("task", { payload: '"sync"' });
  queue.enqueue("task", '"async"');
  await turns(3);
  assert.deepEqual(lambda.ran, ['"sync"'], "the event waits for room");
  assert.ok(queue.pendingWork() > 0, "a due event waiting on a running invocation is pending work");
  lambda.endOne();
  await held;
  await turns(3);
  assert.deepEqual(lambda.ran, ['"sync"', '"async"'], "it started once room freed, the clock still");
  lambda.endOne();
  await turns(3);
  assert.equal(queue.pendingWork(), 0);
  queue.close();
});

test("an event waiting for room with nothing running is not pending: only the clock can start it", async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const lambda = new OneAtATime();
  lambda.hasCapacity = () => false;
  const queue = new AsyncInvokeQueue({ db, clock, lambda, functionNames: ["task"], onResult: () => {} });
  queue.start();
  queue.enqueue("task", '"async"');
  await turns(3);
  assert.equal(queue.pendingWork(), 0);
  queue.close();
});

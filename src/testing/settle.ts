/**
 * Settling: waiting, in real time and never moving the clock, until the app has nothing left to
 * do at the clock's now. Functions run in worker threads, so their work is real time even on a
 * manual clock; `LocalCloud.pendingWork()` counts what will progress without the clock moving.
 */
import type { LocalCloud } from "../local/local-cloud.ts";
import { stillBusy } from "./errors.ts";

/** Real time a settle may take before it names what is still busy. Sluice's own number. */
const SETTLE_LIMIT_MS = 30_000;

/** Turns of the event loop a settle spends checking before it pauses 1 ms between checks. */
const BUSY_TURNS_BEFORE_PAUSE = 20;

/**
 * Resolves once `pendingWork()` is 0 on two consecutive turns of the event loop (the second turn
 * catches work the first one's callbacks started); rejects after `limitMs` naming what is busy.
 */
export async function settleCloud(cloud: () => LocalCloud, limitMs = SETTLE_LIMIT_MS): Promise<void> {
  const deadline = performance.now() + limitMs;
  let quietTurns = 0;
  let busyTurns = 0;
  for (;;) {
    await nextTurn();
    if (cloud().pendingWork() === 0) {
      if (++quietTurns >= 2) return;
      continue;
    }
    quietTurns = 0;
    if (performance.now() > deadline) throw stillBusy(limitMs, busyResources(cloud()));
    // Most work a timer starts is this thread's own (a poller's next receive, a delivery) and is
    // done within a few turns: a long advance fires thousands of such timers (a stream mapping
    // polls 4 times a second), and a 1 ms pause for each made `advance("2 hours")` take a minute.
    // Work in worker threads and on sockets takes real time: past a few turns, pause instead of
    // spinning.
    if (++busyTurns > BUSY_TURNS_BEFORE_PAUSE) await pause(1);
  }
}

/** What keeps the cloud busy, in words: running functions, queues with messages to deliver. */
function busyResources(cloud: LocalCloud): string[] {
  const busy: string[] = [];
  for (const fn of cloud.lambda.functionStates()) {
    if (fn.busy > 0) busy.push(`function ${fn.functionName} running (${fn.busy})`);
  }
  for (const queue of cloud.sqs.listQueues()) {
    const stats = cloud.sqs.stats(queue.name);
    if (stats.visible > 0) busy.push(`queue ${queue.name} with ${stats.visible} message(s) visible`);
  }
  busy.push(`${cloud.pendingWork()} unit(s) of pending work`);
  return busy;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

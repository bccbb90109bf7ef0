/**
 * A `SystemClock` (time moves on its own and can be advanced, as `sluice time advance` does) that
 * counts the timers it holds, so a test knows when a long poll has armed its wait.
 */
import { SystemClock, type Timer } from "../../../src/local/clock/clock.ts";

export class WatchedClock extends SystemClock {
  private readonly live = new Set<object>();

  get pendingTimers(): number {
    return this.live.size;
  }

  override at(atMs: number, fn: () => void): Timer {
    const token = {};
    this.live.add(token);
    const timer = super.at(atMs, () => {
      this.live.delete(token);
      fn();
    });
    return {
      cancel: () => {
        this.live.delete(token);
        timer.cancel();
      },
    };
  }

  /** Starts `call` and resolves once one more timer is pending (the call waits on this clock). */
  async whenWaiting<T>(call: () => Promise<T>): Promise<{ readonly result: Promise<T> }> {
    const before = this.pendingTimers;
    const result = call();
    // A bound in wall time, not in event-loop turns: a loaded machine may need many turns.
    const giveUpAt = Date.now() + ARM_WAIT_MS;
    while (this.pendingTimers <= before && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 2));
    if (this.pendingTimers <= before) throw new Error("the call never started waiting on the clock");
    return { result };
  }
}

const ARM_WAIT_MS = 20_000;

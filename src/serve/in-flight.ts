/**
 * The invocations a server has running, so a graceful shutdown can wait for them: until none is
 * left or the deadline passes on the server's clock, whichever comes first.
 */
import type { Clock } from "../local/clock/index.ts";

export interface DrainReport {
  /** Invocations that finished while the shutdown waited. */
  readonly finished: number;
  /** Invocations still running at the deadline. */
  readonly abandoned: number;
}

export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private finishedWhileDraining = 0;
  private draining = false;

  constructor(private readonly clock: Clock) {}

  get count(): number {
    return this.running.size;
  }

  /** Counts `work` as in flight until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const entry: Promise<unknown> = work.then(
      () => this.settle(entry),
      () => this.settle(entry),
    );
    this.running.add(entry);
    return work;
  }

  /** From now on, invocations that settle count as finished during the shutdown. */
  startDraining(): void {
    this.draining = true;
  }

  /** Resolves when nothing runs (what starts meanwhile counts too) or at `deadlineMs` on the clock. */
  async drain(deadlineMs: number): Promise<DrainReport> {
    this.startDraining();
    let expired = false;
    const timer = this.clock.at(deadlineMs, () => {
      expired = true;
      wake?.();
    });
    let wake: (() => void) | undefined;
    const deadline = new Promise<void>((resolve) => {
      wake = resolve;
    });
    try {
      while (this.running.size > 0 && !expired) {
        await Promise.race([Promise.race(this.running), deadline]);
      }
    } finally {
      timer.cancel();
    }
    return { finished: this.finishedWhileDraining, abandoned: this.running.size };
  }

  private settle(entry: Promise<unknown>): void {
    this.running.delete(entry);
    if (this.draining) this.finishedWhileDraining += 1;
  }
}

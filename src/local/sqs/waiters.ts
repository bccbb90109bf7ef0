import type { Clock, Timer } from "../clock/index.ts";

export type WakeReason = "notified" | "deadline" | "aborted";

interface Waiter {
  readonly resolve: (reason: WakeReason) => void;
  deadlineTimer: Timer | undefined;
  detachAbort: (() => void) | undefined;
}

/**
 * Long polls and event source mappings waiting on a queue. Nothing polls SQLite: a send (or a
 * delete that unblocks a FIFO group) wakes waiters in-process, and one clock timer per queue with
 * waiters fires at the queue's next due time (a delay ending, a visibility timeout expiring).
 * Waking is a hint; the woken caller looks again and waits again if there was nothing for it.
 */
export class QueueWaiters {
  private readonly waiting = new Map<number, Set<Waiter>>();
  private readonly dueTimers = new Map<number, { at: number; timer: Timer }>();

  constructor(
    private readonly clock: Clock,
    /** The earliest `visible_at` after now in the queue, if any. */
    private readonly nextDue: (queueId: number) => number | undefined,
  ) {}

  wait(queueId: number, options: { signal?: AbortSignal; deadline?: number } = {}): Promise<WakeReason> {
    const { signal, deadline } = options;
    if (signal?.aborted) return Promise.resolve("aborted");
    return new Promise<WakeReason>((resolve) => {
      const waiter: Waiter = { resolve, deadlineTimer: undefined, detachAbort: undefined };
      const set = this.waiting.get(queueId) ?? new Set<Waiter>();
      this.waiting.set(queueId, set);
      set.add(waiter);
      if (deadline !== undefined) {
        waiter.deadlineTimer = this.clock.at(deadline, () => this.finish(queueId, waiter, "deadline"));
      }
      if (signal) {
        const onAbort = () => this.finish(queueId, waiter, "aborted");
        signal.addEventListener("abort", onAbort, { once: true });
        waiter.detachAbort = () => signal.removeEventListener("abort", onAbort);
      }
      this.reschedule(queueId);
    });
  }

  hasWaiters(queueId: number): boolean {
    return (this.waiting.get(queueId)?.size ?? 0) > 0;
  }

  /** Something may be receivable now: wake everyone waiting on the queue. */
  notify(queueId: number): void {
    const set = this.waiting.get(queueId);
    if (!set || set.size === 0) return;
    for (const waiter of [...set]) this.finish(queueId, waiter, "notified");
  }

  /** The queue's due times changed (a receive, a delay, a visibility change): re-arm its timer. */
  reschedule(queueId: number): void {
    if (!this.hasWaiters(queueId)) return;
    const due = this.nextDue(queueId);
    const current = this.dueTimers.get(queueId);
    if (current && current.at === due) return;
    current?.timer.cancel();
    this.dueTimers.delete(queueId);
    if (due === undefined) return;
    this.dueTimers.set(queueId, {
      at: due,
      timer: this.clock.at(due, () => {
        this.dueTimers.delete(queueId);
        this.notify(queueId);
      }),
    });
  }

  /** Wakes every waiter as aborted and cancels every timer. */
  closeAll(): void {
    for (const [queueId, set] of this.waiting) {
      for (const waiter of [...set]) this.finish(queueId, waiter, "aborted");
    }
  }

  private finish(queueId: number, waiter: Waiter, reason: WakeReason): void {
    const set = this.waiting.get(queueId);
    if (!set?.delete(waiter)) return;
    waiter.deadlineTimer?.cancel();
    waiter.detachAbort?.();
    if (set.size === 0) {
      this.waiting.delete(queueId);
      this.dueTimers.get(queueId)?.timer.cancel();
      this.dueTimers.delete(queueId);
    }
    waiter.resolve(reason);
  }
}

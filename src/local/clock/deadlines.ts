/**
 * Many deadlines on one clock timer. Every invocation and every gateway request has a deadline
 * that almost never fires; arming and cancelling a clock timer for each one cost more than the
 * rest of a warm invoke's bookkeeping. Here a min-heap holds the deadlines and a single clock
 * timer waits for the earliest. Cancelling removes the entry at once (the heap only ever holds
 * work in progress), and the timer is given back when nothing is left to wait for, unless
 * `keepTimer` says to leave it armed.
 */
import type { Clock, Timer } from "./clock.ts";

export interface DeadlinesOptions {
  /**
   * Leave the clock timer armed when the last deadline is cancelled; it wakes once, finds nothing
   * due and is not re-armed. For a stream of deadlines that come one at a time and are cancelled
   * almost at once (a gateway request answered in-process), this saves arming and cancelling a
   * clock timer per deadline.
   * @default false
   * @example new Deadlines(clock, { keepTimer: true })
   */
  readonly keepTimer?: boolean;
}

// The entry is the Timer handed out: a prototype method, not a closure per deadline.
class Entry implements Timer {
  /** Position in the heap; -1 once fired or cancelled. */
  index: number;

  constructor(
    private readonly removeFrom: (entry: Entry) => void,
    readonly atMs: number,
    readonly seq: number,
    public fn: (() => void) | undefined,
    index: number,
  ) {
    this.index = index;
  }

  cancel(): void {
    this.removeFrom(this);
  }
}

export class Deadlines {
  private readonly heap: Entry[] = [];
  private timer: Timer | undefined;
  /** When the armed timer fires; it may be earlier than the earliest entry (entries left). */
  private armedAtMs = Number.POSITIVE_INFINITY;
  private seq = 0;
  private keepTimer: boolean;
  private readonly cancelEntry = (entry: Entry) => this.remove(entry, !this.keepTimer);

  constructor(
    private readonly clock: Clock,
    options: DeadlinesOptions = {},
  ) {
    this.keepTimer = options.keepTimer === true;
  }

  /** Deadlines waiting to fire. */
  get size(): number {
    return this.heap.length;
  }

  /** Calls `fn` once the clock reaches `atMs`, unless the returned timer is cancelled first. */
  at(atMs: number, fn: () => void): Timer {
    const entry = new Entry(this.cancelEntry, atMs, this.seq++, fn, this.heap.length);
    this.heap.push(entry);
    this.up(entry.index);
    if (atMs < this.armedAtMs) this.arm(atMs);
    return entry;
  }

  /**
   * Turns keepTimer on or off. Off gives back a timer left armed now, when no deadline waits, or
   * else once the last waiting deadline goes.
   */
  setKeepTimer(keep: boolean): void {
    this.keepTimer = keep;
    if (!keep && this.heap.length === 0) this.disarm();
  }

  private remove(entry: Entry, disarmWhenEmpty: boolean): void {
    if (entry.index < 0) return;
    const last = this.heap.pop() as Entry;
    if (last !== entry) {
      this.heap[entry.index] = last;
      last.index = entry.index;
      this.up(last.index);
      this.down(last.index);
    }
    entry.index = -1;
    entry.fn = undefined;
    // An early timer left armed only wakes to re-arm; an empty heap needs no timer at all.
    if (disarmWhenEmpty && this.heap.length === 0) this.disarm();
  }

  private arm(atMs: number): void {
    this.timer?.cancel();
    this.armedAtMs = atMs;
    this.timer = this.clock.at(atMs, () => this.fire());
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.armedAtMs = Number.POSITIVE_INFINITY;
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAtMs = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    for (let top = this.heap[0]; top !== undefined && top.atMs <= now; top = this.heap[0]) {
      const fn = top.fn;
      this.remove(top, true);
      fn?.();
    }
    const next = this.heap[0];
    if (next !== undefined && next.atMs < this.armedAtMs) this.arm(next.atMs);
  }

  private before(a: Entry, b: Entry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private up(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Entry;
      if (!this.before(entry, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }

  private down(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      let child = heap[left] as Entry;
      let childIndex = left;
      if (right < heap.length && this.before(heap[right] as Entry, child)) {
        child = heap[right] as Entry;
        childIndex = right;
      }
      if (!this.before(child, entry)) break;
      heap[index] = child;
      child.index = index;
      index = childIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }
}

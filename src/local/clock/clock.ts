/**
 * The one source of time for the local cloud. Visibility timeouts, delays, retention, function
 * timeouts, idle reclaiming and retries all read it, so tests move time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, as this clock sees them. */
  now(): number;
  /** Calls `fn` once the clock reaches `atMs`. */
  at(atMs: number, fn: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}

/** Helper so callers can say "in N ms" without repeating `clock.now() + ms`. */
export function after(clock: Clock, ms: number, fn: () => void): Timer {
  return clock.at(clock.now() + ms, fn);
}

interface Pending {
  atMs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Where a SystemClock stands: what a restarted clock must not fall behind (clock-file.ts). */
export interface ClockMark {
  /** The offset `time advance` has added to the wall clock so far. */
  readonly offsetMs: number;
  /** The clock's now when the mark was taken. */
  readonly nowMs: number;
}

export interface SystemClockOptions {
  /**
   * Where the clock stood last time (a `dev` killed and started again): it starts with that offset,
   * and never before that now, so timers armed on it are not pushed back by the whole advance.
   * @default the wall clock
   */
  readonly resume?: ClockMark;
  /**
   * Called, before `advance` moves the clock or fires anything, with where it is going: a throw
   * leaves the clock where it was. Lets the mark be durable before `time advance` answers.
   */
  readonly onAdvance?: (mark: ClockMark) => void;
}

/**
 * Wall-clock time plus an offset that only grows, so a running `dev` can be moved forward
 * (`sluice time advance`) and everything due fires in order. It never goes back: not across a
 * restart (`resume`), and not when the wall clock is set back (the offset grows to cover it).
 */
export class SystemClock implements Clock {
  private offsetMs: number;
  private latestMs = Number.NEGATIVE_INFINITY;
  private readonly timers = new Set<{ pending: Pending; handle: NodeJS.Timeout | undefined }>();
  private seq = 0;

  constructor(private readonly options: SystemClockOptions = {}) {
    const { resume } = options;
    this.offsetMs = resume ? Math.max(0, resume.offsetMs, resume.nowMs - Date.now()) : 0;
  }

  now(): number {
    const now = Date.now() + this.offsetMs;
    if (now >= this.latestMs) {
      this.latestMs = now;
      return now;
    }
    // The wall clock moved back: the offset takes up the difference, so time goes on from here.
    this.offsetMs += this.latestMs - now;
    return this.latestMs;
  }

  /** Where the clock stands now, to be recorded and resumed from. */
  mark(): ClockMark {
    const nowMs = this.now();
    return { offsetMs: this.offsetMs, nowMs };
  }

  at(atMs: number, fn: () => void): Timer {
    const entry = {
      pending: { atMs, seq: this.seq++, fn, cancelled: false },
      handle: undefined as NodeJS.Timeout | undefined,
    };
    this.timers.add(entry);
    this.arm(entry);
    return {
      cancel: () => {
        entry.pending.cancelled = true;
        if (entry.handle) clearTimeout(entry.handle);
        this.timers.delete(entry);
      },
    };
  }

  /** Moves time forward; timers now due fire in time order. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`the clock only moves forward; got ${ms} ms`);
    const from = this.now();
    this.options.onAdvance?.({ offsetMs: this.offsetMs + ms, nowMs: from + ms });
    this.offsetMs += ms;
    const due = [...this.timers]
      .filter((t) => t.pending.atMs <= this.now())
      .sort((a, b) => a.pending.atMs - b.pending.atMs || a.pending.seq - b.pending.seq);
    for (const entry of due) this.fire(entry);
    for (const entry of this.timers) this.arm(entry);
  }

  private arm(entry: { pending: Pending; handle: NodeJS.Timeout | undefined }): void {
    if (entry.handle) clearTimeout(entry.handle);
    const delay = Math.max(0, entry.pending.atMs - this.now());
    // Node caps timers at 2^31-1 ms; longer waits re-arm when they wake early.
    entry.handle = setTimeout(
      () => {
        if (entry.pending.atMs > this.now()) this.arm(entry);
        else this.fire(entry);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    entry.handle.unref?.();
  }

  private fire(entry: { pending: Pending; handle: NodeJS.Timeout | undefined }): void {
    if (entry.handle) clearTimeout(entry.handle);
    if (!this.timers.delete(entry) || entry.pending.cancelled) return;
    entry.pending.fn();
  }
}

/** How a ManualClock lets the work a timer started run before it fires the next one. */
export interface ManualClockOptions {
  /**
   * Run between timers instead of the one turn of the event loop: a test kit waits here until the
   * local cloud has no work that can progress without the clock (LocalCloud.pendingWork). It runs
   * once every timer due at the current instant has fired (timers at one instant are separated by
   * one turn, as without it), so it never waits on a timer that only the clock can fire; and before
   * `advance` returns. A timer the settled work arms within the advance fires in it, in time order.
   * @default one `setImmediate` between timers
   * @example new ManualClock(Date.UTC(2026, 0, 1), { settle: () => settled(cloud) })
   */
  readonly settle?: () => Promise<void>;
}

/**
 * A clock that moves only when told to. `advance` fires due timers one by one in time order,
 * setting `now` to each timer's time and letting promise callbacks settle in between.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly pending: Pending[] = [];
  private seq = 0;

  constructor(
    startMs = Date.UTC(2026, 0, 1),
    private readonly options: ManualClockOptions = {},
  ) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  at(atMs: number, fn: () => void): Timer {
    const entry: Pending = { atMs, seq: this.seq++, fn, cancelled: false };
    this.pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Number of timers that have not fired or been cancelled. */
  get pendingTimers(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  async advance(ms: number): Promise<void> {
    if (ms < 0) throw new RangeError(`the clock only moves forward; got ${ms} ms`);
    const target = this.current + ms;
    const hooked = this.options.settle !== undefined;
    for (;;) {
      await this.settleNow();
      const next = this.nextDue(target);
      if (next) {
        this.current = Math.max(this.current, next.atMs);
        next.cancelled = true;
        next.fn();
        continue;
      }
      // Without a hook: one turn at the target, as ever. With one: settled at the target too, and
      // whatever that settling arms up to the target still fires in this advance.
      if (!hooked || this.current >= target) break;
      this.current = target;
    }
    if (!hooked) {
      this.current = target;
      await turn();
    }
  }

  /** The settle hook once nothing more is due at this instant; else (or without one) one turn. */
  private async settleNow(): Promise<void> {
    const settle = this.options.settle;
    if (settle && !this.dueBy(this.current)) await settle();
    else await turn();
  }

  private dueBy(limit: number): boolean {
    return this.pending.some((p) => !p.cancelled && p.atMs <= limit);
  }

  private nextDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) {
      if (p.cancelled || p.atMs > limit) continue;
      if (!best || p.atMs < best.atMs || (p.atMs === best.atMs && p.seq < best.seq)) best = p;
    }
    // Forget fired and cancelled timers so long runs stay cheap.
    if (this.pending.length > 256) {
      const live = this.pending.filter((p) => !p.cancelled);
      this.pending.length = 0;
      this.pending.push(...live);
    }
    return best;
  }
}

/** Lets queued promise callbacks and I/O callbacks run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

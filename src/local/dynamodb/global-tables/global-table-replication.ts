/**
 * DynamoDB global tables between a local cloud's regions (multi-Region eventual consistency): each
 * region's own writes to a global table wait in its outbox (committed with the write), and after
 * the lag on the clock are applied in every other region, last writer wins, in one transaction
 * with that region's checkpoint. A region that is closed (a dev reload) or a paused replication
 * (`sluice fail replication`) keeps its writes queued; they are delivered when it is back, as AWS
 * "keeps track of any writes that have been performed but have not yet been propagated".
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */
import { LIMITS } from "../../../model/limits.ts";
import type { Timer } from "../../clock/index.ts";
import type { ReplicaPort } from "./replica-port.ts";
import type {
  GlobalTableReplicationOptions,
  ReplicationEvent,
  ReplicationStatus,
} from "./replication-types.ts";

/** Outbox rows applied per transaction. */
const BATCH = 500;
/**
 * Transactions per direction in one timer pass: a backlog (after a pause) is applied in slices,
 * so dev's event loop keeps answering requests in between; `settled()` applies all of it.
 */
const BATCHES_PER_PASS = 10;
/**
 * How often a pass looks again while writes wait that it cannot deliver (a region closed, a
 * table missing, a pass failed). Nothing waiting, no timer is armed: a write wakes the replication.
 */
const RETRY_MS = 5000;
/** Waiting longer than this many lags is reported once as lagging. */
const LAGGING_AFTER_LAGS = 10;

interface OpenRegion {
  readonly region: string;
  readonly port: ReplicaPort;
}

export class GlobalTableReplication {
  private readonly lagMs: number;
  private timer: { readonly at: number; readonly handle: Timer } | undefined;
  private started = false;
  private closed = false;
  private isPaused = false;
  private readonly subscriptions = new Map<ReplicaPort, () => void>();
  private readonly lagging = new Set<string>();

  constructor(private readonly options: GlobalTableReplicationOptions) {
    this.lagMs = options.lagMs ?? Number(LIMITS.dynamodb.globalTableReplicationLatency.default);
    if (!Number.isFinite(this.lagMs) || this.lagMs < 0)
      throw new RangeError(`lagMs must be a number of milliseconds ≥ 0; got ${this.lagMs}`);
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.tick();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.handle.cancel();
    this.timer = undefined;
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
  }

  /** `sluice fail replication`: writes stay queued (durably, in each region's outbox) until resume. */
  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.emit({ type: "replication-paused" });
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    const waiting = this.status().reduce((sum, s) => sum + s.waiting, 0);
    this.emit({ type: "replication-resumed", waiting });
    if (this.started) this.tick();
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Per source→target region: writes waiting, the oldest's age, the last replicated time. */
  status(): readonly ReplicationStatus[] {
    const now = this.options.clock.now();
    const open = this.openRegions();
    const tables = this.options.tables();
    const out: ReplicationStatus[] = [];
    for (const source of open) {
      for (const target of open) {
        if (target === source) continue;
        let waiting = 0;
        let oldest: number | undefined;
        let last: number | undefined;
        try {
          for (const table of tables) {
            const checkpoint = target.port.checkpoint(source.region, table);
            const queue = source.port.waiting(table, checkpoint.seq);
            waiting += queue.count;
            oldest = earliest(oldest, queue.oldestWrittenAt);
            if (checkpoint.appliedAt !== undefined) last = Math.max(last ?? 0, checkpoint.appliedAt);
          }
        } catch {
          continue; // a region whose file is closing: as if closed
        }
        out.push({
          from: source.region,
          to: target.region,
          waiting,
          ...(oldest === undefined ? {} : { oldestAgeMs: now - oldest }),
          ...(last === undefined ? {} : { lastReplicatedAt: last }),
        });
      }
    }
    return out;
  }

  /** Resolves when every due replica write has been applied (tests: after clock.advance). */
  settled(): Promise<void> {
    if (this.started && !this.closed) this.tick(Number.POSITIVE_INFINITY);
    return Promise.resolve();
  }

  /**
   * One pass: mark replicas, deliver what is due, prune, forget old versions, report lag, and
   * arm the next pass — only while writes wait: at the oldest one's due time, at the time it
   * becomes lagging (paused), or in RETRY_MS when it cannot be delivered now.
   */
  private tick(maxBatches = BATCHES_PER_PASS): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    const tables = [...new Set(this.options.tables())];
    const open = this.openRegions(tables);
    const allOpen = open.length === this.options.regions.length;
    // A closed region's outbox is unseen, and so is its reopening (until its first write).
    let wake = allOpen ? undefined : now + RETRY_MS;
    let failed = false;
    let more = false;
    // Per target and table, the oldest write still waiting for it from any source (pair() reads it).
    const oldestFor = new Map<OpenRegion, Map<string, number>>();
    for (const source of open) {
      for (const target of open) {
        if (target === source) continue;
        try {
          const pass = this.pair(source, target, tables, now, maxBatches);
          if (pass.more) more = true;
          const oldest = oldestFor.get(target) ?? new Map<string, number>();
          oldestFor.set(target, oldest);
          for (const [table, writtenAt] of pass.oldestByTable) {
            oldest.set(table, Math.min(oldest.get(table) ?? writtenAt, writtenAt));
          }
          wake = earliest(wake, pass.wake);
        } catch (error) {
          // Runs in a timer: a failure is reported and retried by a later pass, never thrown.
          failed = true;
          wake = earliest(wake, now + RETRY_MS);
          const message = error instanceof Error ? error.message : String(error);
          this.emit({ type: "replication-error", from: source.region, to: target.region, message });
        }
      }
      try {
        this.prune(source, open, tables);
      } catch {
        // Pruning is retried by the next pass.
      }
    }
    if (allOpen && !failed) {
      for (const target of open) {
        try {
          this.forgetVersions(target, tables, oldestFor.get(target), now);
        } catch {
          // Forgetting is retried by a later pass.
        }
      }
    }
    // A backlog continues at once (after the event loop's turn).
    if (more) this.arm(now);
    else if (wake !== undefined) this.arm(wake);
  }

  /**
   * Drops the target's item versions (tombstones included) that no write still to arrive can
   * be older than: every waiting write was committed at or after the oldest one's time, and
   * carries a version no earlier than that (write-version.ts), as does every later write. Needs
   * every region open: a closed one may hold older writes. AWS documents no retention for its
   * own per-item timestamps; this keeps only what last writer wins can still need.
   */
  private forgetVersions(
    target: OpenRegion,
    tables: readonly string[],
    oldestWaiting: ReadonlyMap<string, number> | undefined,
    now: number,
  ): void {
    for (const table of tables) {
      target.port.forgetVersions(table, Math.min(now, oldestWaiting?.get(table) ?? now));
    }
  }

  /** Delivers what is due from `source` to `target`, table by table, and reports the lag. */
  private pair(
    source: OpenRegion,
    target: OpenRegion,
    tables: readonly string[],
    now: number,
    maxBatches: number,
  ): {
    readonly more: boolean;
    readonly wake: number | undefined;
    /** Per table, the oldest write from `source` still waiting for `target` (none: absent). */
    readonly oldestByTable: ReadonlyMap<string, number>;
  } {
    const oldestByTable = new Map<string, number>();
    let more = false;
    let wake: number | undefined;
    let waiting = 0;
    let oldest: number | undefined;
    for (const table of tables) {
      if (!this.isPaused) {
        const count = this.deliver(source, target, table, now, maxBatches);
        if (count.applied > 0)
          this.emit({
            type: "replicated",
            table,
            from: source.region,
            to: target.region,
            count: count.applied,
          });
        if (count.more) more = true;
      }
      const queue = source.port.waiting(table, target.port.checkpoint(source.region, table).seq);
      waiting += queue.count;
      oldest = earliest(oldest, queue.oldestWrittenAt);
      if (queue.oldestWrittenAt !== undefined) oldestByTable.set(table, queue.oldestWrittenAt);
      if (queue.oldestWrittenAt !== undefined && !this.isPaused) {
        const due = queue.oldestWrittenAt + this.lagMs;
        // Due and still waiting: its table is missing in the target; look again later.
        wake = earliest(wake, due > now ? due : now + RETRY_MS);
      }
    }
    const reported = this.reportLag(source.region, target.region, waiting, oldest, now);
    // Not yet reported as lagging: wake when it would be (resume() wakes a paused replication).
    if (oldest !== undefined && !reported)
      wake = earliest(wake, oldest + this.lagMs * LAGGING_AFTER_LAGS + 1);
    return { more, wake, oldestByTable };
  }

  /** Applies the table's due writes from `source` in `target`; `more` when some remain past `maxBatches`. */
  private deliver(
    source: OpenRegion,
    target: OpenRegion,
    table: string,
    now: number,
    maxBatches: number,
  ): { readonly applied: number; readonly more: boolean } {
    let applied = 0;
    for (let batches = 0; batches < maxBatches; batches++) {
      const rows = source.port.outbox(table, target.port.checkpoint(source.region, table).seq, BATCH);
      let due = 0;
      while (due < rows.length && (rows[due]?.writtenAt ?? now) + this.lagMs <= now) due++;
      if (due === 0) return { applied, more: false };
      const result = target.port.apply(source.region, table, rows.slice(0, due));
      if ("missingTable" in result) return { applied, more: false };
      applied += result.applied;
      if (due < BATCH) return { applied, more: false };
    }
    return { applied, more: true };
  }

  /** Drops the source's outbox rows of each table that every other region has applied. */
  private prune(source: OpenRegion, open: readonly OpenRegion[], tables: readonly string[]): void {
    const targets: OpenRegion[] = [];
    for (const { region } of this.options.regions) {
      if (region === source.region) continue;
      const target = open.find((candidate) => candidate.region === region);
      if (target === undefined) return; // a closed region has not applied anything yet
      targets.push(target);
    }
    for (const table of tables) {
      let through = Number.MAX_SAFE_INTEGER;
      for (const target of targets)
        through = Math.min(through, target.port.checkpoint(source.region, table).seq);
      if (through > 0) source.port.prune(table, through);
    }
  }

  /** Reports a direction lagging (once) or caught up; returns whether it is reported lagging. */
  private reportLag(
    from: string,
    to: string,
    waiting: number,
    oldestWrittenAt: number | undefined,
    now: number,
  ): boolean {
    const key = `${from}\u0000${to}`;
    if (oldestWrittenAt !== undefined && now - oldestWrittenAt > this.lagMs * LAGGING_AFTER_LAGS) {
      if (this.lagging.has(key)) return true;
      this.lagging.add(key);
      this.emit({ type: "replication-lagging", from, to, waiting, oldestAgeMs: now - oldestWrittenAt });
    } else if (waiting === 0 && this.lagging.delete(key)) {
      this.emit({ type: "replication-caught-up", from, to });
    }
    return this.lagging.has(key);
  }

  /**
   * The regions whose cloud is open now, their replicas marked (and which one expires items by
   * TTL); follows each one's writes to wake in time.
   */
  private openRegions(tables?: readonly string[]): OpenRegion[] {
    const open: OpenRegion[] = [];
    const seen = new Set<ReplicaPort>();
    const regionNames = this.options.regions.map((r) => r.region);
    for (const { region, dynamodb } of this.options.regions) {
      const port = dynamodb()?.replication;
      if (port === undefined) continue;
      if (tables !== undefined) {
        try {
          port.markGlobal(tables, regionNames);
        } catch {
          continue; // its file closed under us: treated as closed until a later pass
        }
      }
      open.push({ region, port });
      seen.add(port);
      if (!this.subscriptions.has(port))
        this.subscriptions.set(
          port,
          port.onWrite(() => {
            if (!this.closed) this.arm(this.options.clock.now() + this.lagMs);
          }),
        );
    }
    for (const [port, unsubscribe] of this.subscriptions) {
      if (seen.has(port)) continue;
      unsubscribe();
      this.subscriptions.delete(port);
    }
    return open;
  }

  private arm(at: number): void {
    if (this.closed || !this.started) return;
    if (this.timer !== undefined && this.timer.at <= at) return;
    this.timer?.handle.cancel();
    const handle = this.options.clock.at(at, () => {
      if (this.timer?.handle === handle) this.timer = undefined;
      this.tick();
    });
    this.timer = { at, handle };
  }

  private emit(event: ReplicationEvent): void {
    this.options.onEvent?.(event);
  }
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

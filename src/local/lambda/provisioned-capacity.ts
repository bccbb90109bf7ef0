/**
 * One function's provisioned concurrency: environments initialised ahead of time (with
 * AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency), kept warm without idle reclaiming, and
 * handed to invocations before any on-demand environment. The capacity is fixed, or set by
 * scheduled scaling actions as Application Auto Scaling runs them, on the clock.
 */

import { parseSchedule } from "../../model/schedule/expression.ts";
import { nextFireTimes } from "../../model/schedule/next.ts";
import type { ProvisionedConcurrencySpec } from "../../model/schedule/spec.ts";
import type { Clock, Timer } from "../clock/index.ts";
import type { Environment } from "./environment.ts";

/** Starts one provisioned environment and resolves it once initialised (undefined when init failed). */
export type Provision = () => Promise<Environment | undefined>;

/** How far back the start-up capacity looks for the last scaling action that fired. */
const LOOKBACK_MS = 8 * 86_400_000;

export class ProvisionedCapacity {
  /** The capacity asked for now. */
  capacity = 0;
  private readonly ready: Environment[] = [];
  private readonly owned = new Set<Environment>();
  private starting = 0;
  private pending: Promise<unknown>[] = [];
  private timer: Timer | undefined;
  private closed = false;

  constructor(
    private readonly spec: ProvisionedConcurrencySpec,
    private readonly clock: Clock,
    private readonly provision: Provision,
  ) {}

  /** Applies the current capacity and follows the schedule from here on. */
  start(): void {
    if (this.spec.kind === "fixed") {
      this.scale(this.spec.capacity);
      return;
    }
    this.scale(this.capacityAt(this.clock.now()));
    this.armNext();
  }

  /** Provisioned environments initialised and free. */
  get available(): number {
    return this.ready.length;
  }

  /** Provisioned environments in all: free, busy or initialising. */
  get total(): number {
    return this.owned.size + this.starting;
  }

  /** A free provisioned environment, or undefined (the invocation goes on demand). */
  take(): Environment | undefined {
    return this.ready.pop();
  }

  /** Takes back a provisioned environment after its invocation; false when it is not one. */
  give(env: Environment): boolean {
    if (!this.owned.has(env)) return false;
    if (env.state === "ended") return true;
    if (this.owned.size + this.starting > this.capacity) {
      this.owned.delete(env);
      void env.terminate();
      return true;
    }
    env.state = "idle";
    this.ready.push(env);
    return true;
  }

  /** An environment ended (crash, timeout, reload): forget it and top up to the capacity. */
  forget(env: Environment): void {
    if (!this.owned.delete(env)) return;
    const index = this.ready.indexOf(env);
    if (index >= 0) this.ready.splice(index, 1);
    this.topUp();
  }

  /** New code: every free provisioned environment is replaced by one on the new code. */
  refresh(): void {
    for (const env of [...this.ready]) void env.terminate();
  }

  /** Resolves when the environments being initialised now are ready. */
  async settled(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await Promise.all(batch);
    }
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
  }

  private scale(capacity: number): void {
    this.capacity = capacity;
    while (this.total > capacity && this.ready.length > 0) {
      const env = this.ready.pop() as Environment;
      this.owned.delete(env);
      void env.terminate();
    }
    this.topUp();
  }

  private topUp(): void {
    while (!this.closed && this.total < this.capacity) {
      this.starting += 1;
      this.pending.push(
        this.provision().then((env) => {
          this.starting -= 1;
          if (env === undefined) return;
          if (this.closed || this.total >= this.capacity) {
            void env.terminate();
            return;
          }
          this.owned.add(env);
          env.state = "idle";
          this.ready.push(env);
        }),
      );
    }
  }

  /** The capacity the last scaling action at or before `atMs` set (0 before any). */
  private capacityAt(atMs: number): number {
    if (this.spec.kind === "fixed") return this.spec.capacity;
    let latest = -Infinity;
    let capacity = 0;
    for (const action of this.spec.actions) {
      const times = nextFireTimes(
        parseSchedule(action.expression),
        atMs - LOOKBACK_MS,
        20_000,
        action.timezone,
      );
      const last = times.filter((t) => t <= atMs).at(-1);
      if (last !== undefined && last >= latest) [latest, capacity] = [last, action.capacity];
    }
    return capacity;
  }

  private armNext(): void {
    if (this.spec.kind === "fixed" || this.closed) return;
    const now = this.clock.now();
    const next = Math.min(
      ...this.spec.actions.map(
        (a) => nextFireTimes(parseSchedule(a.expression), now, 1, a.timezone)[0] ?? Number.POSITIVE_INFINITY,
      ),
    );
    if (!Number.isFinite(next)) return;
    this.timer = this.clock.at(next, () => {
      this.scale(this.capacityAt(this.clock.now()));
      this.armNext();
    });
  }
}

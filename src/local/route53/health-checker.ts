/**
 * The local checker of one health check: pings its URL every RequestInterval on the Sluice clock
 * (so `sluice time advance` and tests' manual clocks move it), without jitter, and counts the
 * results in the order the pings were sent, whatever order their answers arrive in.
 * The first ping goes one interval after the checker starts; until then the check is healthy, as
 * a new Route 53 check is until there is enough data.
 */
import type { Clock, Timer } from "../clock/index.ts";
import { type Ping, type PingTimeouts, ping } from "./health-ping.ts";
import { HealthStatus } from "./health-status.ts";
import type { HealthCheckConfig, HealthCheckStatus } from "./route53-config.ts";
import { endpointOf } from "./route53-config.ts";

export class HealthChecker {
  readonly status: HealthStatus;
  private timer: Timer | undefined;
  private stopped = false;
  /** Pings sent and not yet counted, in the order they were sent. */
  private readonly inFlight = new Set<Ping>();
  /** Counting happens along this chain, so results apply in sending order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly config: HealthCheckConfig,
    private readonly clock: Clock,
    private readonly timeouts: PingTimeouts | undefined,
    /** Called after each counted result; `changed` when it flipped the status. */
    private readonly onCounted: (checker: HealthChecker, changed: boolean) => void,
  ) {
    this.status = new HealthStatus(config.failureThreshold);
  }

  /** Same check, same settings: a reload keeps its checker and status. */
  sameAs(config: HealthCheckConfig): boolean {
    const c = this.config;
    return (
      c.url === config.url &&
      c.intervalSeconds === config.intervalSeconds &&
      c.failureThreshold === config.failureThreshold &&
      c.region === config.region
    );
  }

  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.schedule(this.clock.now() + this.config.intervalSeconds * 1000);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const p of this.inFlight) p.abort();
  }

  /** Resolves once every ping sent so far has been counted. */
  settled(): Promise<void> {
    return this.chain;
  }

  get pending(): boolean {
    return this.inFlight.size > 0;
  }

  snapshot(): HealthCheckStatus {
    return {
      id: this.config.id,
      region: this.config.region,
      endpoint: endpointOf(this.config.url),
      intervalSeconds: this.config.intervalSeconds,
      failureThreshold: this.config.failureThreshold,
      healthy: this.status.healthy,
      consecutive: this.status.consecutive,
      lastResults: this.status.lastResults,
    };
  }

  private schedule(atMs: number): void {
    this.timer = this.clock.at(atMs, () => {
      if (this.stopped) return;
      this.schedule(this.nextAfter(atMs));
      this.send(atMs);
    });
  }

  /**
   * The next ping is due one interval after this one was, not after this one answers. When the
   * clock jumped far ahead (`sluice time advance` on the system clock) only the last
   * FailureThreshold missed pings are sent: enough to change the status as the jump implies,
   * without a burst of thousands of requests.
   */
  private nextAfter(atMs: number): number {
    const intervalMs = this.config.intervalSeconds * 1000;
    const next = atMs + intervalMs;
    const overdue = Math.floor((this.clock.now() - next) / intervalMs) + 1;
    const skipped = Math.max(0, overdue - this.config.failureThreshold);
    return next + skipped * intervalMs;
  }

  /** Sends the ping due at `atMs` (its time in reports, whenever the timer actually ran). */
  private send(atMs: number): void {
    const sent = ping(this.config.url, this.timeouts);
    this.inFlight.add(sent);
    this.chain = this.chain
      .then(() => sent.outcome)
      .then((outcome) => {
        this.inFlight.delete(sent);
        if (this.stopped) return;
        const changed = this.status.record({ atMs, ...outcome });
        this.onCounted(this, changed);
      });
  }
}

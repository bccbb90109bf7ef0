/**
 * How one health checker turns ping results into a status
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
 * a new check is healthy until there is enough data to say otherwise; it turns unhealthy after
 * FailureThreshold failures in a row and healthy again after FailureThreshold successes in a row.
 * AWS runs many checkers and calls the check healthy while more than 18% of them say so; locally
 * one checker reports, so its status is the check's (docs/fidelity.md).
 */
import type { PingResult } from "./route53-config.ts";

/** How many results `sluice health` shows per check. */
const KEPT_RESULTS = 10;

export class HealthStatus {
  private healthyNow = true;
  private streak = 0;
  private lastOk: boolean | undefined;
  private readonly results: PingResult[] = [];

  constructor(private readonly failureThreshold: number) {}

  get healthy(): boolean {
    return this.healthyNow;
  }

  /** Results in a row that agree with the last one. */
  get consecutive(): number {
    return this.streak;
  }

  get lastResults(): readonly PingResult[] {
    return [...this.results];
  }

  /** Counts one result; true when it changed the status. */
  record(result: PingResult): boolean {
    this.results.push(result);
    if (this.results.length > KEPT_RESULTS) this.results.shift();
    this.streak = result.ok === this.lastOk ? this.streak + 1 : 1;
    this.lastOk = result.ok;
    if (result.ok === this.healthyNow || this.streak < this.failureThreshold) return false;
    this.healthyNow = result.ok;
    return true;
  }
}

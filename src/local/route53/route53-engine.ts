/**
 * The local Route 53: one checker per health check on the Sluice clock, and the answer DNS gives
 * for each record name now, by routing policy and health. Data-driven: `sluice dev` feeds it the
 * definition's domain, `sluice cloud` its deployed health checks and record sets. The DNS server
 * and the front door both ask `resolve`, so they never disagree.
 */
import { canonicalDnsName } from "../../model/dns-name.ts";
import type { Clock } from "../clock/index.ts";
import { HealthChecker } from "./health-checker.ts";
import type { PingTimeouts } from "./health-ping.ts";
import { chooseRecord } from "./record-choice.ts";
import type { HealthCheckConfig, HealthCheckStatus, RecordConfig, Route53Event } from "./route53-config.ts";

export interface Route53EngineOptions {
  readonly clock: Clock;
  /** Health status and DNS answer changes, for `dev`'s log. Never carries a ping's query. */
  readonly onEvent?: (event: Route53Event) => void;
  /**
   * Milliseconds from this machine to each region, for latency routing.
   * @default none: every region ties and the first record given wins
   * @example { "us-east-1": 20, "us-west-2": 80 }
   */
  readonly latencies?: Readonly<Record<string, number>>;
  /** Real-time bounds of each ping. @default Route 53's: 4 s to connect, 2 s to a status */
  readonly pingTimeouts?: PingTimeouts;
}

export class Route53Engine {
  private readonly checkers = new Map<string, HealthChecker>();
  private readonly groups = new Map<string, RecordConfig[]>();
  private readonly latencies = new Map<string, number>();
  private zones: readonly string[] = [];
  /** The last answer per name (its set identifier), so only changes are reported. */
  private readonly answers = new Map<string, string | undefined>();
  private started = false;

  constructor(private readonly options: Route53EngineOptions) {
    for (const [region, ms] of Object.entries(options.latencies ?? {})) this.latencies.set(region, ms);
  }

  setHealthChecks(checks: readonly HealthCheckConfig[]): void {
    const wanted = new Map(checks.map((c) => [c.id, c]));
    for (const [id, checker] of this.checkers) {
      const config = wanted.get(id);
      if (config === undefined || !checker.sameAs(config)) {
        checker.stop();
        this.checkers.delete(id);
      }
    }
    for (const config of checks) {
      if (this.checkers.has(config.id)) continue;
      const checker = new HealthChecker(config, this.options.clock, this.options.pingTimeouts, (c, changed) =>
        this.counted(c, changed),
      );
      this.checkers.set(config.id, checker);
      if (this.started) checker.start();
    }
    this.refreshAnswers();
  }

  /**
   * The records, and the hosted zones they belong to: DNS answers NXDOMAIN for other names inside
   * these zones and REFUSED for names outside them (dns-answer.ts).
   */
  setRecords(records: readonly RecordConfig[], hostedZones: readonly string[] = []): void {
    this.zones = [...new Set(hostedZones.map(canonicalDnsName))];
    this.groups.clear();
    for (const record of records) {
      const name = canonicalDnsName(record.name);
      const group = this.groups.get(name) ?? [];
      group.push(record);
      this.groups.set(name, group);
    }
    this.refreshAnswers();
  }

  setLatency(region: string, ms: number): void {
    this.latencies.set(region, ms);
    this.refreshAnswers();
  }

  /** The record DNS answers for `name` now, or undefined when no record has that name (NXDOMAIN). */
  resolve(name: string): RecordConfig | undefined {
    const group = this.groups.get(canonicalDnsName(name));
    if (group === undefined) return undefined;
    return chooseRecord(group, {
      healthy: (id) => this.checkers.get(id)?.status.healthy ?? true,
      latencyOf: (region) => this.latencies.get(region),
    });
  }

  /** Every record, chosen now or not. */
  records(): readonly RecordConfig[] {
    return [...this.groups.values()].flat();
  }

  /** The hosted zones last given with the records. */
  hostedZones(): readonly string[] {
    return this.zones;
  }

  status(): readonly HealthCheckStatus[] {
    return [...this.checkers.values()].map((c) => c.snapshot());
  }

  start(): void {
    this.started = true;
    for (const checker of this.checkers.values()) checker.start();
  }

  async close(): Promise<void> {
    this.started = false;
    for (const checker of this.checkers.values()) checker.stop();
    await this.settled();
  }

  /** Resolves when pings that fell due have finished and been counted (tests: after clock.advance). */
  async settled(): Promise<void> {
    for (;;) {
      const checkers = [...this.checkers.values()];
      await Promise.all(checkers.map((c) => c.settled()));
      if (!checkers.some((c) => c.pending)) return;
    }
  }

  private counted(checker: HealthChecker, changed: boolean): void {
    if (!changed || this.checkers.get(checker.config.id) !== checker) return;
    const { id, region } = checker.config;
    this.emit({ type: "health-changed", checkId: id, region, healthy: checker.status.healthy });
    this.refreshAnswers();
  }

  private refreshAnswers(): void {
    const names = new Set([...this.groups.keys(), ...this.answers.keys()]);
    for (const name of names) {
      const record = this.resolve(name);
      const known = this.answers.has(name);
      const before = this.answers.get(name);
      if (record === undefined && !this.groups.has(name)) this.answers.delete(name);
      else this.answers.set(name, record?.setIdentifier);
      // A name seen for the first time is not a change; a name that stops resolving is.
      if (known && before !== record?.setIdentifier)
        this.emit({ type: "dns-changed", name, region: record?.region });
    }
  }

  private emit(event: Route53Event): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A log sink that throws must not stop the checkers.
    }
  }
}

/**
 * What runs between `sluice dev`'s regions: global tables' replication (local/dynamodb's
 * GlobalTableReplication over each region's DynamoDB) and, for an app with a `domain`, the local
 * Route 53 (local/route53/): one health check per region calling the region's HTTP API health
 * route as the deployed check will (same path, the session's checker id), the domain's records
 * from the definition, a DNS server and a front door on 127.0.0.1. Built from the primary's spec
 * and rebuilt from it after each reload.
 *
 * A one-region app with a fleet behind its domain (issue 19, `servers.<fleet>.role`) gets the
 * same, its failover pair being the Lambda API and the fleet dev runs in-process: the fleet's
 * record follows a check on its `/healthz` with its target group's interval and threshold (on AWS
 * its alias evaluates the load balancer's target health, model/fleet-health-check.ts).
 */
import type { ApiUrls } from "../local/api-servers.ts";
import type { Clock } from "../local/clock/index.ts";
import {
  type DynamoDbService,
  GlobalTableReplication,
  type ReplicationEvent,
} from "../local/dynamodb/index.ts";
import type { FrontDoorOptions } from "../local/front-door/index.ts";
import type { HealthCheckConfig, RecordConfig, Route53Engine, Route53Event } from "../local/route53/index.ts";
import type { AppSpec, DomainSpec, FunctionSpec } from "../model/app-spec.ts";
import { route53HealthFunction } from "../model/failover.ts";
import { FLEET_HEALTH_CHECK, FLEET_HEALTH_PATH } from "../model/fleet-health-check.ts";
import { fleetSetIdentifier, LAMBDA_SET_IDENTIFIER } from "../model/fleet-roles.ts";
import { LIMITS } from "../model/limits.ts";
import type { ServerRole } from "../model/servers.ts";
import { CHECKER_ID_PARAMETER } from "../model/validate/failover-rules.ts";

/** DynamoDB global tables replicate "usually within a second" (the limits table's default). */
export const DEFAULT_REPLICATION_LAG_MS = LIMITS.dynamodb.globalTableReplicationLatency.default;

export interface RegionFailoverOptions extends FrontDoorOptions {
  /** The regions dev runs, the primary first. */
  readonly regions: readonly string[];
  /** The primary's spec now (dev replaces it on reloads). */
  readonly spec: () => AppSpec;
  readonly dynamodb: (region: string) => DynamoDbService | undefined;
  readonly apiUrls: (region: string) => ApiUrls;
  /** The checker id the health checks send to `fn`. */
  readonly checkerId: (fn: FunctionSpec) => string;
  readonly clock: Clock;
  /** @default DEFAULT_REPLICATION_LAG_MS */
  readonly replicationLagMs?: number | undefined;
  /** @default 10 ms × the region's index + 10 */
  readonly latencies?: Readonly<Record<string, number>> | undefined;
  readonly host?: string | undefined;
  /** @default 0 */
  readonly dnsPort?: number | undefined;
  /** @default 0 */
  readonly frontDoorPort?: number | undefined;
  readonly onEvent?: ((event: ReplicationEvent | Route53Event) => void) | undefined;
  /**
   * One region: the fleet behind the domain beside the Lambda API, while it runs (failoverFleet's,
   * started by dev-fleets.ts).
   */
  readonly fleet?: (() => FailoverFleet | undefined) | undefined;
}

/** The running fleet that pairs with the Lambda API under the domain's failover records. */
export interface FailoverFleet {
  readonly name: string;
  readonly role: ServerRole;
  /** Where the fleet serves its routes and `/healthz`. */
  readonly url: string;
}

/** What the banner says of failover. */
export interface FailoverReady {
  readonly domain?: DomainSpec;
  readonly frontDoorUrl?: string;
  readonly dnsPort?: number;
  readonly healthChecks: readonly {
    readonly region: string;
    readonly path: string;
    readonly intervalSeconds: number;
    readonly failureThreshold: number;
  }[];
  readonly globalTables: readonly string[];
  readonly replicationLagMs: number;
}

export class RegionFailover {
  replication: GlobalTableReplication | undefined;
  route53: Route53Engine | undefined;
  private dns: { port: number; close(): Promise<void> } | undefined;
  private frontDoor: { url: string; close(): Promise<void> } | undefined;

  private constructor(private readonly options: RegionFailoverOptions) {}

  /** Starts what the primary's spec asks for (nothing for an app with neither). */
  static async start(options: RegionFailoverOptions): Promise<RegionFailover> {
    const failover = new RegionFailover(options);
    try {
      await failover.sync();
    } catch (error) {
      await failover.close();
      throw error;
    }
    return failover;
  }

  get frontDoorUrl(): string | undefined {
    return this.frontDoor?.url;
  }

  get dnsPort(): number | undefined {
    return this.dns?.port;
  }

  get lagMs(): number {
    return this.options.replicationLagMs ?? DEFAULT_REPLICATION_LAG_MS;
  }

  /** Starts what the spec gained and feeds Route 53 the spec's checks and records (after reloads). */
  async sync(): Promise<void> {
    const spec = this.options.spec();
    if (this.replication === undefined && globalTables(spec).length > 0) {
      this.replication = new GlobalTableReplication({
        regions: this.options.regions.map((region) => ({
          region,
          dynamodb: () => this.options.dynamodb(region),
        })),
        tables: () => globalTables(this.options.spec()),
        clock: this.options.clock,
        lagMs: this.lagMs,
        ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      });
      this.replication.start();
    }
    const domain = spec.domain;
    if (domain === undefined) {
      this.route53?.setRecords([]);
      this.route53?.setHealthChecks([]);
      return;
    }
    // The local Route 53 (and its DNS library) loads with the first domain, not at every dev start.
    const { Route53Engine, startDnsServer, startFailoverProxy } = await import("../local/route53/index.ts");
    if (this.route53 === undefined) {
      this.route53 = new Route53Engine({
        clock: this.options.clock,
        latencies: this.latencies(),
        ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      });
      this.route53.start();
    }
    const checks = this.healthChecks(spec);
    this.route53.setHealthChecks(checks);
    this.route53.setRecords(this.records(domain, checks), [domain.hostedZone]);
    const host = this.options.host ? { host: this.options.host } : {};
    this.dns ??= await startDnsServer({ engine: this.route53, ...host, port: this.options.dnsPort ?? 0 });
    this.frontDoor ??= await startFailoverProxy({
      engine: this.route53,
      name: domain.name,
      ...host,
      port: this.options.frontDoorPort ?? 0,
      ...(this.options.allowedHosts ? { allowedHosts: this.options.allowedHosts } : {}),
      ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
    });
  }

  /**
   * Pings each region's health route once, outside any checker's count, so that every region's
   * health function has a warm environment before Route 53's first ping. Dev's functions start
   * cold (the init check at start shuts its environment down), and a cold start on a busy machine
   * can outlast the 2 s Route 53 waits for a status, where Lambda's takes a fraction of that.
   */
  async warm(timeoutMs: number): Promise<void> {
    const spec = this.options.spec();
    if (spec.domain === undefined) return;
    await Promise.allSettled(
      this.healthChecks(spec).map(async (check) => {
        const response = await fetch(check.url, { signal: AbortSignal.timeout(timeoutMs) });
        await response.arrayBuffer();
      }),
    );
  }

  ready(): FailoverReady {
    const spec = this.options.spec();
    const fn = route53HealthFunction(spec);
    const check = fn?.health?.route53;
    const regions =
      fn?.health === undefined || check === undefined || spec.domain === undefined
        ? []
        : this.options.regions.map((region) => ({
            region,
            path: fn.health?.path ?? "/",
            intervalSeconds: check.intervalSeconds,
            failureThreshold: check.failureThreshold,
          }));
    const fleets = spec.domain === undefined ? [] : this.fleetChecks();
    return {
      ...(spec.domain ? { domain: spec.domain } : {}),
      ...(this.frontDoorUrl === undefined ? {} : { frontDoorUrl: this.frontDoorUrl }),
      ...(this.dnsPort === undefined ? {} : { dnsPort: this.dnsPort }),
      healthChecks: [
        ...regions,
        ...fleets.map((c) => ({
          region: c.region,
          path: FLEET_HEALTH_PATH,
          intervalSeconds: c.intervalSeconds,
          failureThreshold: c.failureThreshold,
        })),
      ],
      globalTables: globalTables(spec),
      replicationLagMs: this.lagMs,
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.frontDoor?.close(), this.dns?.close()]);
    await Promise.allSettled([this.route53?.close(), this.replication?.close()]);
  }

  /** 10, 20, 30 ms… in the regions' order, overridden per region by `latencies`. */
  private latencies(): Record<string, number> {
    const latencies: Record<string, number> = {};
    this.options.regions.forEach((region, index) => {
      latencies[region] = this.options.latencies?.[region] ?? 10 * index + 10;
    });
    return latencies;
  }

  /**
   * One check per region on the health route of the function with `health.route53`, calling the
   * region's HTTP API with the checker id in the query, as the deployed check's ResourcePath does.
   */
  private healthChecks(spec: AppSpec): HealthCheckConfig[] {
    return [...this.regionChecks(spec), ...this.fleetChecks()];
  }

  private regionChecks(spec: AppSpec): HealthCheckConfig[] {
    const fn = route53HealthFunction(spec);
    const health = fn?.health;
    const route53 = health?.route53;
    if (fn === undefined || health === undefined || route53 === undefined) return [];
    const query = `${CHECKER_ID_PARAMETER}=${encodeURIComponent(this.options.checkerId(fn))}`;
    return this.options.regions.flatMap((region) => {
      const base = this.options.apiUrls(region).http;
      if (base === undefined) return [];
      return [
        {
          id: healthCheckId(region),
          url: `${base.replace(/\/+$/, "")}${health.path}?${query}`,
          intervalSeconds: route53.intervalSeconds,
          failureThreshold: route53.failureThreshold,
          region,
        },
      ];
    });
  }

  /**
   * The paired fleet's check on `/healthz`, with its target group's interval and unhealthy
   * threshold: what the fleet's alias record (EvaluateTargetHealth) reflects on AWS. Route 53's
   * checks count one threshold both ways; the group's healthy threshold is the same number.
   */
  private fleetChecks(): HealthCheckConfig[] {
    const fleet = this.pairedFleet();
    if (fleet === undefined) return [];
    return [
      {
        id: fleetCheckId(fleet.name),
        url: `${fleet.url.replace(/\/+$/, "")}${FLEET_HEALTH_PATH}`,
        intervalSeconds: FLEET_HEALTH_CHECK.intervalSeconds,
        failureThreshold: FLEET_HEALTH_CHECK.unhealthyThresholdCount,
        region: fleetLabel(fleet.name),
      },
    ];
  }

  /** The fleet paired with the Lambda API: one region only (regions pair with each other). */
  private pairedFleet(): FailoverFleet | undefined {
    return this.options.regions.length === 1 ? this.options.fleet?.() : undefined;
  }

  /**
   * The domain's records: failover, the primary's record PRIMARY and the secondary's SECONDARY;
   * latency, one per region. Each points at the region's HTTP API, and at a regional host name
   * under `.localhost` (a name only this machine resolves, RFC 6761) where AWS's would be the
   * API's regional domain name.
   */
  private records(domain: DomainSpec, checks: readonly HealthCheckConfig[]): RecordConfig[] {
    const checked = new Set(checks.map((c) => c.id));
    const fleet = this.pairedFleet();
    if (fleet !== undefined) return this.fleetRecords(domain, checked, fleet);
    const regions = domain.routing === "failover" ? this.options.regions.slice(0, 2) : this.options.regions;
    return regions.flatMap((region, index) => {
      const url = this.options.apiUrls(region).http;
      if (url === undefined) return [];
      const id = healthCheckId(region);
      return [
        {
          name: domain.name,
          setIdentifier: region,
          region,
          ...(domain.routing === "failover"
            ? { failover: index === 0 ? ("PRIMARY" as const) : ("SECONDARY" as const) }
            : { latencyRegion: region }),
          ...(checked.has(id) ? { healthCheckId: id } : {}),
          target: { host: `${region}.${domain.name}.localhost`, url },
        },
      ];
    });
  }

  /**
   * The failover pair of a one-region app with a fleet: the Lambda API (`lambda`) and the fleet
   * (`fleet-<name>`), PRIMARY and SECONDARY by the fleet's role, as synth writes them
   * (aws/resources/fleet-failover.ts). The fleet's record reports as "fleet <name>" where a
   * region's reports its region (`sluice health`, the front door's x-sluice-region).
   */
  private fleetRecords(
    domain: DomainSpec,
    checked: ReadonlySet<string>,
    fleet: FailoverFleet,
  ): RecordConfig[] {
    const region = this.options.regions[0] as string;
    const fleetFirst = fleet.role === "primary";
    const records: RecordConfig[] = [];
    const url = this.options.apiUrls(region).http;
    if (url !== undefined) {
      records.push({
        name: domain.name,
        setIdentifier: LAMBDA_SET_IDENTIFIER,
        region,
        failover: fleetFirst ? "SECONDARY" : "PRIMARY",
        ...(checked.has(healthCheckId(region)) ? { healthCheckId: healthCheckId(region) } : {}),
        target: { host: `${region}.${domain.name}.localhost`, url },
      });
    }
    records.push({
      name: domain.name,
      setIdentifier: fleetSetIdentifier(fleet.name),
      region: fleetLabel(fleet.name),
      failover: fleetFirst ? "PRIMARY" : "SECONDARY",
      ...(checked.has(fleetCheckId(fleet.name)) ? { healthCheckId: fleetCheckId(fleet.name) } : {}),
      target: { host: `${fleetSetIdentifier(fleet.name)}.${domain.name}.localhost`, url: fleet.url },
    });
    return records;
  }
}

function healthCheckId(region: string): string {
  return `dev-${region}`;
}

function fleetCheckId(fleet: string): string {
  return `dev-fleet-${fleet}`;
}

/** How reports name a fleet where they name a region. */
function fleetLabel(fleet: string): string {
  return `fleet ${fleet}`;
}

/** Physical names of the spec's global tables. */
function globalTables(spec: AppSpec): string[] {
  return Object.values(spec.tables ?? {})
    .filter((t) => t.global === true)
    .map((t) => t.tableName);
}

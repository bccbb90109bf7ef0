/**
 * What `sluice cloud` adds across regions, on top of the regions' clouds: replication of the
 * account's DynamoDB global tables between the regions that hold replicas (one replication per
 * set of replica regions), and Route 53 — the health checkers of the deployed health checks, the
 * answers of the deployed record sets, and a real DNS server on 127.0.0.1 that gives them. The
 * host calls `sync` whenever a stack operation settles.
 */
import type { Clock } from "../clock/index.ts";
import { type DynamoDbService, GlobalTableReplication, type ReplicationEvent } from "../dynamodb/index.ts";
import { type DnsServer, Route53Engine, type Route53Event, startDnsServer } from "../route53/index.ts";
import type { DeployedResource } from "./deployed-resources.ts";
import type { Route53Account } from "./route53-api.ts";
import type { GlobalTableDeployment } from "./translate-global-tables.ts";
import { type ApiLocation, translateRoute53 } from "./translate-route53.ts";

export interface AccountFailoverOptions {
  readonly clock: Clock;
  /** Address the DNS server binds. @default "127.0.0.1" */
  readonly host?: string;
  /** The DNS server's port (UDP and TCP). @default a free one */
  readonly dnsPort?: number;
  /** Delay between a write and its replica write, on the clock. @default the replication's (1000 ms) */
  readonly replicationLagMs?: number;
  readonly onRoute53?: (event: Route53Event) => void;
  readonly onReplication?: (event: ReplicationEvent) => void;
}

export interface FailoverInputs {
  /** Every region's deployed resources, with the region of their stack. */
  readonly resources: readonly { readonly region: string; readonly resource: DeployedResource }[];
  readonly apis: readonly ApiLocation[];
  readonly globals: readonly GlobalTableDeployment[];
  /** A region's DynamoDB engine now (read on every replication pass: clouds are rebuilt). */
  readonly dynamodb: (region: string) => DynamoDbService | undefined;
}

export class AccountFailover {
  readonly route53: Route53Engine;
  private dns: DnsServer | undefined;
  private readonly replications = new Map<
    string,
    { replication: GlobalTableReplication; tables: string[] }
  >();
  private checkIds = new Set<string>();
  private zones: string[] = [];
  /** What the last sync could not use, and why. */
  notes: readonly string[] = [];

  constructor(private readonly options: AccountFailoverOptions) {
    this.route53 = new Route53Engine({
      clock: options.clock,
      ...(options.onRoute53 ? { onEvent: options.onRoute53 } : {}),
    });
  }

  /**
   * Starts the health checkers and the DNS server: on `dnsPort` if given, else on `remembered`
   * (last time's) when it is still free, else on a free port.
   */
  async start(remembered?: number): Promise<void> {
    this.route53.start();
    const listen = (port: number | undefined) =>
      startDnsServer({
        engine: this.route53,
        host: this.options.host ?? "127.0.0.1",
        ...(port === undefined ? {} : { port }),
      });
    if (this.options.dnsPort !== undefined) this.dns = await listen(this.options.dnsPort);
    else this.dns = await listen(remembered).catch(() => listen(undefined));
  }

  /** The DNS server's port, once started. */
  get dnsPort(): number | undefined {
    return this.dns?.port;
  }

  sync(inputs: FailoverInputs): void {
    const route53 = translateRoute53(inputs.resources, inputs.apis);
    // A hosted zone outlives its record sets (a stack does not create it; the local account holds
    // every zone it is asked about): once a record set named it, DNS keeps serving it.
    this.zones = [...new Set([...this.zones, ...route53.zones])];
    this.route53.setHealthChecks(route53.checks);
    this.route53.setRecords(route53.records, this.zones);
    this.checkIds = new Set(
      inputs.resources
        .filter((r) => r.resource.resourceType === "AWS::Route53::HealthCheck")
        .map((r) => r.resource.physicalId),
    );
    this.notes = route53.notes;
    this.syncReplication(inputs);
  }

  /** Replication's state per direction, for every set of replica regions. */
  replicationStatus() {
    return [...this.replications.values()].flatMap((r) => r.replication.status());
  }

  /** Resolves when due replica writes and due pings are done (tests: after a clock advance). */
  async settled(): Promise<void> {
    await Promise.all([...this.replications.values()].map((r) => r.replication.settled()));
    await this.route53.settled();
  }

  /** The Route 53 API's view of the account. */
  get account(): Route53Account {
    return {
      hasHealthCheck: (id) => this.checkIds.has(id),
      healthCheckStatus: (id) => this.route53.status().find((s) => s.id === id),
      zones: () => this.zones,
    };
  }

  async close(): Promise<void> {
    for (const { replication } of this.replications.values()) await replication.close();
    this.replications.clear();
    await this.route53.close();
    await this.dns?.close();
  }

  /**
   * One replication per set of replica regions (the global table's own region first: it expires
   * items by TTL, the others get its deletes), holding the tables of that set; a set no table
   * has any more is closed.
   */
  private syncReplication(inputs: FailoverInputs): void {
    const wanted = new Map<string, { regions: readonly string[]; tables: string[] }>();
    for (const global of inputs.globals) {
      if (global.regions.length < 2) continue;
      const key = global.regions.join(",");
      const entry = wanted.get(key) ?? { regions: global.regions, tables: [] };
      entry.tables.push(global.name);
      wanted.set(key, entry);
    }
    for (const [key, running] of this.replications) {
      if (wanted.has(key)) continue;
      void running.replication.close();
      this.replications.delete(key);
    }
    for (const [key, { regions, tables }] of wanted) {
      const running = this.replications.get(key);
      if (running) {
        running.tables.splice(0, running.tables.length, ...tables);
        // The regions' clouds were just reopened: a pass now follows their new engines' writes
        // rather than at the next idle poll.
        void running.replication.settled();
        continue;
      }
      const names = [...tables];
      const replication = new GlobalTableReplication({
        regions: regions.map((region) => ({ region, dynamodb: () => inputs.dynamodb(region) })),
        // Read on every pass: a later sync changes the names in place.
        tables: () => names,
        clock: this.options.clock,
        ...(this.options.replicationLagMs === undefined ? {} : { lagMs: this.options.replicationLagMs }),
        ...(this.options.onReplication ? { onEvent: this.options.onReplication } : {}),
      });
      replication.start();
      this.replications.set(key, { replication, tables: names });
    }
  }
}

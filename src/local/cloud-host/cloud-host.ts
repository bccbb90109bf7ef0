/**
 * `sluice cloud`: one process is one local AWS account. One endpoint serves every region (the
 * SigV4 scope says which); S3, CloudFormation and CloudWatch Logs are the account's, in one
 * SQLite file; each region that has stacks runs them in its own LocalCloud, rebuilt whenever a
 * stack operation settles. Deploying through CloudFormation is the only way resources appear.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AwsError } from "../../model/errors.ts";
import { isAwsRegion } from "../../model/regions.ts";
import { type Clock, durableClock, type Timer } from "../clock/index.ts";
import {
  CloudFormationService,
  createProviders,
  handleCloudFormationQuery,
} from "../cloudformation/index.ts";
import { writeControlFile } from "../control/index.ts";
import type { ReplicationEvent } from "../dynamodb/index.ts";
import { handleEc2Query } from "../ec2/index.ts";
import { handleElbv2Query } from "../elbv2/index.ts";
import {
  CredentialIssuer,
  createAwsHandler,
  type EndpointEvent,
  type EndpointServer,
  type IamMode,
  startEndpoint,
} from "../endpoint/index.ts";
import type { FrontDoorOptions } from "../front-door/index.ts";
import { holdingProcessOpen } from "../hold-open.ts";
import type { CloudEvent } from "../local-cloud.ts";
import { handleLogsJson, LogStore, lambdaLogSink } from "../logs/index.ts";
import { directOperations } from "../operations.ts";
import type { Route53Event } from "../route53/index.ts";
import {
  handleS3,
  type NotificationEvent,
  type NotificationTargets,
  S3Notifications,
  S3Store,
} from "../s3/index.ts";
import { type Db, openStore } from "../store/index.ts";
import { AccountFailover } from "./account-failover.ts";
import type { FleetLauncher } from "./fleet-launch.ts";
import { type FleetEvent, FleetProcesses } from "./fleet-processes.ts";
import { freePort } from "./free-port.ts";
import { HostStore } from "./host-store.ts";
import { unreachableDestinations } from "./notification-destinations.ts";
import { invalidRegion, RegionRuntime } from "./region-runtime.ts";
import { handleRoute53 } from "./route53-api.ts";
import { readTemplateUrl } from "./template-url.ts";
import { executionRolePolicy } from "./translate-functions.ts";
import { globalTables, replicaTables } from "./translate-global-tables.ts";
import { SERVER_METADATA_KEY, translateServers } from "./translate-servers.ts";

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** What a fleet's process signs with: not a function's, so no function's role is checked. */
const FLEET_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIDSLUICELOCALFLEET",
  AWS_SECRET_ACCESS_KEY: "sluice-local-fleet",
  AWS_SESSION_TOKEN: "",
};

export interface CloudHostOptions extends FrontDoorOptions {
  /** The account's state folder. @default ".sluice-cloud" in the current folder */
  readonly stateDir?: string;
  /** Address the endpoint and API servers bind. @default "127.0.0.1" */
  readonly host?: string;
  /** The endpoint's port. @default the port it had last time, else a free one */
  readonly port?: number;
  /** Check deployed functions' calls against their roles' inline policies. @default "warn" */
  readonly iam?: IamMode;
  /** @default "000000000000" */
  readonly accountId?: string;
  /** @default a SystemClock */
  readonly clock?: Clock;
  /** The Route 53 DNS server's port (UDP and TCP, on `host`). @default a free one */
  readonly dnsPort?: number;
  /** Delay between a write to a global table and its replica writes, on the clock. @default 1000 ms */
  readonly replicationLagMs?: number;
  /**
   * How to start `sluice serve` for each deployed server fleet (issue 19; the CLI gives its own
   * entry point). @default none: fleets' resources are accepted, their servers not run
   */
  readonly fleets?: FleetLauncher;
  readonly onEvent?: (event: CloudHostEvent) => void;
}

export type CloudHostEvent =
  | EndpointEvent
  | { readonly type: "cloud"; readonly region: string; readonly event: CloudEvent }
  | { readonly type: "s3-notification"; readonly event: NotificationEvent }
  /** A region's cloud was rebuilt from its stacks; `notes` say what it leaves out. */
  | { readonly type: "region-rebuilt"; readonly region: string; readonly notes: readonly string[] }
  /** Route 53's health checks changed status, or a record name's answer changed. */
  | { readonly type: "route53"; readonly event: Route53Event }
  /** Global tables' replication between regions: batches, lag, pause. */
  | { readonly type: "replication"; readonly event: ReplicationEvent }
  /** A server fleet's local `sluice serve` started, exited, logged or failed to start. */
  | { readonly type: "fleet"; readonly region: string; readonly event: FleetEvent }
  | { readonly type: "region-error"; readonly region: string; readonly error: unknown };

export const DEFAULT_STATE_DIR = ".sluice-cloud";
export const ACCOUNT_FILE = "account.sqlite";
const DEFAULT_ACCOUNT = "000000000000";
const DEFAULT_REGION = "us-east-1";

export class CloudHost {
  readonly cloudformation: CloudFormationService;
  readonly s3: S3Store;
  /** The account's S3 event notifications, delivered to the region each destination is in. */
  readonly s3Notifications: S3Notifications;
  readonly logs: LogStore;
  readonly accountId: string;
  readonly stateDir: string;
  /** Global tables' replication and Route 53 (health checks, records, the DNS server). */
  readonly failover: AccountFailover;
  /** Each deployed server fleet's local `sluice serve` process (fleet-processes.ts). */
  readonly fleets: FleetProcesses;
  /** The replica tables each region held at the last settle (replicaShapes): a change rebuilds it. */
  private replicas = new Map<string, string>();
  /** The settle work queued so far (see `settled`). */
  private settling: Promise<void> = Promise.resolve();
  private readonly db: Db;
  private readonly store: HostStore;
  private readonly clock: Clock;
  private readonly regions = new Map<string, RegionRuntime>();
  private readonly sinks = new Map<string, ReturnType<typeof lambdaLogSink>>();
  private readonly credentials = new CredentialIssuer();
  private server: EndpointServer | undefined;
  private sweeper: Timer | undefined;
  private endpointUrl = "";

  private constructor(private readonly options: CloudHostOptions) {
    this.stateDir = options.stateDir ?? join(process.cwd(), DEFAULT_STATE_DIR);
    mkdirSync(this.stateDir, { recursive: true });
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT;
    // The account's clock resumes where it stood: `time advance` survives a restart (clock-file.ts).
    this.clock = options.clock ?? durableClock(this.stateDir);
    this.db = openStore(join(this.stateDir, ACCOUNT_FILE));
    this.store = new HostStore(this.db);
    this.s3 = new S3Store(this.db, this.clock);
    // The outbox is in the account's file with the objects; the destinations in each region's.
    this.s3Notifications = new S3Notifications({
      db: this.db,
      clock: this.clock,
      bucket: (name) => this.s3.bucket(name),
      targets: this.notificationTargets(),
      onEvent: (event) => this.options.onEvent?.({ type: "s3-notification", event }),
    });
    this.s3.setChangeSink(this.s3Notifications.sink);
    this.logs = new LogStore(this.db, this.clock, { accountId: this.accountId });
    const host = options.host ?? "127.0.0.1";
    // Where the account's own servers are reached: a wildcard bind answers on loopback.
    const reachableHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    this.failover = new AccountFailover({
      clock: this.clock,
      host: reachableHost,
      ...(options.dnsPort === undefined ? {} : { dnsPort: options.dnsPort }),
      ...(options.replicationLagMs === undefined ? {} : { replicationLagMs: options.replicationLagMs }),
      onRoute53: (event) => this.options.onEvent?.({ type: "route53", event }),
      onReplication: (event) => this.options.onEvent?.({ type: "replication", event }),
    });
    this.fleets = new FleetProcesses({
      stateDir: this.stateDir,
      s3: this.s3,
      endpointUrl: () => this.endpointUrl,
      host: reachableHost,
      allocatePort: () => freePort(host),
      // Not issued to any function: the endpoint checks no role for them, as for the CLI's own
      // (docs/fidelity.md: a fleet's instance role is not enforced locally).
      environment: () => FLEET_CREDENTIALS,
      ...(options.fleets ? { launcher: options.fleets } : {}),
      onEvent: (event) => this.options.onEvent?.({ type: "fleet", region: event.region, event }),
    });
    this.cloudformation = new CloudFormationService({
      db: this.db,
      clock: this.clock,
      accountId: this.accountId,
      providers: createProviders({
        s3: this.s3,
        notificationDestinations: {
          unreachable: (region, bucketArn, destinations) =>
            unreachableDestinations(this.cloudformation.resources(region), bucketArn, destinations),
        },
        logs: {
          exists: (region, name) =>
            this.logs
              .describeLogGroups(region, { logGroupNamePrefix: name })
              .logGroups.some((g) => g.logGroupName === name),
          createLogGroup: (region, name) => this.logs.createLogGroup(region, name),
          deleteLogGroup: (region, name) => this.logs.deleteLogGroup(region, name),
          putRetention: (region, name, days) => this.logs.putRetention(region, name, days),
        },
        // In turn with the region's rebuilds (another region's stack may settle and rebuild
        // this one while a provider asks): never on a cloud a rebuild has closed.
        queues: {
          exists: (region, name) =>
            this.region(region).withCloud((cloud) =>
              cloud.sqs.listQueues().some((q) => q.queueName === name),
            ),
          delete: (region, name) =>
            this.region(region).withCloud(({ sqs }) => {
              if (sqs.listQueues().some((q) => q.queueName === name)) sqs.deleteQueue(name);
            }),
        },
        tables: {
          exists: (region, name) =>
            this.region(region).withCloud((cloud) =>
              cloud.dynamodb.tables().some((t: { tableName: string }) => t.tableName === name),
            ),
          delete: (region, name) =>
            this.region(region).withCloud(({ dynamodb }) => {
              if (dynamodb.tables().some((t: { tableName: string }) => t.tableName === name)) {
                dynamodb.execute("DeleteTable", { TableName: name });
              }
            }),
        },
        codeDir: join(this.stateDir, "code"),
        allocatePort: () => freePort(host),
        apiHost: reachableHost,
        versions: this.store,
      }),
      endpointUrl: () => this.endpointUrl,
      readTemplateUrl: (url) => readTemplateUrl(this.s3, url),
      onSettled: (region) => this.settled(region),
    });
  }

  /** Starts the endpoint, finishes operations a stopped host left in progress, reopens regions. */
  static async start(options: CloudHostOptions = {}): Promise<CloudHost> {
    const host = new CloudHost(options);
    try {
      await host.listen();
      await host.cloudformation.start();
      for (const region of host.store.regions()) await host.rebuild(region);
      await host.failover.start(host.store.dnsPort);
      if (host.failover.dnsPort !== undefined) host.store.dnsPort = host.failover.dnsPort;
      host.replicas = host.replicaShapes();
      host.syncFailover();
      host.s3Notifications.start();
      host.sweep();
    } catch (error) {
      await host.close();
      throw error;
    }
    return host;
  }

  /** The endpoint: `AWS_ENDPOINT_URL` for the SDKs, `--endpoint-url` for `sluice deploy`. */
  get url(): string {
    return this.endpointUrl;
  }

  /**
   * The region's running cloud, opened (empty) on first use. Only AWS's Region codes open one: a
   * region is a folder and file handles, and the name can come from any signature on the wire.
   */
  region(region: string): RegionRuntime {
    let runtime = this.regions.get(region);
    if (!runtime) {
      if (!isAwsRegion(region)) throw invalidRegion(region);
      runtime = new RegionRuntime({
        region,
        accountId: this.accountId,
        stateDir: this.stateDir,
        clock: this.clock,
        host: this.options.host ?? "127.0.0.1",
        ...(this.options.allowedHosts ? { allowedHosts: this.options.allowedHosts } : {}),
        environment: (fn) => ({
          AWS_ENDPOINT_URL: this.endpointUrl,
          ...this.credentials.forFunction(fn.functionName),
        }),
        s3: this.s3,
        onEvent: (event) => this.onCloudEvent(region, event),
      });
      this.regions.set(region, runtime);
    }
    return runtime;
  }

  /** Where each deployed API of the region answers. */
  apiUrls(region: string): { key: string; apiId: string; kind: string; url: string }[] {
    return this.regions.get(region)?.apiUrls() ?? [];
  }

  /** Resolves when no stack operation is running. */
  idle(): Promise<void> {
    return this.cloudformation.idle();
  }

  /**
   * Applies S3 lifecycle expiration and log retention now and every hour after, on the host's
   * clock: AWS runs both in the background, at some point after the objects are due.
   */
  private sweep(): void {
    this.s3.expire();
    this.logs.expire();
    this.sweeper = this.clock.at(this.clock.now() + SWEEP_INTERVAL_MS, () => this.sweep());
  }

  close(): Promise<void> {
    return holdingProcessOpen(async () => {
      this.sweeper?.cancel();
      // The fleets' processes first: they call the endpoint while they shut down.
      await this.fleets.close();
      this.s3Notifications.close();
      await this.cloudformation.close();
      await this.failover.close();
      await this.server?.close();
      for (const runtime of this.regions.values()) await runtime.close();
      this.regions.clear();
      this.db.close();
    });
  }

  private async listen(): Promise<void> {
    const { options } = this;
    const aws = createAwsHandler({
      cloud: (region) => this.region(region ?? DEFAULT_REGION).cloud,
      endpointUrl: () => this.endpointUrl,
      iam: options.iam ?? "warn",
      identify: (accessKeyId) => this.credentials.identify(accessKeyId),
      code: (fn) => {
        for (const runtime of this.regions.values()) {
          const code = runtime.code(fn);
          if (code) return code;
        }
        return undefined;
      },
      services: {
        s3: (req, res, body, context) =>
          handleS3(this.s3, req, res, body, { ...context, accountId: this.accountId }),
        cloudformation: (params, context, res) =>
          handleCloudFormationQuery(this.cloudformation, params, context, res),
        logs: (target, body, context, res) => handleLogsJson(this.logs, target, body, context, res),
        route53: (req, res, _body, context) =>
          handleRoute53(this.failover.account, req, res, context.requestId),
        elbv2: (params, context, res) =>
          handleElbv2Query((region, arn) => this.targetHealth(region, arn), params, context, res),
        // The region names the default subnets' zones: only AWS's Region codes, as for a region's cloud.
        ec2: (params, context, res) =>
          handleEc2Query(
            params,
            isAwsRegion(context.region)
              ? context
              : { ...context, regionRefused: invalidRegion(context.region) },
            res,
          ),
      },
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    const ops = directOperations(() => this.region(DEFAULT_REGION).cloud);
    const host = options.host ?? "127.0.0.1";
    const remembered = this.store.port;
    const start = (port: number | undefined) =>
      startEndpoint({
        ops,
        aws,
        host,
        ...(port === undefined ? {} : { port }),
        ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
        onError: (operation, error) => options.onEvent?.({ type: "endpoint-error", operation, error }),
      });
    if (options.port !== undefined) this.server = await start(options.port);
    else {
      // The port of last time keeps deployed queue URLs right; another process may hold it now.
      this.server = await start(remembered).catch((error: { code?: string }) => {
        if (remembered === undefined || error.code !== "EADDRINUSE") throw error;
        return start(undefined);
      });
    }
    this.endpointUrl = this.server.url;
    this.store.port = Number(new URL(this.server.url).port);
    // The control API's token, for the CLI and no one else (0600 in a 0700 folder).
    writeControlFile(this.stateDir, {
      pid: process.pid,
      url: this.server.url,
      token: this.server.controlToken,
    });
  }

  /**
   * A stack operation in `region` settled: its cloud is rebuilt, and so is every other region
   * whose replicas of global tables (whose stack may be in another region) the operation changed;
   * then the replication and Route 53 follow the account's resources.
   */
  private settled(region: string): Promise<void> {
    // Stacks in two regions settle concurrently, and each may rebuild the other's region (a
    // replica): one rebuild at a time, or two would open one region's file at once.
    const run = this.settling.then(() => this.settle(region));
    this.settling = run.catch(() => {});
    return run;
  }

  private async settle(region: string): Promise<void> {
    await this.rebuild(region);
    // Only a region whose replicas changed: another region's own stack may be mid-operation, and
    // is rebuilt when that settles.
    const replicas = this.replicaShapes();
    for (const other of new Set([...replicas.keys(), ...this.replicas.keys()])) {
      if (other !== region && replicas.get(other) !== this.replicas.get(other)) await this.rebuild(other);
    }
    this.replicas = replicas;
    this.syncFailover();
  }

  /** Per region, the replica tables it holds, as text to compare. */
  private replicaShapes(): Map<string, string> {
    const globals = this.globals();
    const shapes = new Map<string, string>();
    for (const region of new Set(globals.flatMap((g) => g.regions))) {
      shapes.set(region, JSON.stringify(replicaTables(globals, region, this.accountId)));
    }
    return shapes;
  }

  /** The account's global tables, from every region with stacks. */
  private globals() {
    return globalTables((r) => this.cloudformation.resources(r), this.store.regions());
  }

  private syncFailover(): void {
    const regions = this.store.regions();
    try {
      this.failover.sync({
        resources: regions.flatMap((region) =>
          this.cloudformation.resources(region).map((resource) => ({ region, resource })),
        ),
        apis: regions.flatMap((region) =>
          this.apiUrls(region).map((api) => ({ region, apiId: api.apiId, url: api.url })),
        ),
        globals: this.globals(),
        dynamodb: (region) => this.regions.get(region)?.openCloud?.dynamodb,
      });
    } catch (error) {
      this.options.onEvent?.({ type: "region-error", region: "global", error });
    }
  }

  private async rebuild(region: string): Promise<void> {
    try {
      // A state folder from before region names were checked may list one AWS does not have.
      const runtime = this.region(region);
      this.store.addRegion(region);
      const replicas = replicaTables(this.globals(), region, this.accountId);
      const resources = this.cloudformation.resources(region);
      await runtime.rebuild([...resources, ...replicas]);
      const notes = [...runtime.app.notes];
      const fleets = translateServers(
        region,
        resources,
        this.cloudformation.resourceMetadata(region, SERVER_METADATA_KEY),
        notes,
      );
      await this.fleets.sync(region, fleets);
      this.options.onEvent?.({ type: "region-rebuilt", region, notes });
    } catch (error) {
      this.options.onEvent?.({ type: "region-error", region, error });
    }
  }

  /**
   * A target group's targets (ELB DescribeTargetHealth): its fleet's, none for a target group no
   * fleet uses yet, undefined (TargetGroupNotFound) for one the region does not have.
   */
  private async targetHealth(region: string, arn: string) {
    const fromFleet = await this.fleets.targetHealth(region, arn);
    if (fromFleet) return fromFleet;
    const exists = this.cloudformation
      .resources(region)
      .some((r) => r.resourceType === "AWS::ElasticLoadBalancingV2::TargetGroup" && r.physicalId === arn);
    return exists ? [] : undefined;
  }

  /**
   * S3 names a notification's destination by ARN, whose fourth field is its region; the default
   * bus an EventBridge-enabled bucket sends to is its own region's.
   */
  private notificationTargets(): NotificationTargets {
    const targets = (region: string) => this.region(region).cloud.s3NotificationTargets();
    const regionOf = (arn: string) => arn.split(":")[3] ?? "";
    return {
      invokeAsync: (arn, payload, traceHeader, bucket) =>
        isAwsRegion(regionOf(arn)) && targets(regionOf(arn)).invokeAsync(arn, payload, traceHeader, bucket),
      sendMessage: (arn, body, traceHeader, bucket) =>
        isAwsRegion(regionOf(arn)) && targets(regionOf(arn)).sendMessage(arn, body, traceHeader, bucket),
      putEvent: (event) => targets(event.region).putEvent(event),
    };
  }

  private onCloudEvent(region: string, event: CloudEvent): void {
    if (event.type === "log") {
      let sink = this.sinks.get(region);
      if (!sink) {
        // Lambda writes a deployed function's logs with its execution role: a group the role may
        // not create is not created (a stage destroyed while its functions ran leaves none behind).
        sink = lambdaLogSink(this.logs, region, undefined, {
          accountId: this.accountId,
          role: (name) => {
            const functions = this.regions.get(region)?.cloud.spec.functions;
            const fn = functions && Object.hasOwn(functions, name) ? functions[name] : undefined;
            return fn ? executionRolePolicy(fn) : undefined;
          },
        });
        this.sinks.set(region, sink);
      }
      try {
        sink(event.line);
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
      }
    }
    this.options.onEvent?.({ type: "cloud", region, event });
  }
}

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { bundleFunctions, type FunctionBundle } from "../bundle/bundle-functions.ts";
import { findConfigFile, type LoadedApp, loadApp } from "../bundle/load-app.ts";
import type { ApiUrls } from "../local/api-servers.ts";
import type { ApiAccess } from "../local/apigateway/index.ts";
import { type Clock, durableClock } from "../local/clock/index.ts";
import { consoleUrl } from "../local/console/index.ts";
import type { GlobalTableReplication, ReplicationEvent } from "../local/dynamodb/index.ts";
import type { ControlServer, EndpointEvent, IamMode } from "../local/endpoint/index.ts";
import type { RequestTimeouts } from "../local/front-door/index.ts";
import { holdingProcessOpen } from "../local/hold-open.ts";
import { codeLoadFailed, hasOwnAwsSdk, provideAwsSdk } from "../local/lambda/index.ts";
import type { CloudEvent, LocalCloud } from "../local/local-cloud.ts";
import type { Route53Engine, Route53Event } from "../local/route53/index.ts";
import type { WebsiteUrls } from "../local/s3/index.ts";
import { CA_CERT_FILE, TLS_DIR } from "../local/tls/index.ts";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { failoverFleet } from "../model/fleet-roles.ts";
import { buildFolder, cachedBuild, rememberBuild } from "./bundle-cache.ts";
import { removeUnusedBuilds } from "./bundle-generations.ts";
import { type DevEndpoint, startDevEndpoint } from "./dev-endpoint.ts";
import { type DevFleetEvent, DevFleets, type FleetReady } from "./dev-fleets.ts";
import { acquireDevLock, type DevLock } from "./dev-lock.ts";
import {
  checkLatencies,
  type DevRegions,
  devRegions,
  HealthCheckerSecret,
  regionSpecs,
  regionStateDir,
  withoutCheckerId,
} from "./dev-regions.ts";
import { removeDevState, writeDevState } from "./dev-state-file.ts";
import { FileWatcher } from "./file-watcher.ts";
import { RegionClouds } from "./region-clouds.ts";
import { type DrillEvent, RegionDrills } from "./region-drills.ts";
import { type FailoverFleet, type FailoverReady, RegionFailover } from "./region-failover.ts";
import { WatchedFiles } from "./watched-files.ts";

export type DevEvent =
  /** `region`: the cloud it came from, when dev runs several. */
  | (CloudEvent & { readonly region?: string })
  | DrillEvent
  | EndpointEvent
  /** A server fleet dev runs (issue 19): its log lines, a failed start. */
  | DevFleetEvent
  /** Global tables' replication between dev's regions. */
  | ReplicationEvent
  /** The local Route 53: health status and DNS answer changes. */
  | Route53Event
  | {
      readonly type: "ready";
      readonly spec: AppSpec;
      readonly url: string;
      /** The console page's URL, with the session's control token in its path (unless `console: false`). */
      readonly consoleUrl?: string;
      readonly startMs: number;
      /** URLs of the app's HTTP and WebSocket APIs, when it has them. */
      readonly apis: ApiUrls;
      /** Functions whose code failed to initialise at start (a missing export, a throwing import). */
      readonly initFailures: readonly InitFailure[];
      /** The local CA's certificate, which the https @connections URL's clients trust. */
      readonly caFile: string;
      /** The local URL of each website bucket, by definition name. */
      readonly websites: WebsiteUrls;
      /** Multi-region: every region's servers, the primary first (`apis` and `websites` are its). */
      readonly regions?: readonly RegionReady[];
      /** Multi-region: the domain's front door and DNS server, health checks, replication. */
      readonly failover?: FailoverReady;
      /** The server fleets dev runs in-process (`servers`), each on its own URL. */
      readonly fleets?: readonly FleetReady[];
    }
  | {
      readonly type: "access";
      readonly access: ApiAccess;
      /** The region whose API served it, when dev runs several. */
      readonly region?: string;
    }
  | {
      readonly type: "reloaded";
      readonly files: readonly string[];
      readonly ms: number;
      readonly restarted: boolean;
      /** Functions whose code still fails to initialise, flagged after each reload as at start. */
      readonly initFailures: readonly InitFailure[];
    }
  | {
      readonly type: "reload-failed";
      readonly error: unknown;
      /** Functions whose code still fails to initialise, as at start (no previous code serves). */
      readonly initFailures: readonly InitFailure[];
    };

/** A region's servers, for the banner. */
export interface RegionReady {
  readonly region: string;
  readonly apis: ApiUrls;
  readonly websites: WebsiteUrls;
}

export interface InitFailure {
  readonly functionName: string;
  /** Lambda's StateReason for the Failed function, e.g. the init error's type and message. */
  readonly reason: string;
}

/** Which option chose a port that turned out to be taken. */
export type PortOption = "port" | "httpPort" | "websocketPort" | "dnsPort" | "frontDoorPort";

export interface DevSessionOptions {
  readonly dir: string;
  readonly clock?: Clock;
  readonly host?: string;
  readonly port?: number;
  /** Host names the endpoint and API servers answer besides loopback ones (`--allow-host`). */
  readonly allowedHosts?: readonly string[];
  /** How long clients may take to send a request to any of dev's servers. @default REQUEST_TIMEOUTS */
  readonly timeouts?: RequestTimeouts;
  /** Port of the HTTP API; 0 picks a free one. @default 0 */
  readonly httpPort?: number;
  /** Port of the WebSocket API (and its management API); 0 picks a free one. @default 0 */
  readonly websocketPort?: number;
  /**
   * How calls functions make to the endpoint are checked against their permissions: `enforce`
   * denies what they lack as AWS would, `warn` allows it with a warning event, `off` checks nothing.
   * @default "warn"
   */
  readonly iam?: IamMode;
  /** Rebuild and reload when files change. @default true */
  readonly watch?: boolean;
  /**
   * Where the session keeps its state (SQLite, lock, CA, dev.json) instead of the app's `.sluice`:
   * the test kit gives each app a new temporary folder, so two can run the same app at once.
   * @default `<app>/.sluice`
   * @example stateDir: mkdtempSync(join(tmpdir(), "sluice-test-"))
   */
  readonly stateDir?: string;
  /**
   * Reuse the definition and bundles an earlier session of this process built for the same app
   * while none of the files they read changed (bundle-cache.ts): the test kit's repeated starts.
   * @default false
   */
  readonly reuseBundles?: boolean;
  /**
   * Wait (up to Lambda's 10 s init limit) for each function's first init before `ready`, to name
   * init failures in the banner. The test kit skips it: a test's first invoke waits for its init.
   * @default true
   */
  readonly waitForInit?: boolean;
  /** Serve the app's HTTP, WebSocket and website APIs. @default true */
  readonly apis?: boolean;
  /** Serve the console page from the endpoint (`/_sluice/console/<token>/`). @default true */
  readonly console?: boolean;
  readonly idleTimeoutMs?: number;
  /** How long a function may go uninvoked before its state is Inactive. @default 14 days */
  readonly inactiveAfterMs?: number;
  /** Execution environments alive at once, per region's cloud (LocalCloudOptions.maxEnvironments). @default 64 */
  readonly maxEnvironments?: number;
  /**
   * The regions to run, the primary first (`--regions`): one local cloud per region, overriding the
   * definition's `regions`. At least two AWS Region codes.
   * @default the definition's `regions`, else its one region
   * @example regions: ["us-east-1", "us-west-2"]
   */
  readonly regions?: readonly string[];
  /**
   * Delay between a write to a global table and its replica write in the other regions, on dev's
   * clock (`--replication-lag`). DynamoDB's typically within a second.
   * @default 1000
   */
  readonly replicationLagMs?: number;
  /**
   * Latency from the caller to each region, in ms, for the domain's latency routing (`--latency`).
   * @default 10 ms × the region's index + 10 (the primary 10, the next 20, …)
   * @example latencies: { "us-east-1": 20, "us-west-2": 80 }
   */
  readonly latencies?: Readonly<Record<string, number>>;
  /** Port of the DNS server (UDP and TCP) that answers the domain. @default 0 (a free port) */
  readonly dnsPort?: number;
  /** Port of the front door that forwards to the region DNS picks. @default 0 (a free port) */
  readonly frontDoorPort?: number;
  /**
   * The app's drawing for the console page (`describe`'s SVG, which dev may not import: the CLI
   * gives it), drawn again when a reload changes the definition.
   * @default the console shows no graph
   * @example consoleGraph: (spec) => renderAppSvg(spec)
   */
  readonly consoleGraph?: (spec: AppSpec) => string;
  readonly onEvent?: (event: DevEvent) => void;
}

const DEBOUNCE_MS = 80;
/**
 * How long the start waits for functions' first initialisation, to flag failures in the banner:
 * Lambda's own limit on init for on-demand functions (10 s), after which dev is ready regardless.
 */
const ACTIVATION_WAIT_MS = 10_000;

/**
 * `sluice dev`: loads and bundles the app, runs its local cloud, serves the control endpoint and
 * reloads on change. Code changes swap bundles (in-flight invocations finish on the old code);
 * a changed definition restarts the cloud on the same state file.
 */
export class DevSession {
  private app!: LoadedApp;
  /** The regions dev runs (fixed for the session) and each region's spec. */
  private layout!: DevRegions;
  private specs: ReadonlyMap<string, AppSpec> = new Map();
  private clouds: RegionClouds | undefined;
  private regionDrills: RegionDrills | undefined;
  private failover: RegionFailover | undefined;
  private fleets: DevFleets | undefined;
  private server: ControlServer | undefined;
  private endpoint: DevEndpoint | undefined;
  private bundles = new Map<string, FunctionBundle>();
  private generation = 0;
  private watcher: FileWatcher | undefined;
  private watched = new WatchedFiles([]);
  private pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  /** The console's last drawing and the spec it shows. */
  private drawn: { readonly spec: AppSpec; readonly svg: string } | undefined;
  private readonly clock: Clock;
  /** The Route 53 health checker id of this session (multi-region apps with `health.route53`). */
  readonly checkerSecret = new HealthCheckerSecret();

  private constructor(
    private readonly options: DevSessionOptions,
    private readonly lock: DevLock,
  ) {
    // One clock for every region, resumed from the app's state folder: a dev killed after
    // `time advance` and started again goes on from where its clock stood (clock-file.ts).
    this.clock = options.clock ?? durableClock(options.stateDir ?? join(resolve(options.dir), ".sluice"));
  }

  /**
   * Throws SLUICE_DEV_RUNNING when another dev runs this app, and SLUICE_PORT_IN_USE (context:
   * `option`, `port`) when a chosen port is taken; whatever had started is stopped again.
   */
  static async start(options: DevSessionOptions): Promise<DevSession> {
    const started = performance.now();
    const dir = resolve(options.dir);
    findConfigFile(dir);
    const session = new DevSession(options, acquireDevLock(options.stateDir ?? join(dir, ".sluice")));
    try {
      await session.open(started);
    } catch (error) {
      await session.abandon();
      throw error;
    }
    return session;
  }

  private async open(started: number): Promise<void> {
    const { options } = this;
    const cached = options.reuseBundles ? cachedBuild(options.dir) : undefined;
    this.app = this.withState(cached?.app ?? (await loadApp(options.dir)));
    this.layout = devRegions(this.app.spec, options.regions);
    checkLatencies(options.latencies, this.layout.regions);
    this.specs = regionSpecs(this.app.definition, this.app.spec, this.layout);
    if (cached) this.adoptBundles(this.app, cached.bundles);
    else await this.rebundle();
    const drills = new RegionDrills({
      regions: this.layout.regions,
      cloud: (region) => this.clouds?.cloudOf(region),
      now: () => this.clock.now(),
      replication: () => this.replication,
      route53: () => this.route53,
      onEvent: options.onEvent,
    });
    this.regionDrills = drills;
    // The endpoint listens first: functions need its URL in their environment.
    this.endpoint = await portInUse("port", options.host, () =>
      startDevEndpoint({
        cloud: (region) => this.cloudFor(region),
        clouds: () => this.clouds?.all() ?? [],
        code: (fn) => this.bundles.get(fn.name),
        iam: options.iam,
        now: () => this.clock.now(),
        websiteUrl: (bucketName) => this.clouds?.websiteUrl(bucketName),
        drills: drills.operations(),
        ...(options.console === false ? {} : { console: { graph: () => this.consoleGraph() } }),
        ...(options.host ? { host: options.host } : {}),
        port: options.port,
        allowedHosts: options.allowedHosts,
        timeouts: options.timeouts,
        onEvent: options.onEvent,
      }),
    );
    this.server = this.endpoint.server;
    const multiRegion = this.layout.multiRegion;
    const clouds = new RegionClouds({
      regions: this.layout.regions,
      stateDir: (region) => regionStateDir(this.app.stateDir, region, multiRegion),
      caDir: this.app.stateDir,
      clock: this.clock,
      code: (fn) => {
        const bundle = this.bundles.get(fn.name);
        if (!bundle) throw new Error(`no bundle for function ${fn.name}`);
        return { file: bundle.file, exportName: bundle.exportName };
      },
      environment: (fn, region) => this.environment(fn, region),
      endpointUrl: () => this.endpoint?.server.url,
      // A drill's switch is the function's own variable, as an operator's change would be.
      variables: (fn, region) => this.regionDrills?.environment(region, fn) ?? {},
      unavailable: (region) => this.regionDrills?.isOutage(region) === true,
      idleTimeoutMs: options.idleTimeoutMs,
      inactiveAfterMs: options.inactiveAfterMs,
      maxEnvironments: options.maxEnvironments,
      host: options.host,
      allowedHosts: options.allowedHosts,
      timeouts: options.timeouts,
      httpPort: options.httpPort,
      websocketPort: options.websocketPort,
      onEvent: (event, region) => options.onEvent?.(multiRegion ? { ...event, region } : event),
      onAccess: (logged, region) => {
        // Health pings carry the checker's secret in the query: no event shows it. Most requests
        // have none to hide, and their access needs no copy.
        const request = withoutCheckerId(logged.request);
        const access = request === logged.request ? logged : { ...logged, request };
        options.onEvent?.(multiRegion ? { type: "access", access, region } : { type: "access", access });
      },
    });
    this.clouds = clouds;
    await clouds.open(this.specs);
    if (options.apis !== false)
      await portInUse(
        (port) => (port === options.websocketPort ? "websocketPort" : "httpPort"),
        options.host,
        () => clouds.syncServers(),
      );
    // Fleets call the endpoint and serve the bundles the cloud runs: once both are up.
    this.fleets = new DevFleets({
      spec: () => this.spec,
      code: (name) => this.bundles.get(name),
      endpointUrl: () => this.url,
      environment: (fleet) => this.fleetEnvironment(fleet),
      clock: this.clock,
      onEvent: options.onEvent,
    });
    await this.fleets.restart();
    await this.startFailover();
    const initFailures = options.waitForInit === false ? this.failedFunctions() : await this.initFailures();
    await this.failover?.warm(ACTIVATION_WAIT_MS);
    writeDevState(this.app.stateDir, {
      pid: process.pid,
      url: this.server.url,
      startedAt: new Date().toISOString(),
      token: this.server.controlToken,
    });
    if (options.watch !== false) this.watchFiles();
    const fleets = this.fleets.ready();
    options.onEvent?.({
      type: "ready",
      spec: this.spec,
      url: this.server.url,
      ...(options.console === false
        ? {}
        : { consoleUrl: consoleUrl(this.server.url, this.server.controlToken) }),
      startMs: performance.now() - started,
      apis: this.apiUrls,
      initFailures,
      caFile: join(this.app.stateDir, TLS_DIR, CA_CERT_FILE),
      websites: this.websiteUrls,
      ...(multiRegion
        ? {
            regions: this.regions.map((region) => ({
              region,
              apis: clouds.apiUrlsOf(region),
              websites: clouds.websiteUrlsOf(region),
            })),
          }
        : {}),
      ...(this.failover ? { failover: this.failover.ready() } : {}),
      ...(fleets.length > 0 ? { fleets } : {}),
    });
  }

  /**
   * The local Route 53 and replication between regions (several regions), or between the Lambda
   * API and a fleet behind the domain (one region, issue 19): started once, when first needed.
   */
  private async startFailover(): Promise<void> {
    const { options } = this;
    if (this.failover !== undefined) return;
    if (!this.checked) return;
    this.failover = await portInUse(
      (port) => (port === options.dnsPort ? "dnsPort" : "frontDoorPort"),
      options.host,
      () =>
        RegionFailover.start({
          regions: this.regions,
          spec: () => this.spec,
          dynamodb: (region) => this.clouds?.cloudOf(region)?.dynamodb,
          apiUrls: (region) => this.apiUrlsOf(region),
          checkerId: (fn) => this.checkerSecret.checkerId(fn),
          clock: this.clock,
          replicationLagMs: options.replicationLagMs,
          latencies: options.latencies,
          host: options.host,
          allowedHosts: options.allowedHosts,
          timeouts: options.timeouts,
          dnsPort: options.dnsPort,
          frontDoorPort: options.frontDoorPort,
          onEvent: options.onEvent,
          fleet: () => this.failoverFleet(),
        }),
    );
  }

  /** The fleet behind the domain beside the Lambda API, while it runs. */
  private failoverFleet(): FailoverFleet | undefined {
    const fleet = failoverFleet(this.spec);
    const url = fleet === undefined ? undefined : this.fleets?.urlOf(fleet.name);
    if (fleet?.role === undefined || url === undefined) return undefined;
    return { name: fleet.name, role: fleet.role, url };
  }

  /**
   * What a fleet's functions get: the endpoint, the fleet's credentials, and the Route 53 checker
   * secret its health function expects (the same as Lambda's, as both sit behind one domain).
   */
  private fleetEnvironment(name: string): Record<string, string> {
    const served = this.spec.servers?.[name]?.functions ?? [];
    const secrets = served.flatMap((fn) => {
      const spec = this.spec.functions[fn];
      return spec === undefined ? [] : Object.entries(this.checkerSecret.environment(spec));
    });
    return { ...this.endpoint?.fleetEnvironment(name), ...Object.fromEntries(secrets) };
  }

  /** Whether Route 53 checks run locally: several regions, or a fleet behind the domain. */
  private get checked(): boolean {
    return this.layout.multiRegion || failoverFleet(this.spec) !== undefined;
  }

  /** Stops what a failed start had started, so the process can exit and the app is free again. */
  private async abandon(): Promise<void> {
    await this.fleets?.close();
    await Promise.allSettled([this.server?.close(), this.failover?.close()]);
    await this.clouds?.close();
    this.lock.release();
  }

  /** What dev adds to a function's environment in a region, beyond the endpoint's variables. */
  private environment(fn: FunctionSpec, region: string): Record<string, string> {
    return {
      ...this.endpoint?.environment(fn, region),
      ...(this.checked ? this.checkerSecret.environment(fn) : {}),
    };
  }

  /** The cloud serving a call signed for `region`: its own, else the primary's. */
  private cloudFor(region: string | undefined): LocalCloud | undefined {
    return (
      (region === undefined ? undefined : this.clouds?.cloudOf(region)) ?? this.clouds?.cloudOf(this.primary)
    );
  }

  /** Waits (bounded) for the functions' first init in every region, then names those whose init failed. */
  private async initFailures(): Promise<InitFailure[]> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.clouds?.all().map((cloud) => cloud.activated) ?? []),
      new Promise<void>((done) => {
        timer = setTimeout(done, ACTIVATION_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    return this.failedFunctions();
  }

  /** Failed functions of the primary: the code is the same in every region. */
  private failedFunctions(): InitFailure[] {
    return this.localCloud.lambda
      .functionStates()
      .filter((fn) => fn.state === "Failed")
      .map((fn) => ({ functionName: fn.functionName, reason: fn.stateReason ?? "init failed" }));
  }

  get url(): string {
    return this.server?.url ?? "";
  }

  /** Failover drills (`sluice fail`, `heal`, `health`): outages, forced failures, paused replication. */
  get drills(): RegionDrills | undefined {
    return this.regionDrills;
  }

  /** The regions dev runs, the primary first (one for a single-region app). */
  get regions(): readonly string[] {
    return this.layout.regions;
  }

  get primary(): string {
    return this.layout.regions[0] as string;
  }

  /** Whether dev runs one cloud per region (the definition's `regions`, or `--regions`). */
  get multiRegion(): boolean {
    return this.layout.multiRegion;
  }

  /** URLs of the primary's HTTP and WebSocket APIs. */
  get apiUrls(): ApiUrls {
    return this.apiUrlsOf(this.primary);
  }

  /** URLs of a region's HTTP and WebSocket APIs (empty for a region dev does not run). */
  apiUrlsOf(region: string): ApiUrls {
    return this.clouds?.apiUrlsOf(region) ?? {};
  }

  /** The local URL of each of the primary's website buckets, by definition name. */
  get websiteUrls(): WebsiteUrls {
    return this.clouds?.websiteUrlsOf(this.primary) ?? {};
  }

  /** The console's drawing of the primary's definition, drawn again only when a reload changed it. */
  private consoleGraph(): string | undefined {
    const draw = this.options.consoleGraph;
    if (draw === undefined) return undefined;
    const spec = this.spec;
    if (this.drawn?.spec !== spec) this.drawn = { spec, svg: draw(spec) };
    return this.drawn.svg;
  }

  /** The primary's spec. */
  get spec(): AppSpec {
    return this.specs.get(this.primary) ?? this.app.spec;
  }

  /** The primary's cloud. */
  get localCloud(): LocalCloud {
    return this.cloudOf(this.primary);
  }

  /** A region's cloud (replaced when the definition changes: read it again after a reload). */
  cloudOf(region: string): LocalCloud {
    const cloud = this.clouds?.cloudOf(region);
    if (!cloud) throw new Error(`dev does not run ${region}; it runs ${this.regions.join(", ")}`);
    return cloud;
  }

  /** Global tables' replication between the regions, when the app has global tables. */
  get replication(): GlobalTableReplication | undefined {
    return this.failover?.replication;
  }

  /** The local Route 53 answering the app's domain, when it has one. */
  get route53(): Route53Engine | undefined {
    return this.failover?.route53;
  }

  /** The front door: one URL forwarding to the region DNS answers for the domain. */
  get frontDoorUrl(): string | undefined {
    return this.failover?.frontDoorUrl;
  }

  /** The port of the DNS server (UDP and TCP on the endpoint's host) answering the domain. */
  get dnsPort(): number | undefined {
    return this.failover?.dnsPort;
  }

  /** The folders dev watches (relative to the app, "" for its root), once it watches. */
  get watching(): { folders: string[]; recursive: boolean } | undefined {
    return this.watcher?.watching();
  }

  close(): Promise<void> {
    return holdingProcessOpen(async () => {
      this.watcher?.close();
      if (this.debounce) clearTimeout(this.debounce);
      await this.reloading;
      // Fleets drain first: releasing their unfinished messages goes through the endpoint.
      await this.fleets?.close();
      await this.server?.close();
      // Replication and health checks stop before the clouds they read.
      await this.failover?.close();
      await this.clouds?.close();
      removeDevState(this.app.stateDir, process.pid);
      this.lock.release();
    });
  }

  /** Rebuilds now, as a file change would. */
  reload(files: readonly string[] = []): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload(files));
    return this.reloading;
  }

  /** The loaded app with the session's own state folder, when it was given one. */
  private withState(app: LoadedApp): LoadedApp {
    const { stateDir } = this.options;
    return stateDir === undefined ? app : { ...app, stateDir };
  }

  /** Each build goes to a new folder, so environments still running old code keep their files. */
  private async rebundle(app: LoadedApp = this.app): Promise<void> {
    const reuse = this.options.reuseBundles === true;
    // Reused builds go to a folder shared by the process's sessions (bundle-cache.ts).
    const root = reuse ? undefined : join(app.stateDir, "dev");
    const { root: buildRoot, outDir } =
      root === undefined ? buildFolder(app.dir) : { root, outDir: join(root, `g${++this.generation}`) };
    mkdirSync(outDir, { recursive: true });
    // An app with its own SDK keeps using it; one without gets the SDK as Lambda's runtime gives it.
    if (!hasOwnAwsSdk(app.dir)) provideAwsSdk(buildRoot);
    // One set of bundles for every region: the code is the same, only the environment differs.
    const bundles = await bundleFunctions(app.spec, {
      dir: app.dir,
      configFile: app.configFile,
      outDir,
      // Stack traces through a routing function name the definition's lines.
      routesSourceMap: true,
    });
    this.adoptBundles(app, bundles);
    if (root === undefined) {
      rememberBuild(app, bundles);
      return;
    }
    // Older builds are no longer loaded by any environment that can still start.
    const inUse = new Set<string>();
    for (const cloud of this.clouds?.all() ?? [])
      for (const file of cloud.lambda.codeFiles()) inUse.add(file);
    removeUnusedBuilds(root, this.generation, inUse);
  }

  /** Serves these bundles from now on, and watches the files they (and the definition) read. */
  private adoptBundles(app: LoadedApp, bundles: readonly FunctionBundle[]): void {
    this.bundles = new Map(bundles.map((b) => [b.function, b]));
    this.watched = WatchedFiles.of(app.dir, [...app.inputs, ...bundles.flatMap((b) => b.inputs)]);
    // A folder imported for the first time is watched from now on.
    this.watcher?.update(this.watched);
  }

  private async doReload(files: readonly string[]): Promise<void> {
    const started = performance.now();
    const clouds = this.clouds?.all() ?? [];
    // LastUpdateStatus is InProgress from the rebuild until the new code serves or is abandoned.
    for (const cloud of clouds) cloud.lambda.beginUpdate();
    let initFailures: InitFailure[] = [];
    try {
      const app = this.withState(await loadApp(this.options.dir));
      const specs = this.reloadedSpecs(app);
      const restarted = JSON.stringify([...specs]) !== JSON.stringify([...this.specs]);
      // Adopt the definition only once it builds: a failed reload must leave the running one in place.
      await this.rebundle(app);
      this.app = app;
      if (restarted) {
        this.specs = specs;
        await this.clouds?.open(specs);
        await this.clouds?.syncServers();
        await this.fleets?.restart();
        await this.startFailover();
        await this.failover?.sync();
        initFailures = await this.initFailures();
      } else {
        const results = await Promise.all(clouds.map((cloud) => cloud.lambda.reload()));
        // The code is the same everywhere, its environment not (AWS_REGION): new code that loads in
        // the primary may still fail in another region, which then keeps the old code.
        const failures = [
          ...new Map(results.flat().map((failure) => [failure.functionName, failure])).values(),
        ];
        // A function that never initialised stays Failed: an init failure, as the banner says at
        // start. Only functions with working code to fall back to make the reload a failed one.
        const failed = new Set(this.failedFunctions().map((f) => f.functionName));
        initFailures = failures
          .filter((f) => failed.has(f.functionName))
          .map((f) => ({ functionName: f.functionName, reason: f.reason }));
        const fellBack = failures.filter((f) => !failed.has(f.functionName));
        if (fellBack.length > 0) throw codeLoadFailed(fellBack);
        // Fleets serve the new bundles too (on their ports: Route 53's records stay right).
        await this.fleets?.restart();
        await this.failover?.sync();
      }
      // New code means new environments: warm the health functions again before Route 53 pings.
      await this.failover?.warm(ACTIVATION_WAIT_MS);
      this.options.onEvent?.({
        type: "reloaded",
        files,
        ms: performance.now() - started,
        restarted,
        initFailures,
      });
    } catch (error) {
      // The fix may be a file no build has read yet (a handler that did not exist), so until a
      // reload succeeds every source file counts.
      this.watched = this.watched.broken();
      this.watcher?.update(this.watched);
      for (const cloud of this.clouds?.all() ?? [])
        cloud.lambda.failUpdate((error as Error).message ?? String(error));
      this.options.onEvent?.({ type: "reload-failed", error, initFailures });
    }
  }

  /**
   * Each region's spec from a reloaded definition. The regions stay those the session started
   * with: a definition that changes them (without `--regions`) asks for a restart of dev. A
   * single-region app may change its `region`: its one cloud restarts there, as before regions.
   */
  private reloadedSpecs(app: LoadedApp): ReadonlyMap<string, AppSpec> {
    if (this.options.regions === undefined) {
      const now = devRegions(app.spec);
      const moved = now.multiRegion && now.regions.join() !== this.layout.regions.join();
      if (now.multiRegion !== this.layout.multiRegion || moved) {
        throw new SluiceError(
          "SLUICE_DEV_REGIONS_CHANGED",
          `the definition's regions changed (${this.layout.regions.join(", ")} → ${now.regions.join(", ")}); stop and start sluice dev to run the new regions`,
        );
      }
    }
    return regionSpecs(app.definition, app.spec, this.layout);
  }

  private watchFiles(): void {
    this.watcher = new FileWatcher(this.app.dir, (rel) => {
      this.pending.add(rel);
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        const changed = [...this.pending];
        this.pending.clear();
        void this.reload(changed);
      }, DEBOUNCE_MS);
    });
    this.watcher.update(this.watched);
  }
}

/**
 * Runs `listen`, turning "address in use" into an error that names the option that chose the
 * port (the caller phrases it for its users), instead of a bug report with a stack.
 */
async function portInUse<T>(
  option: PortOption | ((port: number | undefined) => PortOption),
  host: string | undefined,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const { code, port } = error as { code?: unknown; port?: unknown };
    if (code !== "EADDRINUSE") throw error;
    const taken = typeof port === "number" ? port : undefined;
    const which = typeof option === "function" ? option(taken) : option;
    const address = host ?? "127.0.0.1";
    throw new SluiceError(
      "SLUICE_PORT_IN_USE",
      `port ${taken ?? "?"} on ${address} is already in use by another program`,
      { cause: error, context: { option: which, port: taken, host: address } },
    );
  }
}

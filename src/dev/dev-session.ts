import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type FunctionBundle, bundleFunctions } from "../bundle/bundle-functions.ts";
import { type LoadedApp, findConfigFile, loadApp } from "../bundle/load-app.ts";
import { type Clock, SystemClock } from "../local/clock/index.ts";
import type { EndpointEvent, ControlServer, IamMode } from "../local/endpoint/index.ts";
import type { RequestTimeouts } from "../local/front-door/index.ts";
import { ApiServers, type ApiUrls } from "../local/api-servers.ts";
import type { ApiAccess } from "../local/apigateway/index.ts";
import { codeLoadFailed, hasOwnAwsSdk, provideAwsSdk } from "../local/lambda/index.ts";
import { type CloudEvent, LocalCloud } from "../local/local-cloud.ts";
import { CA_CERT_FILE, TLS_DIR } from "../local/tls/index.ts";
import { WebsiteServers, type WebsiteUrls } from "../local/s3/index.ts";
import type { AppSpec } from "../model/app-spec.ts";
import { SluiceError } from "../model/errors.ts";
import { removeUnusedBuilds } from "./bundle-generations.ts";
import { type DevLock, acquireDevLock } from "./dev-lock.ts";
import { type DevEndpoint, startDevEndpoint } from "./dev-endpoint.ts";
import { removeDevState, writeDevState } from "./dev-state-file.ts";
import { FileWatcher } from "./file-watcher.ts";
import { WatchedFiles } from "./watched-files.ts";

export type DevEvent =
  | CloudEvent
  | EndpointEvent
  | {
      readonly type: "ready";
      readonly spec: AppSpec;
      readonly url: string;
      readonly startMs: number;
      /** URLs of the app's HTTP and WebSocket APIs, when it has them. */
      readonly apis: ApiUrls;
      /** Functions whose code failed to initialise at start (a missing export, a throwing import). */
      readonly initFailures: readonly InitFailure[];
      /** The local CA's certificate, which the https @connections URL's clients trust. */
      readonly caFile: string;
      /** The local URL of each website bucket, by definition name. */
      readonly websites: WebsiteUrls;
    }
  | { readonly type: "access"; readonly access: ApiAccess }
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

export interface InitFailure {
  readonly functionName: string;
  /** Lambda's StateReason for the Failed function, e.g. the init error's type and message. */
  readonly reason: string;
}

/** Which option chose a port that turned out to be taken. */
export type PortOption = "port" | "httpPort" | "websocketPort";

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
  readonly idleTimeoutMs?: number;
  /** How long a function may go uninvoked before its state is Inactive. @default 14 days */
  readonly inactiveAfterMs?: number;
  /** Execution environments alive at once (LocalCloudOptions.maxEnvironments). @default 64 */
  readonly maxEnvironments?: number;
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
  private cloud!: LocalCloud;
  private server: ControlServer | undefined;
  private endpoint: DevEndpoint | undefined;
  private apis: ApiServers | undefined;
  private websites: WebsiteServers | undefined;
  private bundles = new Map<string, FunctionBundle>();
  private generation = 0;
  private watcher: FileWatcher | undefined;
  private watched = new WatchedFiles([]);
  private pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  private constructor(
    private readonly options: DevSessionOptions,
    private readonly lock: DevLock,
  ) {
    this.clock = options.clock ?? new SystemClock();
  }

  /**
   * Throws SLUICE_DEV_RUNNING when another dev runs this app, and SLUICE_PORT_IN_USE (context:
   * `option`, `port`) when a chosen port is taken; whatever had started is stopped again.
   */
  static async start(options: DevSessionOptions): Promise<DevSession> {
    const started = performance.now();
    const dir = resolve(options.dir);
    findConfigFile(dir);
    const session = new DevSession(options, acquireDevLock(join(dir, ".sluice")));
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
    this.app = await loadApp(options.dir);
    await this.rebundle();
    // The endpoint listens first: functions need its URL in their environment.
    this.endpoint = await portInUse("port", options.host, () =>
      startDevEndpoint({
        cloud: () => this.cloud,
        code: (fn) => this.bundles.get(fn.name),
        iam: options.iam,
        now: () => this.clock.now(),
        websiteUrl: (bucketName) => this.websites?.urlOf(bucketName),
        ...(options.host ? { host: options.host } : {}),
        port: options.port,
        allowedHosts: options.allowedHosts,
        timeouts: options.timeouts,
        onEvent: options.onEvent,
      }),
    );
    this.server = this.endpoint.server;
    this.cloud = this.openCloud();
    this.cloud.start();
    this.apis = await portInUse(
      (port) => (port === options.websocketPort ? "websocketPort" : "httpPort"),
      options.host,
      () =>
        ApiServers.start({
          backend: () => this.cloud,
          ...(options.host ? { host: options.host } : {}),
          allowedHosts: options.allowedHosts,
          timeouts: options.timeouts,
          httpPort: options.httpPort,
          websocketPort: options.websocketPort,
          onAccess: (access) => options.onEvent?.({ type: "access", access }),
        }),
    );
    this.websites = new WebsiteServers({
      current: () => this.cloud,
      ...(options.host ? { host: options.host } : {}),
      allowedHosts: options.allowedHosts,
      timeouts: options.timeouts,
    });
    await this.websites.sync();
    const initFailures = await this.initFailures();
    writeDevState(this.app.stateDir, {
      pid: process.pid,
      url: this.server.url,
      startedAt: new Date().toISOString(),
      token: this.server.controlToken,
    });
    if (options.watch !== false) this.watchFiles();
    options.onEvent?.({
      type: "ready",
      spec: this.app.spec,
      url: this.server.url,
      startMs: performance.now() - started,
      apis: this.apis.urls,
      initFailures,
      caFile: join(this.app.stateDir, TLS_DIR, CA_CERT_FILE),
      websites: this.websites.urls,
    });
  }

  /** Stops what a failed start had started, so the process can exit and the app is free again. */
  private async abandon(): Promise<void> {
    const cloud = this.cloud as LocalCloud | undefined;
    await Promise.allSettled([
      this.server?.close(),
      this.apis?.close(),
      this.websites?.close(),
      cloud?.close(),
    ]);
    this.lock.release();
  }

  /** Waits (bounded) for the functions' first init, then names those whose init failed. */
  private async initFailures(): Promise<InitFailure[]> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.cloud.activated,
      new Promise<void>((done) => {
        timer = setTimeout(done, ACTIVATION_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    return this.failedFunctions();
  }

  private failedFunctions(): InitFailure[] {
    return this.cloud.lambda
      .functionStates()
      .filter((fn) => fn.state === "Failed")
      .map((fn) => ({ functionName: fn.functionName, reason: fn.stateReason ?? "init failed" }));
  }

  get url(): string {
    return this.server?.url ?? "";
  }

  /** URLs of the app's HTTP and WebSocket APIs. */
  get apiUrls(): ApiUrls {
    return this.apis?.urls ?? {};
  }

  /** The local URL of each website bucket, by definition name. */
  get websiteUrls(): WebsiteUrls {
    return this.websites?.urls ?? {};
  }

  get spec(): AppSpec {
    return this.app.spec;
  }

  get localCloud(): LocalCloud {
    return this.cloud;
  }

  /** The folders dev watches (relative to the app, "" for its root), once it watches. */
  get watching(): { folders: string[]; recursive: boolean } | undefined {
    return this.watcher?.watching();
  }

  async close(): Promise<void> {
    this.watcher?.close();
    if (this.debounce) clearTimeout(this.debounce);
    await this.reloading;
    await this.server?.close();
    await this.apis?.close();
    await this.websites?.close();
    await this.cloud.close();
    removeDevState(this.app.stateDir, process.pid);
    this.lock.release();
  }

  /** Rebuilds now, as a file change would. */
  reload(files: readonly string[] = []): Promise<void> {
    this.reloading = this.reloading.then(() => this.doReload(files));
    return this.reloading;
  }

  private openCloud(): LocalCloud {
    return new LocalCloud({
      spec: this.app.spec,
      stateDir: this.app.stateDir,
      clock: this.clock,
      code: (fn) => {
        const bundle = this.bundles.get(fn.name);
        if (!bundle) throw new Error(`no bundle for function ${fn.name}`);
        return { file: bundle.file, exportName: bundle.exportName };
      },
      idleTimeoutMs: this.options.idleTimeoutMs,
      inactiveAfterMs: this.options.inactiveAfterMs,
      maxEnvironments: this.options.maxEnvironments,
      environment: (fn) => this.endpoint?.environment(fn) ?? {},
      onEvent: this.options.onEvent,
    });
  }

  /** Each build goes to a new folder, so environments still running old code keep their files. */
  private async rebundle(app: LoadedApp = this.app): Promise<void> {
    const root = join(app.stateDir, "dev");
    const outDir = join(root, `g${++this.generation}`);
    mkdirSync(outDir, { recursive: true });
    // An app with its own SDK keeps using it; one without gets the SDK as Lambda's runtime gives it.
    if (!hasOwnAwsSdk(app.dir)) provideAwsSdk(root);
    const bundles = await bundleFunctions(app.spec, {
      dir: app.dir,
      configFile: app.configFile,
      outDir,
      // Stack traces through a routing function name the definition's lines.
      routesSourceMap: true,
    });
    this.bundles = new Map(bundles.map((b) => [b.function, b]));
    this.watched = WatchedFiles.of(app.dir, [...app.inputs, ...bundles.flatMap((b) => b.inputs)]);
    // A folder imported for the first time is watched from now on.
    this.watcher?.update(this.watched);
    // Older builds are no longer loaded by any environment that can still start.
    removeUnusedBuilds(root, this.generation, this.cloud?.lambda.codeFiles() ?? new Set());
  }

  private async doReload(files: readonly string[]): Promise<void> {
    const started = performance.now();
    // LastUpdateStatus is InProgress from the rebuild until the new code serves or is abandoned.
    this.cloud.lambda.beginUpdate();
    let initFailures: InitFailure[] = [];
    try {
      const app = await loadApp(this.options.dir);
      const restarted = JSON.stringify(app.spec) !== JSON.stringify(this.app.spec);
      // Adopt the definition only once it builds: a failed reload must leave the running one in place.
      await this.rebundle(app);
      this.app = app;
      if (restarted) {
        await this.cloud.close();
        this.cloud = this.openCloud();
        this.cloud.start();
        await this.apis?.sync();
        await this.websites?.sync();
        initFailures = await this.initFailures();
      } else {
        const failures = await this.cloud.lambda.reload();
        // A function that never initialised stays Failed: an init failure, as the banner says at
        // start. Only functions with working code to fall back to make the reload a failed one.
        const failed = new Set(this.failedFunctions().map((f) => f.functionName));
        initFailures = failures
          .filter((f) => failed.has(f.functionName))
          .map((f) => ({ functionName: f.functionName, reason: f.reason }));
        const fellBack = failures.filter((f) => !failed.has(f.functionName));
        if (fellBack.length > 0) throw codeLoadFailed(fellBack);
      }
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
      this.cloud.lambda.failUpdate((error as Error).message ?? String(error));
      this.options.onEvent?.({ type: "reload-failed", error, initFailures });
    }
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
